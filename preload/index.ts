// contextBridge API: comes with the desktop-app issue.
export {}
