import type { MeshOptions as TransportOptions } from '../net/mesh.js'

/** How a P2P engine joins the mesh (engine options in mode p2p). */
export interface MeshOptions {
  dataDir: string
  /** Multiaddrs to listen on; default all interfaces, a free port. */
  listen?: string[]
  /** Find peers on the LAN by mDNS (default true). */
  mdns?: boolean
  /** Multiaddrs to dial at start. */
  dial?: string[]
  /** Messages an author may have delivered per second (more wait their turn: intake.ts). */
  ratePerSecond?: number
  rateBurst?: number
  /** Anti-entropy period in ms. */
  syncIntervalMs?: number
  /** How often the book of known peers drops those not seen for half a year while running (default daily: store/peer-store.ts). */
  bookAgeOutMs?: number
  /** How many messages' receipts are remembered and kept on disk (default MAX_TRACKED: chat/receipts.ts; tests lower it). */
  receiptsTracked?: number
  /** Only peers with this network key can connect. */
  networkKey?: string
  /** Where this host sets the network key, as a connection failure names it (connect-errors.ts; default: the app's Settings). */
  networkKeySetting?: string
  /** The mesh's degree and link rotation (net/overlay.ts); the defaults suit a LAN of 2 to 100+. */
  overlay?: TransportOptions['overlay']
  /** How often links are pinged, and how long a ping may take before its link is dropped (defaults: 20 s and 30 s; tests shorten them). */
  linkPing?: TransportOptions['linkPing']
  /** Ways to find peers besides mDNS (libp2p discovery modules). */
  peerDiscovery?: TransportOptions['peerDiscovery']
}
