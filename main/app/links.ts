/**
 * Opening a link from a message: the renderer asks (openLink), the schema
 * refuses every scheme but http and https, and the host's opener — Electron's
 * shell.openExternal, or the test host's recorder — gets only what passed.
 * The opener is the host's piece: the engine never opens anything.
 *
 * @example
 * ```ts
 * const opened: string[] = []
 * const dispatch = dispatchOver(hostOperations({ setUnread: () => {}, openLink: url => { opened.push(url) } }))
 * await dispatch('openLink', { url: 'https://example.com' })  // ok; opened = ['https://example.com']
 * await dispatch('openLink', { url: 'file:///etc/passwd' })    // InvalidRequestError; nothing opened
 * ```
 */
import { isWebLink } from '../core/links.js'
import { ForbiddenRequestError } from './errors.js'
import type { HostHooks, Implementations } from './handlers.js'

/** Opens a checked http(s) URL in the system browser. */
export type LinkOpener = (url: string) => void | Promise<void>

/** The operations only a host answers (the badge, the system browser, the computer's idle time), never the engine's process. */
export const HOST_OPERATIONS = ['setUnread', 'openLink', 'systemIdle'] as const

export function isHostOperation (op: string): op is (typeof HOST_OPERATIONS)[number] {
  return (HOST_OPERATIONS as readonly string[]).includes(op)
}

/** Open `url` with `opener`, checked once more here whatever called us; a host without one refuses. */
export async function openLinkWith (opener: LinkOpener | undefined, url: string): Promise<{ url: string }> {
  if (!isWebLink(url)) throw new ForbiddenRequestError('Only http and https links can be opened.')
  if (opener === undefined) throw new ForbiddenRequestError('This host does not open links.')
  await opener(url)
  return { url }
}

/** The computer's idle time from the host, whole ms; null where it cannot tell or its answer is no time. */
export function systemIdleWith (idle: (() => number) | undefined): { idleMs: number } | null {
  if (idle === undefined) return null
  const ms = idle()
  return Number.isFinite(ms) && ms >= 0 ? { idleMs: Math.round(ms) } : null
}

/** The host-only operations over a host's hooks, for dispatchOver. */
export function hostOperations (hooks: HostHooks & Required<Pick<HostHooks, 'openLink'>>): Pick<Implementations, (typeof HOST_OPERATIONS)[number]> {
  return {
    setUnread: ({ count }) => {
      hooks.setUnread(count)
      return null
    },
    openLink: ({ url }) => openLinkWith(hooks.openLink, url),
    systemIdle: () => systemIdleWith(hooks.systemIdle)
  }
}
