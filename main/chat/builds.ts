import { buildNotice, peerBuild } from '../core/build.js'
import { APP_VERSION, FEATURE_LEVEL } from '../net/constants.js'
import type { PeerLink } from '../net/transport.js'
import type { ChatEvent } from './types.js'

/**
 * Peers on another build remembered as told, at most: the oldest is let go past it (and told again
 * if it links again). Each new key that links on another build adds one, and keys cost nothing to
 * make: a run must not keep every one it ever met.
 */
export const MAX_TOLD = 10_000

/**
 * A linked peer's build, for its `peer:connect`: how it compares with ours,
 * and the first time this engine links to a peer whose build differs (an
 * older one misses what newer builds add; a newer one means ours is behind),
 * the words that say so. Once a peer a run: it relinks every few minutes in a
 * big mesh, and a person told once knows.
 *
 *   const builds = new BuildNotices()
 *   builds.connected({ peerId, name: 'bob', local, remote })   // { type: 'peer:connect', …, build: { level: 0, compared: 'older' }, notice: 'bob runs an older LAN Chat…' }
 *   builds.connected({ peerId, name: 'bob', local, remote })   // the same, without `notice`
 */
export class BuildNotices {
  readonly #told = new Set<string>()

  /** `hub`: the peer is the client's hub (its words say what an older hub means). */
  connected (link: PeerLink, hub = false): Extract<ChatEvent, { type: 'peer:connect' }> {
    const { app, ...rest } = link
    const build = peerBuild(app, FEATURE_LEVEL)
    let notice: string | undefined
    if (build.compared !== 'same' && !this.#told.has(link.peerId)) {
      if (this.#told.size >= MAX_TOLD) this.#told.delete(this.#told.values().next().value!)
      this.#told.add(link.peerId)
      notice = buildNotice(link.name || link.peerId, build, { version: APP_VERSION }, hub)
    }
    return { type: 'peer:connect', ...rest, build, ...(notice !== undefined ? { notice } : {}) }
  }
}
