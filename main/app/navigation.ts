/**
 * Which URLs are the app's own page, and which navigations the window allows:
 * only a reload of the page it is showing (the "Try again" button), never
 * another page, origin or scheme. Pure, so it is tested without Electron.
 */

const withoutHash = (url: string): string => url.split('#')[0]!
// WHATWG URL gives custom schemes (app://) the origin "null"; compare scheme and host instead.
const originOf = (url: URL): string => `${url.protocol}//${url.host}`

function parse(url: string | undefined): URL | undefined {
  if (url === undefined) return undefined
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/** The page we load ourselves: same origin, and in the built app the same document (any query or hash). */
export function isOurPage(url: string | undefined, page: string, dev: boolean): boolean {
  const target = parse(url)
  const ours = parse(page)
  if (target === undefined || ours === undefined || ours.host === '' || originOf(target) !== originOf(ours)) return false
  return dev || target.pathname === ours.pathname
}

/** A navigation from `current` to `target` is allowed only if it reloads our page where it is. */
export function mayNavigate(target: string, current: string, page: string, dev: boolean): boolean {
  return isOurPage(target, page, dev) && withoutHash(target) === withoutHash(current)
}

/**
 * The one web permission the window gets: writing text to the clipboard (the
 * Copy buttons: a message's text, an invite code, an address, the network
 * key), asked by our own page in its main frame. Chromium also lets it only
 * during a click. Everything else (reading the clipboard, the camera,
 * notifications from the page, …) is refused: main shows the notifications.
 */
export const CLIPBOARD_WRITE = 'clipboard-sanitized-write'
export function mayUse(permission: string, asker: { requestingUrl?: string; isMainFrame: boolean }, page: string, dev: boolean): boolean {
  return permission === CLIPBOARD_WRITE && asker.isMainFrame && isOurPage(asker.requestingUrl, page, dev)
}
