/** Errors the engine reports to hosts. Tests assert `name`, never the wording. */

export { NotStartedError } from '../net/errors.js'

export class UnknownMessageError extends Error {
  static override readonly name = 'UnknownMessageError'
  override readonly name = 'UnknownMessageError'
}

/** A command that has no meaning in this mode (e.g. block in client mode). */
export class ModeError extends Error {
  static override readonly name = 'ModeError'
  override readonly name = 'ModeError'
}

/** Forgetting someone who is here (linked, online or away): they would be listed again at once. */
export class PeerHereError extends Error {
  static override readonly name = 'PeerHereError'
  override readonly name = 'PeerHereError'
}

/** A direct message to someone who cannot receive one: not a peer id, or not an Ed25519 key. */
export class UnknownRecipientError extends Error {
  static override readonly name = 'UnknownRecipientError'
  override readonly name = 'UnknownRecipientError'
}

/** A private message meant for us that does not open: sealed to another key, altered, or not a text (bad UTF-8, bad padding). It is not shown. `room`: the invite-only room it came in. */
export class UnreadableMessageError extends Error {
  static override readonly name = 'UnreadableMessageError'
  override readonly name = 'UnreadableMessageError'
  constructor (message: string, readonly room?: string) { super(message) }
}

/** An invite code that is not one (mangled, truncated, or from something else). */
export class InvalidInviteError extends Error {
  static override readonly name = 'InvalidInviteError'
  override readonly name = 'InvalidInviteError'
}

/** An invite-only room we are not in (no key for it), or were removed from. */
export class NotAMemberError extends Error {
  static override readonly name = 'NotAMemberError'
  override readonly name = 'NotAMemberError'
}

/** Only a room's creator removes members and hands out new keys; anything else claiming to is refused. */
export class NotRoomOwnerError extends Error {
  static override readonly name = 'NotRoomOwnerError'
  override readonly name = 'NotRoomOwnerError'
}

/** Someone joined a room we created with an invite from before a change of members (the creator is told: it gives them the keys, or removes them). */
export class OldInviteError extends Error {
  static override readonly name = 'OldInviteError'
  override readonly name = 'OldInviteError'
}

/** No connected peer holds a file (or every one that did served bad data). */
export class NoHolderError extends Error {
  static override readonly name = 'NoHolderError'
  override readonly name = 'NoHolderError'
}

/** A download or send that is not there (an unknown message, no file in it). */
export class NoFileError extends Error {
  static override readonly name = 'NoFileError'
  override readonly name = 'NoFileError'
}

/** A download's bytes could not be written (a full disk, a file size limit, a failing drive): it stops at once; what was written stays for a retry. */
export class FileWriteError extends Error {
  static override readonly name = 'FileWriteError'
  override readonly name = 'FileWriteError'
}

/** Not enough free disk space for a download (checked before anything is written). */
export class NoSpaceError extends Error {
  static override readonly name = 'NoSpaceError'
  override readonly name = 'NoSpaceError'
}

/**
 * A file of a direct message or an invite-only room that does not decrypt
 * with the key its message carries: a wrong key, or ciphertext altered,
 * reordered or cut short. Nothing is left under the file's name.
 */
export class FileDecryptError extends Error {
  static override readonly name = 'FileDecryptError'
  override readonly name = 'FileDecryptError'
}

/** Only a message's author edits or deletes it. */
export class NotAuthorError extends Error {
  static override readonly name = 'NotAuthorError'
  override readonly name = 'NotAuthorError'
}

/** A deleted message is gone for good: it is not edited or reacted to. */
export class MessageDeletedError extends Error {
  static override readonly name = 'MessageDeletedError'
  override readonly name = 'MessageDeletedError'
}

/** One person puts at most MAX_REACTIONS_PER_PERSON different emoji on one message. */
export class TooManyReactionsError extends Error {
  static override readonly name = 'TooManyReactionsError'
  override readonly name = 'TooManyReactionsError'
}

/** A conversation holds at most MAX_PINNED pinned messages: unpin one before pinning another. */
export class PinLimitError extends Error {
  static override readonly name = 'PinLimitError'
  override readonly name = 'PinLimitError'
}

/** One person keeps at most MAX_SAVED messages saved for later: take one off the list first. */
export class SavedLimitError extends Error {
  static override readonly name = 'SavedLimitError'
  override readonly name = 'SavedLimitError'
}

/** A new message or file to someone we blocked: unblock them first (they would read it, and could answer to nobody). */
export class BlockedRecipientError extends Error {
  static override readonly name = 'BlockedRecipientError'
  override readonly name = 'BlockedRecipientError'
}

/**
 * A private message (a DM's, an invite-only room's) forwarded where others would read it: nothing
 * goes until the forward is confirmed. Its message says who will read it, for the confirm to show.
 */
export class ForwardConfirmError extends Error {
  static override readonly name = 'ForwardConfirmError'
  override readonly name = 'ForwardConfirmError'
}

/** A conversation that is not listed here (a direct one closed or never had, a public room not joined): nothing to close or mute in it. */
export class NotListedError extends Error {
  static override readonly name = 'NotListedError'
  override readonly name = 'NotListedError'
}

/** Taking off the saved list a message that is not on it: nothing to take off. */
export class NotSavedError extends Error {
  static override readonly name = 'NotSavedError'
  override readonly name = 'NotSavedError'
}

/** An invite to an invite-only room for someone in it already: nothing is sent. */
export class AlreadyMemberError extends Error {
  static override readonly name = 'AlreadyMemberError'
  override readonly name = 'AlreadyMemberError'
}
