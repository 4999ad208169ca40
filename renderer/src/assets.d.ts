// `import url from '…/icon.svg'`: Vite gives the file's URL (a small one inlined as a data: URL, which the CSP allows for images).
declare module '*.svg' {
  const url: string
  export default url
}
