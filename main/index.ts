// Electron glue: comes with the desktop-app issue.
export {}
