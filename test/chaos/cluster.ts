/**
 * One chaos peer: a `bin/lanchat peer --json` process on loopback that can be
 * killed with SIGKILL and restarted on the same data directory (same identity,
 * same port when it is still free), paused with SIGSTOP and resumed. In a
 * client-server run the same goes for the hub (`bin/lanchat server`, back on
 * its own port, where its clients look for it) and its clients
 * (`--mode client`, listening on nothing).
 *
 * const p = new ChaosPeer('p0', dir)
 * const hub = new ChaosPeer('hub', dir, { role: 'hub' })
 * const c = new ChaosPeer('c0', dir, { role: 'client', server: () => hub.addr() })
 * await p.start()
 * p.pause(500)               // SIGCONT after 500 ms
 * await p.kill()             // kill -9
 * await p.start()            // same peer id, its known peers redialed by itself
 */
import { lanchat, type Proc } from '../helpers/proc.js'

export type Ev = Record<string, unknown> & { type: string }

export type Role = 'peer' | 'hub' | 'client'

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

export class ChaosPeer {
  peerId = ''
  port = 0
  paused = false
  /** The events of every process run of this peer, one list per run. */
  readonly runs: Ev[][] = []
  private proc: Proc | undefined
  #refs = 0
  private resumeTimer: NodeJS.Timeout | undefined

  readonly role: Role
  private readonly server: (() => string) | undefined

  constructor (readonly name: string, readonly dataDir: string, opts: { role?: Role, server?: () => string } = {}) {
    this.role = opts.role ?? 'peer'
    this.server = opts.server
  }

  get alive (): boolean {
    const c = this.proc?.child
    return c !== undefined && c.exitCode === null && c.signalCode === null
  }

  /** Running and not paused: it reads its commands now. */
  get usable (): boolean { return this.alive && !this.paused }

  addr (): string { return `/ip4/127.0.0.1/tcp/${this.port}/p2p/${this.peerId}` }

  stderrTail (): string { return this.proc?.stderr.slice(-10).join('\n') ?? '' }

  async start (ms = 20_000): Promise<void> {
    if (this.alive) return
    try {
      await this.launch(this.port, ms)
    } catch (err) {
      // The port it had may have been taken meanwhile: any free one will do, its peers learn it when it dials them.
      // Not for a hub: its clients look for it where it was.
      if (this.port === 0 || this.role !== 'peer') throw err
      await this.launch(0, ms)
    }
  }

  private async launch (port: number, ms: number): Promise<void> {
    const common = ['--json', '--no-mdns', '--name', this.name, '--data', this.dataDir]
    const listen = ['--listen', `/ip4/127.0.0.1/tcp/${port}`]
    const p = lanchat(this.role === 'hub'
      ? ['server', ...common, ...listen]
      : this.role === 'client'
        ? ['peer', '--mode', 'client', ...common, '--server', this.server!()]
        : ['peer', ...common, ...listen])
    try {
      const ready = await p.waitFor(`${this.name} ready`, e => e.type === 'ready', ms)
      const id = String(ready.peerId)
      if (this.peerId !== '' && id !== this.peerId) throw new Error(`${this.name} came back as ${id}, was ${this.peerId}`)
      this.peerId = id
      // A client listens on nothing: no address, no port.
      const addrs = ready.addrs as string[]
      if (addrs.length > 0) this.port = Number(String(addrs[0]).split('/')[4])
      this.proc = p
      this.runs.push(p.events)
    } catch (err) {
      await p.kill('SIGKILL')
      throw err
    }
  }

  async kill (): Promise<void> {
    clearTimeout(this.resumeTimer)
    this.paused = false
    await this.proc?.kill('SIGKILL')
    this.proc = undefined
  }

  /** SIGSTOP now, SIGCONT after `ms` (or at resume()). */
  pause (ms: number): void {
    if (!this.usable) return
    this.proc!.child.kill('SIGSTOP')
    this.paused = true
    this.resumeTimer = setTimeout(() => { this.resume() }, ms)
  }

  resume (): void {
    clearTimeout(this.resumeTimer)
    if (this.paused && this.alive) this.proc!.child.kill('SIGCONT')
    this.paused = false
  }

  command (cmd: object): void {
    if (this.alive) this.proc!.send(cmd)
  }

  /**
   * Send a command and wait for its answer, an event of type `type` (or its error): the command's
   * `ref` tells them from what comes meanwhile (a complaint about a message received is an error too).
   */
  async request (cmd: object, type: string, ms = 10_000): Promise<Ev> {
    const p = this.proc
    if (p === undefined || !this.alive) throw new Error(`${this.name} is not running`)
    const from = p.events.length
    const ref = `${this.name}-${++this.#refs}`
    p.send({ ...cmd, ref })
    const end = Date.now() + ms
    for (;;) {
      for (let i = from; i < p.events.length; i++) {
        const e = p.events[i]!
        if (e.ref !== ref) continue
        if (e.type === type) return e
        if (e.type === 'error') throw new Error(`${this.name}: ${String(e.message)}`)
      }
      if (!this.alive) throw new Error(`${this.name} exited during ${type}\n${this.stderrTail()}`)
      if (Date.now() > end) throw new Error(`${this.name}: no ${type} within ${ms} ms`)
      await sleep(5)
    }
  }

  /** Ids of every message of `room` this peer announced (its own and others'), over every run. */
  knownIds (room: string): string[] {
    return [...new Set(this.runs.flatMap(evs => evs.flatMap(e => e.type === 'message' && e.room === room ? [String(e.id)] : [])))]
  }

  /** Ids of the messages each run announced, in announcement order. */
  deliveries (): string[][] {
    return this.runs.map(evs => evs.flatMap(e => e.type === 'message' ? [String(e.id)] : []))
  }

  /**
   * Ids of the messages a client took while its hub was away (`pending`: on its disk, to be numbered
   * later), over every run; not its edits, deletes and reactions, which are no lines of their own.
   */
  pendingIds (room?: string): string[] {
    return this.runs.flatMap(evs => evs.flatMap(e => e.type === 'pending' && e.action === undefined && (room === undefined || e.room === room) ? [String(e.id)] : []))
  }

  /** Text to id and room of this peer's own messages that were announced back (confirmed), over every run. */
  ownMessages (): Map<string, { id: string, room: string }> {
    const out = new Map<string, { id: string, room: string }>()
    for (const evs of this.runs) {
      for (const e of evs) if (e.type === 'message' && e.author === this.peerId && !out.has(String(e.text))) out.set(String(e.text), { id: String(e.id), room: String(e.room) })
    }
    return out
  }
}
