/** Errors of the network layer. Tests assert `name`, never the wording. */

export class FrameError extends Error {
  static override readonly name = 'FrameError'
  override readonly name = 'FrameError'
}

export class SignatureError extends Error {
  static override readonly name = 'SignatureError'
  override readonly name = 'SignatureError'
}

export class BadAddressError extends Error {
  static override readonly name = 'BadAddressError'
  override readonly name = 'BadAddressError'
}

/** A string that is not a peer id where one is needed (to block, unblock or forget a peer). */
export class BadPeerIdError extends Error {
  static override readonly name = 'BadPeerIdError'
  override readonly name = 'BadPeerIdError'
}

/** A peer to connect to of which no address is known (only heard of through others): it needs one typed. */
export class NoPeerAddressError extends Error {
  static override readonly name = 'NoPeerAddressError'
  override readonly name = 'NoPeerAddressError'
}

export class PeerBlockedError extends Error {
  static override readonly name = 'PeerBlockedError'
  override readonly name = 'PeerBlockedError'
}

/** A hub-protocol frame that does not decode: the link that sent it is closed. */
export class HubFrameError extends Error {
  static override readonly name = 'HubFrameError'
  override readonly name = 'HubFrameError'
}

/** A call on an engine or transport that is not started (or already stopped). */
export class NotStartedError extends Error {
  static override readonly name = 'NotStartedError'
  override readonly name = 'NotStartedError'
}

/** A network key that is not one: wrong length, not hex, or not a swarm key file. Nothing was changed. */
export class NetworkKeyError extends Error {
  static override readonly name = 'NetworkKeyError'
  override readonly name = 'NetworkKeyError'
}

/** A file transfer with one holder failed: it stalled, closed, sent junk or does not have the file. */
export class FileTransferError extends Error {
  static override readonly name: string = 'FileTransferError'
  override readonly name: string = 'FileTransferError'
}

/** A holder that answered nothing for as long as it was given: still connected, and silent. */
export class HolderSilentError extends FileTransferError {
  static override readonly name = 'HolderSilentError'
  override readonly name = 'HolderSilentError'
}
