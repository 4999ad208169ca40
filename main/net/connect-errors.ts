/**
 * libp2p reports a failed dial in its own terms ("connect ECONNREFUSED",
 * "Unexpected EOF - stream closed while reading 46/72 bytes", "Missing
 * newline"): what the socket or the Noise handshake saw. These say what it
 * means, for the Connect dialog, the CLI and a client's hub link alike.
 */
/** Why a connection failed, in words a person can act on; `code` says which case. */
export class ConnectError extends Error {
  static override readonly name = 'ConnectError'
  override readonly name = 'ConnectError'
  readonly code: ConnectProblem

  constructor(message: string, code: ConnectProblem, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

export type ConnectProblem = 'refused' | 'timeout' | 'not-lanchat' | 'unreachable' | 'unknown-host' | 'self' | 'failed'

/**
 * The failures that trying again later can mend (nobody listening yet, no answer, no route or name
 * yet): where the Connect dialog offers Keep trying and the terminal names `/dial ADDR keep`. Not
 * one's own address, nor something that answered and is not LAN Chat.
 */
export const ANSWERS_LATER: ReadonlySet<string> = new Set<ConnectProblem>(['refused', 'timeout', 'unreachable', 'unknown-host', 'failed'])

/** `/ip4/127.0.0.1/tcp/1/p2p/…` → `127.0.0.1:1`, as the person typed it. */
export function hostPort(multiaddr: string): string {
  const m = /^\/(ip4|ip6|dns4|dns6|dns)\/([^/]+)\/tcp\/(\d+)/.exec(multiaddr)
  if (m === null) return multiaddr
  return m[1] === 'ip6' ? `[${m[2]}]:${m[3]}` : `${m[2]}:${m[3]}`
}

/** Where a node listens, as people type it: each `ip:port` once (a multiaddr with and without its peer id is one). */
export function hostPorts(multiaddrs: readonly string[]): string[] {
  return [...new Set(multiaddrs.map(hostPort))]
}

/**
 * A fixed address asked to listen on (`--listen 10.0.0.5:4000`) that the
 * computer no longer has (it moved to another network, got another DHCP
 * lease): in words for the terminal and the server's console. `who` cannot
 * reach it there; it answers there again once the address is back.
 */
export function lostListenText(lost: readonly string[], who: 'peers' | 'clients'): string {
  const at = hostPorts(lost)
  const port = /:(\d+)$/.exec(at[0] ?? '')?.[1] ?? '0'
  const them = at.length === 1 ? 'that address' : 'those addresses'
  return `! this computer no longer has the address you listen on (--listen ${at.join(', ')}): ${who} cannot reach you there. ` +
    `It answers there again once the computer has ${them} back (the same network or lease); to be reached where it is now, restart with --listen 0.0.0.0:${port} (every network) or one of this computer's addresses`
}

/** Where the desktop app sets the network key: a failure that may be a key on one side only names it. */
export const KEY_SETTING_IN_APP = 'Settings → "Only computers with this network key can connect"'

/**
 * Say what a failed dial of `multiaddr` means. `keySetting`: where this host sets the network key,
 * in its own words (the app's Settings by default; the CLI's flag).
 */
export function toConnectError(err: unknown, multiaddr: string, keySetting: string = KEY_SETTING_IN_APP): ConnectError {
  const where = hostPort(multiaddr)
  const e: Error & { code?: unknown } = err instanceof Error ? err : new Error(String(err))
  const text = `${e.name} ${typeof e.code === 'string' ? e.code : ''} ${e.message}`
  const problem = (code: ConnectProblem, message: string): ConnectError => new ConnectError(message, code, { cause: err })
  if (/dial self/i.test(text)) return problem('self', `${where} is this app's own address: give it to the other computer, and type theirs here.`)
  if (/ECONNREFUSED/.test(text)) return problem('refused', `Nothing is listening at ${where}. Is LAN Chat running there, and is the port right?`)
  // The socket was taken (the handshake had begun) and nothing LAN Chat came back: a sleeping or frozen LAN Chat,
  // whose computer still takes connections, or another program on that port. Not "nothing answered".
  if (/EncryptionFailed/.test(e.name) && /timed? ?out|timeout/i.test(e.message)) {
    return problem('timeout', `${where} took the connection but did not answer as LAN Chat in time: the computer there may be asleep or frozen, or another program holds that port.`)
  }
  // Silence is what a firewall that blocks incoming connections gives (Windows on a network set to Public): a
  // computer that can still dial out. Said, so people try the other way round rather than give up.
  if (/TimeoutError|AbortError|ETIMEDOUT|timed? ?out|timeout/i.test(text)) {
    return problem('timeout', `${where} did not answer in time (timed out): the computer may be off, or a firewall there blocks incoming connections (Windows does on a network set to Public). Let LAN Chat through it there, or, peer to peer, have them connect to you instead.`)
  }
  // No route to the host on the same LAN: a Wi-Fi that keeps its devices apart (client isolation) does that.
  if (/EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL/.test(text)) return problem('unreachable', `${where} cannot be reached from this network: it is on another one, or this Wi-Fi keeps its devices apart (guest networks often do).`)
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return problem('unknown-host', `No computer called ${where.replace(/:\d+$/, '')} was found.`)
  if (/EncryptionFailed|Unexpected EOF|Missing newline|ECONNRESET|EPIPE|multistream|protocol|handshake/i.test(text)) {
    // A network key on one side only (or two different keys) fails the same way, and is the likelier case on a LAN.
    return problem('not-lanchat', `${where} answered, but the two could not talk: it is not LAN Chat, or one of you uses a network key the other does not (${keySetting}: the same key on both, or on neither).`)
  }
  return problem('failed', `Could not connect to ${where}: ${e.message}`)
}

/**
 * Say what a failed dial of a known peer at every address known of it means (the people list's
 * Connect now, /connect): the words a dial of one address gets (toConnectError), of all `addrs` at
 * once, after who it was. Of libp2p's AggregateError (one error an address) the most telling.
 */
export function toPeerConnectError(err: unknown, who: string, addrs: readonly string[], keySetting?: string): ConnectError {
  const each = err instanceof AggregateError && err.errors.length > 0 ? err.errors : [err]
  const where = hostPorts(addrs).join(' or ')
  const said = each.map(e => toConnectError(e, where, keySetting))
  const telling = said.find(s => s.code !== 'failed') ?? said[0]!
  return new ConnectError(`Could not connect to ${who}: ${telling.message}`, telling.code, { cause: err })
}

/**
 * Whether a failed dial reached something that is not LAN Chat to us at every address tried
 * (libp2p's AggregateError holds one error an address): another program on the port, another
 * LAN Chat than the peer dialed, another network key, or a peer that refuses us.
 */
export function answeredNotLanChat(err: unknown): boolean {
  const each = err instanceof AggregateError ? err.errors : [err]
  return each.length > 0 && each.every(e => toConnectError(e, '').code === 'not-lanchat')
}
