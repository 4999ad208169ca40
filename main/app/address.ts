/**
 * What the "Connect to address" dialog accepts: `ip:port`, `[ipv6]:port`,
 * `host:port` or a multiaddr. Everything becomes a multiaddr string for the
 * engine's dial. A bare ip:port carries no peer id: the dial then learns the
 * id from the Noise handshake instead of checking it.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { BadAddressError, toConnectError } from './errors.js'

/** How a multiaddr LAN Chat dials or listens on starts. */
const HOSTS = new Set(['ip4', 'ip6', 'dns', 'dns4', 'dns6'])

const HINT = 'Use ip:port (like 192.168.1.20:4001) or a multiaddr (like /ip4/192.168.1.20/tcp/4001/p2p/12D3KooW…).'

function port(text: string, input: string, lowest: number): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < lowest || n > 65535) {
    throw new BadAddressError(`"${input}" has port ${text}; a port is a number from ${lowest} to 65535.`)
  }
  return n
}

function ipv4(text: string, input: string): string {
  const parts = text.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new BadAddressError(`"${input}" is not a valid IPv4 address. ${HINT}`)
  }
  return parts.join('.')
}

/**
 * `listen`: an address to listen on, where port 0 (any free port) is allowed.
 * @example toMultiaddr('192.168.1.20:4001')   // '/ip4/192.168.1.20/tcp/4001'
 */
export function toMultiaddr(raw: string, options: { listen?: boolean } = {}): string {
  const lowest = options.listen === true ? 0 : 1
  const input = raw.trim()
  if (input === '') throw new BadAddressError(`The address is empty. ${HINT}`)

  if (input.startsWith('/')) {
    try {
      const ma = multiaddr(input)
      const components = ma.getComponents()
      if (!components.some((c) => c.name === 'tcp')) {
        throw new BadAddressError(`"${input}" has no /tcp/ part; LAN Chat connects over TCP. ${HINT}`)
      }
      // What libp2p would take and fail on later, in its words (or, for a --dial, retry forever): a
      // transport LAN Chat does not run (/ws), a peer id that is none, a port 0 to dial.
      // An IPv6 link-local address (fe80::…, what two computers joined by a cable alone have) is named with its
      // interface first: /ip6zone/eth0/ip6/fe80::…, as libp2p's TCP dials it.
      const [host, tcp, p2p, ...more] = components[0]?.name === 'ip6zone' && components[1]?.name === 'ip6' ? components.slice(1) : components
      if (host === undefined || !HOSTS.has(host.name) || tcp?.name !== 'tcp') {
        throw new BadAddressError(`"${input}" is not an address LAN Chat can use: a multiaddr starts /ip4/, /ip6/ or /dns/ and then /tcp/PORT. ${HINT}`)
      }
      port(tcp.value ?? '', input, lowest)
      if ((p2p !== undefined && p2p.name !== 'p2p') || more.length > 0) {
        throw new BadAddressError(`"${input}" goes on after its port with ${[p2p, ...more].map((c) => `/${c!.name}`).join('')}: LAN Chat speaks plain TCP, and takes only a /p2p/ peer id there. ${HINT}`)
      }
      if (p2p !== undefined) {
        try {
          peerIdFromString(p2p.value ?? '')
        } catch {
          throw new BadAddressError(`"${input}" ends in "${p2p.value ?? ''}", which is not a peer id (a LAN Chat peer id starts with 12D3KooW). ${HINT}`)
        }
      }
      return ma.toString()
    } catch (err) {
      if (err instanceof BadAddressError) throw err
      throw new BadAddressError(`"${input}" is not a valid multiaddr (${(err as Error).message}). ${HINT}`)
    }
  }

  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(input)
  if (v6 !== null) {
    const ma = `/ip6/${v6[1]}/tcp/${port(v6[2]!, input, lowest)}`
    try {
      return multiaddr(ma).toString()
    } catch {
      throw new BadAddressError(`"${input}" is not a valid IPv6 address. ${HINT}`)
    }
  }

  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(input)
  if (v4 !== null) return `/ip4/${ipv4(v4[1]!, input)}/tcp/${port(v4[2]!, input, lowest)}`

  const host = /^([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*):(\d+)$/.exec(input)
  if (host !== null && !/^[\d.]+$/.test(host[1]!)) return `/dns/${host[1]}/tcp/${port(host[2]!, input, lowest)}`

  // The commonest slip: the computer without its port (each LAN Chat listens on a port of its own).
  const example = options.listen === true ? 0 : 4001
  const bare = /^\[([0-9a-fA-F:.]+)\]$/.exec(input)?.[1] ?? input
  const ip = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(bare) || (bare.includes(':') && /^[0-9a-fA-F:.]+$/.test(bare) && (bare.match(/:/g)?.length ?? 0) >= 2)
  const named = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/.test(bare)
  if (ip || named) {
    const withPort = bare.includes(':') ? `[${bare}]:${example}` : `${bare}:${example}`
    throw new BadAddressError(options.listen === true
      ? `"${input}" has no port: add one, like ${withPort} (0: any free port).`
      : `"${input}" has no port: add the one LAN Chat shows on that computer (in its Connect to address… dialog, or the first lines of bin/lanchat), like ${withPort}.`)
  }
  throw new BadAddressError(`"${input}" is not an address LAN Chat understands. ${HINT}`)
}

/** Keep trying what a person typed, in the background, until it answers once (engine.keepDialing); a malformed one throws now. */
export function keepDialingAddress(engine: { keepDialing(addr: string): void }, address: string): { multiaddr: string } {
  const target = toMultiaddr(address)
  engine.keepDialing(target)
  return { multiaddr: target }
}

/** Stop trying an address in the background, named as it was typed or as the engine lists it. */
export function stopDialingAddress(engine: { stopDialing(addr: string): boolean; dialing(): string[] }, address: string): { stopped: boolean; dialing: string[] } {
  const stopped = engine.stopDialing(toMultiaddr(address))
  return { stopped, dialing: engine.dialing() }
}

/** Dial what a person typed (ip:port, host:port or a multiaddr); a failure says in their words why. */
export async function dialAddress(engine: { dial(addr: string, options: { signal?: AbortSignal }): Promise<string | void>; networkKeySetting?: string | undefined }, address: string): Promise<{ multiaddr: string; peerId?: string }> {
  const target = toMultiaddr(address)
  let peerId: string | void
  try {
    peerId = await engine.dial(target, { signal: AbortSignal.timeout(10_000) })
  } catch (err) {
    throw toConnectError(err, target, engine.networkKeySetting)
  }
  return { multiaddr: target, ...(typeof peerId === 'string' ? { peerId } : {}) }
}
