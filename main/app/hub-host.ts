/**
 * "Host a server on this computer": a HubServer running inside the app
 * process, in its own data dir (its own identity and log), so this app can be
 * the hub's first client and other apps on the LAN can join it.
 */
import { join } from 'node:path'
import { HubServer } from '../server/index.js'
import type { HubInfo, Settings } from '../../preload/contract.js'
import { DEFAULT_MAX_FILE_MB } from '../../preload/contract.js'
import { toMultiaddr } from './address.js'

/**
 * What a hub hosted here keeps of its clients' files, in bytes: the setting's GB, or no limit
 * (Infinity) for 0 or none, as `bin/lanchat server` without `--keep-files-gb`. The hub is where
 * clients get a file whose sharer has left, so it keeps everything unless told otherwise.
 */
export const serverKeepFilesBytes = (s: Settings): number => (s.serverKeepFilesGB ?? 0) > 0 ? s.serverKeepFilesGB! * 2 ** 30 : Infinity

export interface HubHostOptions {
  /** The profile's data dir; the hub lives in `<dataDir>/hub`. */
  dataDir: string
  /** Interface to listen on (the test host keeps to 127.0.0.1). */
  host: string
  port: number
  mdns: boolean
  /** Only clients with this network key can connect. */
  networkKey?: string
  /** Largest file the hub stores for its clients, bytes (the app's "largest file" setting). */
  maxFileBytes?: number
  /** At most this many bytes of its clients' files kept, apart from the app's own copies (the app's "keep copies of others' files" setting). */
  keepFilesBytes?: number
}

export interface Plan {
  mode: 'p2p' | 'client'
  /** The hub client mode dials; undefined: find one by mDNS (or the last one). */
  server: string | undefined
  /** The hosted hub's port, when it runs. */
  port: number | undefined
}

export class HubHost {
  /** `moved`: the running hub listens elsewhere now (its computer changed networks): its info changed. */
  constructor(private readonly moved: () => void = () => {}) {}

  #hub: HubServer | undefined
  /** The network key the running hub was started with ('' for none). */
  #key = ''

  /**
   * Starts or stops the hub as the settings say, and answers the mode and
   * hub address the engine should use. Hosting a hub makes this app its
   * client; otherwise client–server uses the address from the settings, or
   * finds a hub by mDNS when there is none.
   */
  async apply(s: Settings, where: Omit<HubHostOptions, 'port'>): Promise<Plan> {
    const key = s.networkKey ?? ''
    const maxFileBytes = (s.maxFileMB ?? DEFAULT_MAX_FILE_MB) * 2 ** 20
    const keepFilesBytes = serverKeepFilesBytes(s)
    if (s.hostServer) await this.start({ ...where, port: s.serverPort, maxFileBytes, keepFilesBytes, ...(key !== '' ? { networkKey: key } : {}) })
    else await this.stop()
    const port = this.port()
    if (s.mode === 'p2p') return { mode: 'p2p', server: undefined, port }
    const server = s.hostServer ? this.localAddr() : s.server === '' ? undefined : toMultiaddr(s.server)
    return { mode: 'client', server, port }
  }

  get running(): boolean {
    return this.#hub !== undefined
  }

  /** The app's "largest file" setting changed: the running hub follows it at once. */
  setMaxFileBytes(bytes: number): void {
    this.#hub?.setMaxFileBytes(bytes)
  }

  /** The app's "keep the server's files" setting changed: the running hub keeps its files within it at once. */
  setKeepFilesBytes(bytes: number): void {
    this.#hub?.setKeepFilesBytes(bytes)
  }

  get server(): HubServer | undefined {
    return this.#hub
  }

  /** Starts the hub (once); answers its info. A taken port fails here, with the OS's reason. */
  async start(options: HubHostOptions): Promise<HubInfo> {
    // A hub started under another network key is restarted under the new one.
    if (this.#hub !== undefined && this.#key !== (options.networkKey ?? '')) await this.stop()
    if (this.#hub === undefined) {
      const ip = options.host.includes(':') ? 'ip6' : 'ip4'
      const hub = new HubServer({
        dataDir: join(options.dataDir, 'hub'),
        listen: [`/${ip}/${options.host}/tcp/${options.port}`],
        mdns: options.mdns,
        ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
        ...(options.keepFilesBytes !== undefined ? { keepFilesBytes: options.keepFilesBytes } : {}),
        ...(options.networkKey !== undefined ? { networkKey: options.networkKey } : {})
      })
      await hub.start()
      hub.on((e) => { if (e.type === 'addresses' && this.#hub === hub) this.moved() })
      this.#hub = hub
      this.#key = options.networkKey ?? ''
    } else {
      // The settings change at once, without a restart that would drop the hub's clients.
      if (options.maxFileBytes !== undefined) this.#hub.setMaxFileBytes(options.maxFileBytes)
      if (options.keepFilesBytes !== undefined) this.#hub.setKeepFilesBytes(options.keepFilesBytes)
    }
    return this.info()!
  }

  async stop(): Promise<void> {
    const hub = this.#hub
    this.#hub = undefined
    await hub?.stop()
  }

  info(): HubInfo | null {
    const hub = this.#hub
    return hub === undefined ? null : { peerId: hub.peerId, addrs: hub.addrs() }
  }

  /** The port it listens on, to keep across restarts so clients can come back. */
  port(): number | undefined {
    const tcp = /\/tcp\/(\d+)/.exec(this.#hub?.addrs()[0] ?? '')
    return tcp === null ? undefined : Number(tcp[1])
  }

  /** How this app, on the same computer, reaches its own hub: loopback when it listens there. */
  localAddr(): string | undefined {
    const addrs = this.#hub?.addrs() ?? []
    return addrs.find((a) => a.startsWith('/ip4/127.0.0.1/')) ?? addrs[0]
  }
}
