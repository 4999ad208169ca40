import { multiaddr } from '@multiformats/multiaddr'
import { ClientEngine } from '../server/client-engine.js'
import { BadAddressError } from '../net/errors.js'
import { P2PEngine, type EngineOptions } from './engine.js'
import type { EngineStats } from './stats.js'
import type { ChatEngine, EngineEvent, MessageView, PeerView, SendOptions } from './types.js'

export type UserMode = 'p2p' | 'client'

export interface SwitchableOptions extends EngineOptions {
  /** The mode to start in (default 'p2p'). */
  mode?: UserMode
  /** Client mode: the hub's multiaddr; without it the client finds a hub by mDNS. */
  server?: string
}

type Inner = P2PEngine | ClientEngine

/**
 * The engine hosts hold on to: one ChatEngine whose architecture can change
 * while it runs. `switchMode` stops the current engine and starts the other
 * on the same data directory and identity; listeners stay subscribed, and
 * the new engine announces itself with a `ready` event carrying its mode.
 *
 * The two histories are kept apart, each in its own store: a P2P history is
 * ordered by Lamport time and a hub's by its sequence numbers, and merging
 * them would reorder what users already saw. Switching back shows the other
 * mode's history again, unchanged, and client-mode messages still pending
 * stay pending on disk until that hub is reachable again.
 */
export class SwitchableEngine implements ChatEngine {
  readonly #opts: SwitchableOptions
  readonly #listeners = new Set<(e: EngineEvent) => void>()
  #inner: Inner
  #unsubscribe: () => void = () => {}
  #switching: Promise<void> = Promise.resolve()
  #server: string | undefined
  /** The P2P listen addresses with the port the OS gave last time, so known peers can redial us after a round trip through client mode. */
  #p2pListen: string[] | undefined

  constructor (opts: SwitchableOptions) {
    this.#opts = opts
    this.#server = opts.server
    this.#inner = this.#make(opts.mode ?? 'p2p', opts.name)
  }

  get mode (): UserMode { return this.#inner.mode }
  get peerId (): string { return this.#inner.peerId }
  get name (): string { return this.#inner.name }
  /** The hub address client mode uses (undefined: found by mDNS). */
  get server (): string | undefined { return this.#server }
  /** The engine now running (P2PEngine or ClientEngine). */
  get current (): Inner { return this.#inner }

  #make (mode: UserMode, name: string | undefined): Inner {
    const { dataDir, mdns, log } = this.#opts
    const withName = name !== undefined ? { name } : {}
    return mode === 'p2p'
      ? new P2PEngine({ ...this.#opts, ...withName, ...(this.#p2pListen !== undefined ? { listen: this.#p2pListen } : {}) })
      : new ClientEngine({ dataDir, ...withName, ...(this.#server !== undefined ? { server: this.#server } : {}), ...(mdns !== undefined ? { mdns } : {}), ...(log !== undefined ? { log } : {}) })
  }

  #attach (inner: Inner): void {
    this.#unsubscribe()
    this.#unsubscribe = inner.on(e => { for (const l of this.#listeners) l(e) })
  }

  on (listener: (e: EngineEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  async start (): Promise<void> {
    this.#attach(this.#inner)
    await this.#inner.start()
  }

  async stop (): Promise<void> {
    await this.#switching.catch(() => {})
    await this.#inner.stop()
    this.#unsubscribe()
  }

  /**
   * Change architecture without a restart. Resolves once the new engine is
   * running (its `ready` event has been emitted). Switching to the mode that
   * runs (with the same hub) does nothing. If the new mode cannot start, the
   * old one is started again and the error is thrown.
   */
  async switchMode (mode: UserMode, server?: string): Promise<void> {
    const run = async (): Promise<void> => {
      if (server !== undefined) {
        try { multiaddr(server) } catch (err) { throw new BadAddressError(`"${server}" is not a multiaddr: ${(err as Error).message}`) }
      }
      if (mode === this.#inner.mode && (mode === 'p2p' || server === undefined || server === this.#server)) return
      const old = this.#inner
      const name = old.name !== '' ? old.name : this.#opts.name
      const oldServer = this.#server
      if (old instanceof P2PEngine) this.#p2pListen = boundListen(this.#opts.listen, old.addrs())
      await old.stop()
      if (server !== undefined) this.#server = server
      const next = this.#make(mode, name)
      this.#inner = next
      this.#attach(next)
      try {
        await next.start().catch(async (err: unknown) => {
          // The port we had may be taken by now: any free one is better than no P2P.
          if (mode !== 'p2p' || this.#p2pListen === undefined) throw err
          await next.stop().catch(() => {})
          this.#p2pListen = undefined
          this.#inner = this.#make(mode, name)
          this.#attach(this.#inner)
          await this.#inner.start()
        })
      } catch (err) {
        await this.#inner.stop().catch(() => {})
        this.#server = oldServer
        this.#inner = this.#make(old.mode, name)
        this.#attach(this.#inner)
        await this.#inner.start()
        throw err
      }
    }
    const p = this.#switching.catch(() => {}).then(run)
    this.#switching = p
    await p
  }

  // Commands wait for a switch in progress, then go to whichever engine runs.

  async send (room: string, text: string, options?: SendOptions): Promise<MessageView> {
    await this.#switching.catch(() => {})
    return await this.#inner.send(room, text, options)
  }

  async dial (addr: string, options?: { signal?: AbortSignal }): Promise<void> {
    await this.#switching.catch(() => {})
    if (this.#inner.mode === 'client') this.#server = addr
    await this.#inner.dial(addr, options)
  }

  async block (peerId: string): Promise<void> {
    await this.#switching.catch(() => {})
    await this.#inner.block(peerId)
  }

  async unblock (peerId: string): Promise<void> {
    await this.#switching.catch(() => {})
    await this.#inner.unblock(peerId)
  }

  addrs (): string[] { return this.#inner.addrs() }
  history (room: string): MessageView[] { return this.#inner.history(room) }
  rooms (): string[] { return this.#inner.rooms() }
  joinRoom (room: string): void { this.#inner.joinRoom(room) }
  peers (): PeerView[] { return this.#inner.peers() }
  stats (): EngineStats { return this.#inner.stats() }

  async setName (name: string): Promise<void> {
    await this.#switching.catch(() => {})
    await this.#inner.setName(name)
  }
}

/** `listen` with each port 0 replaced by the port the engine got (from its multiaddrs). */
function boundListen (listen: string[] | undefined, addrs: string[]): string[] | undefined {
  const port = /\/tcp\/(\d+)/.exec(addrs[0] ?? '')?.[1]
  if (listen === undefined || port === undefined) return undefined
  return listen.map(a => a.replace(/\/tcp\/0(?=\/|$)/, `/tcp/${port}`))
}

export async function createSwitchableEngine (options: SwitchableOptions): Promise<SwitchableEngine> {
  return new SwitchableEngine(options)
}
