/**
 * The renderer's Content-Security-Policy, defined once. The Electron app sends
 * it as a header on every app:// response, the test host on every HTTP
 * response, and the renderer build writes it into index.html as a <meta> tag
 * (electron.vite.config.ts), so the page is covered however it is loaded.
 *
 *   headers['Content-Security-Policy'] = contentSecurityPolicy('app')
 */

/** Directives of the shipped page: our own scripts only, no eval, no inline script. */
const APP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // React sets style attributes; stylesheets are our own.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"]
}

/**
 * 'app': the built page. 'dev': electron-vite's dev server, whose React
 * refresh preamble is an inline script and whose hot reload is a WebSocket.
 * 'meta': the app policy as a <meta> tag can carry it (browsers ignore
 * frame-ancestors there and warn about it).
 */
export function contentSecurityPolicy(kind: 'app' | 'dev' | 'meta' = 'app'): string {
  const directives: Record<string, string[]> = { ...APP }
  if (kind === 'dev') {
    directives['script-src'] = ["'self'", "'unsafe-inline'"]
    directives['connect-src'] = ["'self'", 'ws:']
  }
  if (kind === 'meta') delete directives['frame-ancestors']
  return Object.entries(directives).map(([name, values]) => `${name} ${values.join(' ')}`).join('; ')
}
