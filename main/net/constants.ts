/** Protocol ids, limits and timeouts of the LAN Chat protocols. */

import pkg from '../../package.json' with { type: 'json' }

export const CHAT_PROTOCOL = '/lanchat/chat/1.0.0'
export const PROTOCOL_VERSION = 1
/** This build's version, as package.json says: hellos carry it (either protocol) so peers can say who runs an older one. */
export const APP_VERSION: string = pkg.version
/**
 * What this build understands, as a number: raised by one whenever a build
 * adds something older builds miss or show wrongly (a new optional field, a
 * sealed reaction emoji they show as a lock), so peers compare builds by it,
 * not by version strings. Builds whose hello says no level are level 0.
 * 1: hellos say the version and level.
 * 2: opens private texts sealed padded (chat/padding.ts; core/build.ts PADDED_LEVEL).
 */
export const FEATURE_LEVEL = 2
/** Largest frame on the chat stream: one 64 KiB message plus headroom, or a batch. */
export const MAX_FRAME_BYTES = 1024 * 1024
/** A batch (sync answer, relay) is cut into frames of about this size, counted by wireBytes (codec.ts). */
export const BATCH_BYTES = 256 * 1024
/**
 * Largest signed body a message from the network may have. An honest one is at most about 100 KiB
 * (64 KiB of text or sealed text, a 32 KiB thumbnail, a file name, 32 deps); anything past this is
 * unknown fields a peer padded it with. Bounded so that one message plus what a relay adds on the
 * way (hops, `late`, a hub's number) always fits a frame, and a batch cut at BATCH_BYTES, which
 * passes it by at most one message, stays under MAX_FRAME_BYTES.
 */
export const MAX_BODY_BYTES = 256 * 1024
/** Most messages in one frame. */
export const MAX_MESSAGES_PER_FRAME = 4096
/** Most entries in a version vector / want list. */
export const MAX_VECTOR_ENTRIES = 10_000
/**
 * A vector longer than this goes in parts of this many authors (about 300 KB
 * a frame), at most MAX_SYNC_PARTS of them: anti-entropy keeps working up to
 * 100,000 authors instead of stopping at one frame's worth.
 */
export const SYNC_PART_ENTRIES = 4_000
export const MAX_SYNC_PARTS = 25
/** Authors held at once in every peer's unfinished parted syncs together: the oldest part series goes beyond. */
export const MAX_SYNC_PART_AUTHORS = 200_000
export const MAX_WANT_IDS = 1024
/**
 * Live pushes: an author may have this many messages a second delivered
 * (burst up to RATE_BURST); more wait in its own queue while other authors
 * are served (chat/intake.ts). Generous for people (a busy room of 20 is well
 * under 50/s), tight enough that a flood cannot starve the other peers.
 */
export const RATE_PER_SECOND = 500
export const RATE_BURST = 5_000
/**
 * A link, which carries its peer's relays of every author, is read at up to
 * this many authors' budgets before it is paused: a backstop against a peer
 * inventing authors, high enough that relaying one author's flood never
 * holds back the link's other messages behind a paused read.
 */
export const LINK_AUTHORS = 8
/** Batches answering our sync/want: catch-up of 100k messages must take seconds, not minutes. */
export const ANSWER_RATE_PER_SECOND = 200_000
export const ANSWER_RATE_BURST = 200_000
/**
 * Sync and want requests a peer may send a second (burst up to
 * REQUEST_RATE_BURST); more are dropped. An honest peer syncs every few
 * seconds and wants after a batch that left something missing.
 */
export const REQUEST_RATE_PER_SECOND = 20
export const REQUEST_RATE_BURST = 50
/**
 * Most bytes queued for one chat link that the other end has not taken: a
 * peer that stops reading is cut off there, not buffered for without end
 * (answers wait for it, so only relays can pile up).
 */
export const MAX_QUEUED_BYTES = 32 * 1024 * 1024
/** A mesh peer's inbound sockets: handshake time, new sockets per remote address a second, and unauthenticated ones at once (node.ts). */
export const INBOUND_UPGRADE_TIMEOUT_MS = 3_000
export const INBOUND_PER_HOST_PER_SECOND = 100
export const MAX_PENDING_INBOUND = 512
/** How often connected peers compare version vectors (anti-entropy), ms. */
export const SYNC_INTERVAL_MS = 5_000
/** How long a dial may take at most, ms: the address answering, then Noise and yamux. */
export const DIAL_TIMEOUT_MS = 10_000
/**
 * A dial whose address has not answered (no TCP connection) after this long, ms, holds none of
 * the overlay's slots for dials under way (overlay.ts) while it waits on: a LAN answers in a
 * millisecond, so it is a computer gone or a firewall that drops without a word, and a known peer
 * that is there is dialed meanwhile instead of waiting the 10 s behind it. At most MAX_SILENT_DIALS
 * of them wait at once (they cost a SYN now and then, no handshake).
 */
export const DIAL_SILENT_MS = 500
export const MAX_SILENT_DIALS = 16
/** Reconnect backoff to known peers, ms: doubling from MIN to MAX, with jitter. */
export const RECONNECT_MIN_MS = 500
export const RECONNECT_MAX_MS = 30_000
/**
 * A known peer unreachable for longer than RECONNECT_LONG_AFTER_MS (a laptop
 * that left the office) backs off on, doubling up to RECONNECT_LONG_MS; one
 * whose address answered and was not LAN Chat (another program took its
 * port) goes there at once. Every peer knew it, so each dial is multiplied
 * by the LAN: a hundred peers at 30 s each were three SYNs a second, for ever,
 * per departed peer. A peer that is back is dialed at once all the same: mDNS
 * seeing it again, a new address for it, its dialing us (overlay.ts).
 */
export const RECONNECT_LONG_AFTER_MS = 10 * 60_000
export const RECONNECT_LONG_MS = 5 * 60_000
/**
 * The mesh's degree (overlay.ts): each peer dials this many random peers and
 * takes the links others dial to it, so the average peer has about twice as
 * many, however many are on the LAN. Flooding costs N x degree envelopes a
 * message; 4 keeps a classroom of 100 under 10 x N and the graph connected.
 */
export const MESH_OUTBOUND = 4
/** Every so long (with jitter) a peer swaps one link for a random other peer, ms: the graph mixes and healed partitions reconnect. */
export const MESH_ROTATE_MS = 120_000
/** A mesh peer's connections at most (libp2p's connection manager prunes past it). */
export const MESH_MAX_CONNECTIONS = 20
/**
 * Sockets past MESH_MAX_CONNECTIONS that libp2p still accepts: a peer that is
 * full takes the link long enough to tell the newcomer of its other links
 * (peer exchange), then sends it on (mesh.ts), instead of refusing the
 * socket — with no mDNS, a class typing one teacher's address would
 * otherwise leave its 21st student with nobody.
 */
export const MESH_SPARE_CONNECTIONS = 16
/** Peer exchange (mesh.ts): most peers in one frame, and most addresses of each; what a sender sends is below both. */
export const MAX_SHARED_PEERS = 32
export const MAX_SHARED_ADDRS = 8
export const MAX_INBOUND_STREAMS = 8
/** A graceful stop waits this long, at most, for queued frames to reach the sockets, ms. */
export const STOP_DRAIN_MS = 5_000
/** How long a new link may take to say hello before it is closed, ms. */
export const HELLO_TIMEOUT_MS = 10_000
/**
 * libp2p's connection monitor pings every connection this often, and aborts
 * one whose ping goes unanswered for LINK_PING_TIMEOUT_MS (at least; longer
 * if pings have been slow). libp2p's own floor is 5 s, which a busy peer
 * misses without being gone: one committing a 100k catch-up, or a classroom
 * of engines sharing a CPU, dropped its links, redialed and fell further
 * behind. A peer that quits or crashes closes its sockets, which is noticed
 * at once; only a computer that vanishes silently waits for the timeout.
 * Every 20 s rather than libp2p's 10: a ping is a stream of its own (open,
 * protocol negotiation, 32 bytes each way, close), the largest share of a
 * classroom's idle traffic, and the chat stream's sync digests go every 5 s
 * anyway.
 */
export const LINK_PING_INTERVAL_MS = 20_000
/**
 * How often a peer listening on every interface looks again at where that is:
 * a laptop that moved from Wi-Fi to Ethernet, got a new DHCP address or turned
 * a VPN on listens at other addresses from then on, and its status bar,
 * Connect dialog and terminal say the new ones (libp2p reads the interfaces
 * afresh for mDNS answers and identify, but tells nobody when they change).
 * A client, which listens on nothing, looks as often at the computer's
 * interfaces for the address its hub link runs from (hub-link.ts).
 */
export const OWN_ADDRS_CHECK_MS = 3_000
export const LINK_PING_TIMEOUT_MS = 30_000
/** Ping streams at once per connection each way: the monitor's (timeout / interval of them) and the socket panel's. */
export const PING_STREAMS = Math.ceil(LINK_PING_TIMEOUT_MS / LINK_PING_INTERVAL_MS) + 2

// ---- the hub protocol (client-server mode) ----

export const HUB_PROTOCOL = '/lanchat/hub/1.0.0'
export const HUB_PROTOCOL_VERSION = 1
/**
 * mDNS service tag the hub answers under. Peers announce their own
 * (LANCHAT_PEER_SERVICE_TAG); a distinct tag lets a client ask for hubs only
 * and never sees P2P peers.
 */
export const HUB_SERVICE_TAG = '_lanchat-hub._udp.local'
/**
 * libp2p's default mDNS tag, which every libp2p program on the LAN asks and
 * answers under (IPFS and others). Mesh peers with a network key derive their
 * tag from it (node.ts; unchanged, so keyed peers of older builds still meet).
 */
export const PEER_SERVICE_TAG = '_p2p._udp.local'
/** The tag mesh peers without a network key ask and answer under: LAN Chat's own, so other libp2p programs do not find us, nor we them. */
export const LANCHAT_PEER_SERVICE_TAG = '_lanchat-peer._udp.local'
/**
 * Builds before LANCHAT_PEER_SERVICE_TAG used PEER_SERVICE_TAG alone: for a
 * transition, keyless mesh peers also answer under it (older builds ask every
 * 5 s and find us) and ask under it this seldom. An answer goes to the whole
 * multicast group, so we hear older builds whenever any of them asks; our own
 * question only adds to that. Such a find that is another program is dialed
 * once, and then every RECONNECT_LONG_MS (overlay.ts).
 */
export const GENERIC_TAG_QUERY_MS = 60_000
/** A client may submit this many messages per second (burst up to HUB_RATE_BURST) before it is throttled. */
export const HUB_RATE_PER_SECOND = 50
export const HUB_RATE_BURST = 200
/** Submitted messages a client may have in one frame. */
export const MAX_SUBMIT_PER_FRAME = 256
/** Sequenced messages per catch-up frame (the frame limit is MAX_FRAME_BYTES). */
export const DELIVER_BATCH = 512
/** Bytes of sequenced messages per catch-up frame. */
export const DELIVER_BATCH_BYTES = 256 * 1024
/** Most clients a hub serves at once. */
export const MAX_CLIENTS = 1024
/**
 * Reconnect backoff of a client to its hub, ms. The hub is a client's one link: at most 4 s (it was
 * 10 s) after the hub is back, every client is too. A dial to a hub that is down costs one SYN on a
 * LAN; even a full hub's 1,024 clients make 256 a second. Chaos seed 24 (hub killed before the heal)
 * converged in 2.0-3.6 s against 8.3 s at 10 s.
 */
/**
 * A message submitted to a hub that is linked but has not numbered it for this long is told
 * pending (`slow`): a hub whose computer sleeps or whose process is stopped keeps its link up
 * until the pings run out (tens of seconds), and a person would see nothing meanwhile.
 */
export const HUB_SLOW_MS = 5_000
/**
 * How long a client's ping on its hub link may take once mDNS says the hub is
 * at other addresses (its computer changed networks): unanswered, the link is
 * dead and the hub is dialed where it is now. Generous for a busy hub on a LAN
 * (milliseconds), short beside the pings' own timeout.
 */
export const HUB_MOVED_PING_MS = 4_000
export const HUB_RECONNECT_MIN_MS = 250
export const HUB_RECONNECT_MAX_MS = 4_000

// ---- the file protocol ----

/** The file protocol: whole chunks, and pieces of chunks for a downloader on a slow link. */
export const FILE_PROTOCOL = '/lanchat/file/1.1.0'
/**
 * The file protocol as builds from before pieces speak it: whole chunks only (such a holder
 * drops the pieces of a request unread and answers nothing). A holder serves both; a downloader
 * offers both and asks a holder that picks this one for whole chunks.
 */
export const FILE_PROTOCOL_WHOLE = '/lanchat/file/1.0.0'
export const FILE_PROTOCOLS: readonly string[] = [FILE_PROTOCOL, FILE_PROTOCOL_WHOLE]
/** Largest message on a file stream: one chunk (4 MiB at most) plus its header. */
export const MAX_FILE_MESSAGE_BYTES = 4 * 1024 * 1024 + 1024
/** File streams one peer may have open to us at once (a per-peer cap on uploads), and in all. */
export const MAX_UPLOADS_PER_PEER = 4
export const MAX_FILE_INBOUND_STREAMS = 64
export const MAX_FILE_OUTBOUND_STREAMS = 64
/** Most chunks asked for in one request. */
export const FILE_REQUEST_CHUNKS = 4
/** Most pieces of chunks asked for in one request (a slow link's, see chat/pacer.ts). */
export const FILE_REQUEST_PIECES = 16
/**
 * File bytes a downloader keeps asked for and not yet received, per holder
 * (at least one chunk). The chat stream shares the connection, and a chat
 * frame waits behind whatever file data is already on its way: this bounds
 * that wait (see BENCHMARKS.md, Files).
 */
export const FILE_INFLIGHT_BYTES = 512 * 1024
/** A holder must answer within this long (per response), or it counts as stalled, ms. */
export const FILE_RESPONSE_TIMEOUT_MS = 15_000
/** Opening a file stream on an existing connection, ms. */
export const FILE_OPEN_TIMEOUT_MS = 10_000
/** How long a holder waits for the next request before closing an idle stream, ms. */
export const FILE_IDLE_TIMEOUT_MS = 60_000
