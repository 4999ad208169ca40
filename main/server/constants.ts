/** Protocol id, limits and timeouts of the client-server (hub) mode. */

export const HUB_PROTOCOL = '/lanchat/hub/1.0.0'
export const HUB_PROTOCOL_VERSION = 1
/**
 * mDNS service tag the hub answers under. Peers announce `_p2p._udp.local`;
 * a distinct tag lets a client ask for hubs only and never sees P2P peers.
 */
export const HUB_SERVICE_TAG = '_lanchat-hub._udp.local'
/** A client may submit this many messages per second (burst up to HUB_RATE_BURST) before it is throttled. */
export const HUB_RATE_PER_SECOND = 50
export const HUB_RATE_BURST = 200
/** Submitted messages a client may have in one frame. */
export const MAX_SUBMIT_PER_FRAME = 256
/** Sequenced messages per catch-up frame (the frame limit is MAX_FRAME_BYTES). */
export const DELIVER_BATCH = 512
/** Bytes of sequenced messages per catch-up frame. */
export const DELIVER_BATCH_BYTES = 256 * 1024
/** Frames a client may get wrong before it is dropped (1: the first junk frame drops it). */
export const MAX_STRIKES = 1
/** How long the hub waits for a client's hello before hanging up, ms. */
export const HELLO_TIMEOUT_MS = 10_000
/** Most clients served at once. */
export const MAX_CLIENTS = 1024
/** Reconnect backoff of a client to its hub, ms. */
export const HUB_RECONNECT_MIN_MS = 250
export const HUB_RECONNECT_MAX_MS = 10_000
