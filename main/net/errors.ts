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

export class PeerBlockedError extends Error {
  static override readonly name = 'PeerBlockedError'
  override readonly name = 'PeerBlockedError'
}
