/**
 * zod schemas for every IPC request. Main validates each message against the
 * one for its operation before anything reaches the engine: the renderer is
 * untrusted, whatever the preload's types say.
 */
import { isAbsolute } from 'node:path'
import { z } from 'zod'
import { isEmoji, MAX_EMOJI_BYTES } from '../core/message.js'
import { DM_ROOM_PREFIX, MAX_JOINED_ROOMS, PRIVATE_ROOM_PREFIX } from '../core/limits.js'
import { isWebLink } from '../core/links.js'
import { MAX_FORWARD_COMMENT_BYTES } from '../core/forward.js'
import { MAX_FILE_MB_CEILING, MAX_KEEP_OTHERS_GB, MAX_MESSAGE_BYTES, MAX_NAME_LENGTH, MAX_ROOM_LENGTH, MAX_STAGED_BYTES, MAX_STATUS_LENGTH, MAX_UPLOAD_PIECE, type OperationName } from '../../preload/contract.js'

const encoder = new TextEncoder()
export const byteLength = (text: string): number => encoder.encode(text).length

// Control characters would let a name or room spoof layout in other peers' UIs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'A display name cannot be empty.')
  .max(MAX_NAME_LENGTH, `A display name has at most ${MAX_NAME_LENGTH} characters.`)
  .refine((s) => !CONTROL.test(s), 'A display name cannot contain control characters.')

/** An invite-only room's name, as people call it (the engine keeps it as it keeps a display name). */
const privateNameSchema = z
  .string()
  .trim()
  .min(1, 'A room name cannot be empty.')
  .max(MAX_NAME_LENGTH, `A room name has at most ${MAX_NAME_LENGTH} characters.`)
  .refine((s) => !CONTROL.test(s), 'A room name cannot contain control characters.')

/** A status in one's own words: one line, '' for none. */
export const statusSchema = z
  .string()
  .trim()
  .max(MAX_STATUS_LENGTH, `A status has at most ${MAX_STATUS_LENGTH} characters.`)
  .refine((s) => !CONTROL.test(s), 'A status is one line, without control characters.')

export const roomSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'A room name cannot be empty.')
  .max(MAX_ROOM_LENGTH, `A room name has at most ${MAX_ROOM_LENGTH} characters.`)
  // Same rule as the engine's: rooms named by CLI peers must stay reachable.
  .refine((s) => !CONTROL.test(s), 'A room name cannot contain control characters.')

/** An invite-only room's id (`pr:…`): its members, keys and creator are its alone. */
const privateRoomSchema = roomSchema.refine((r) => r.startsWith(PRIVATE_ROOM_PREFIX), 'Not a private room: only an invite-only room (pr:…) has members to invite, remove or give keys, and a creator to rename it.')

const textSchema = z
  .string()
  .refine((s) => s.trim().length > 0, 'A message cannot be empty.')
  .refine((s) => byteLength(s) <= MAX_MESSAGE_BYTES, `A message is at most ${MAX_MESSAGE_BYTES / 1024} KiB.`)

/** An invite code as pasted (spaces round it are dropped). */
const inviteCode = z.string().trim().min(1, 'Paste an invite code.').max(20_000, 'That invite code is too long.')
const peerIdSchema = z.string().min(1).max(200).regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'Not a peer id.')

const messageId = z.string().regex(/^[0-9a-f]{64}$/, 'Not a message id.')
const lamportSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
/** Rooms whose "seen up to" mark the settings keep (the oldest marks go first). */
export const MAX_SEEN_ROOMS = 1000
/** Rooms whose unsent draft the settings keep (the oldest drafts go first). */
export const MAX_DRAFT_ROOMS = 100
export { MAX_JOINED_ROOMS } from '../core/limits.js'

/** The latest time a Date holds (ms since 1970). */
const MAX_TIME_MS = 8_640_000_000_000_000

const draftText = z.string().refine((s) => byteLength(s) <= MAX_MESSAGE_BYTES, `A draft is at most ${MAX_MESSAGE_BYTES / 1024} KiB, as a message is.`)
const isPublic = (room: string): boolean => !room.startsWith(DM_ROOM_PREFIX) && !room.startsWith(PRIVATE_ROOM_PREFIX)
const PRIVATE_DRAFT = 'Drafts are kept only for public rooms: a private conversation\'s text is never written to disk unsealed.'
/** A public room: a DM's or an invite-only room's text is never written to disk unsealed, drafts included. */
const publicRoom = roomSchema.refine(isPublic, PRIVATE_DRAFT)

const MAX_MUTED_ROOMS = 1000
const mutedSchema = z.array(roomSchema).max(MAX_MUTED_ROOMS, `At most ${MAX_MUTED_ROOMS} rooms can be muted.`)

export const settingsSchema = z.object({
  name: z.union([z.literal(''), nameSchema]),
  listenPort: z.number().int().min(0, 'The port is 0 (any) or 1 to 65535.').max(65535, 'The port is 0 (any) or 1 to 65535.'),
  mdns: z.boolean(),
  mode: z.enum(['p2p', 'client-server']),
  // Checked for form here; ChatApp turns it into a multiaddr (BadAddressError says what is wrong).
  server: z.string().trim().max(1000, 'That address is too long.'),
  hostServer: z.boolean(),
  serverPort: z.number().int().min(0, 'The port is 0 (any) or 1 to 65535.').max(65535, 'The port is 0 (any) or 1 to 65535.'),
  // Checked for form here; ChatApp parses it (NetworkKeyError says what is wrong) before anything is saved.
  networkKey: z.string().trim().max(400, 'That network key is too long.').optional(),
  downloadsDir: z.string().trim().max(4096, 'That folder name is too long.')
    .refine(d => d === '' || isAbsolute(d), 'Give the whole path of the folder (for example /home/you/Downloads), or leave it empty for your Downloads folder.').optional(),
  autoDownloadImagesMB: z.number().int('Give a whole number of MB.').min(0, 'Give 0 (never) or a size in MB.').max(2048, 'At most 2048 MB.').optional(),
  maxFileMB: z.number().int('Give a whole number of MB.').min(1, 'The largest file is at least 1 MB.').max(MAX_FILE_MB_CEILING, `The largest file is at most ${MAX_FILE_MB_CEILING} MB (64 GiB).`).optional(),
  keepOthersGB: z.number().int('Give a whole number of GB.').min(1, 'Keep at least 1 GB of others\' files.').max(MAX_KEEP_OTHERS_GB, `At most ${MAX_KEEP_OTHERS_GB} GB.`).optional(),
  serverKeepFilesGB: z.number().int('Give a whole number of GB.').min(0, 'Give 0 (no limit) or a size in GB.').max(MAX_KEEP_OTHERS_GB, `At most ${MAX_KEEP_OTHERS_GB} GB.`).optional(),
  muted: mutedSchema.optional(),
  // The public rooms listed under "Rooms", the lobby first (an invite-only room or a DM is listed by being in it).
  joined: z.array(roomSchema).max(MAX_JOINED_ROOMS, `At most ${MAX_JOINED_ROOMS} rooms are kept as joined.`).optional(),
  foldOtherRooms: z.boolean().optional(),
  lastRoom: roomSchema.optional(),
  seen: z.record(z.string().min(1).max(MAX_ROOM_LENGTH), z.object({ id: messageId, lamport: lamportSchema }).strict())
    .refine((r) => Object.keys(r).length <= MAX_SEEN_ROOMS, `At most ${MAX_SEEN_ROOMS} rooms are remembered.`).optional(),
  theme: z.enum(['system', 'light', 'dark']).optional(),
  notify: z.enum(['all', 'mentions', 'off']).optional(),
  notifyPreview: z.boolean().optional(),
  // A time (ms since 1970; one past is no pause, 0 turns a pause off) or until resumed by hand.
  notifyPausedUntil: z.union([
    z.number().int('A pause ends at a time in whole milliseconds.').min(0, 'A pause ends at a time, not before 1970.').max(MAX_TIME_MS, 'A pause cannot end after the year 275760.'),
    z.literal('resume')
  ]).optional(),
  spellcheck: z.boolean().optional(),
  keepRunning: z.boolean().optional(),
  openAtLogin: z.boolean().optional(),
  drafts: z.record(z.string().min(1).max(MAX_ROOM_LENGTH).refine(isPublic, PRIVATE_DRAFT), draftText)
    .refine((r) => Object.keys(r).length <= MAX_DRAFT_ROOMS, `At most ${MAX_DRAFT_ROOMS} drafts are kept.`).optional()
})

/** A conversation's id as the engine makes it: an invite-only room's `pr:` and 24 hex digits, a DM's `dm:` and 40. */
const CONVERSATION_ID = new RegExp(`^(?:${PRIVATE_ROOM_PREFIX}[0-9a-f]{24}|${DM_ROOM_PREFIX}[0-9a-f]{40})$`)

/**
 * A muted list as a settings file holds it (an older build's, or one edited by hand): each entry
 * that can name a conversation, once, as a room name is taken (trimmed, lower case); the others (no
 * text, blank, too long, control characters, a `pr:` or `dm:` that is no such id) are left out, and
 * past MAX_MUTED_ROOMS the ones muted first (a mute goes last). Not whether it is listed: a muted DM
 * or invite-only room is listed only once the engine is up.
 */
function mutedEntries (value: unknown): unknown {
  if (!Array.isArray(value)) return value
  const kept = new Set<string>()
  for (const entry of value) {
    const room = roomSchema.safeParse(entry)
    if (room.success && (isPublic(room.data) || CONVERSATION_ID.test(room.data))) kept.add(room.data)
  }
  return [...kept].slice(-MAX_MUTED_ROOMS)
}

/**
 * The settings as their file is read and written: settingsSchema, but a muted list's bad entries
 * are left out alone (mutedEntries), the rest of it and of the file kept. A request to save
 * settings is still held to settingsSchema: a bad entry there is refused, not dropped.
 */
export const settingsFileSchema = settingsSchema.extend({ muted: z.preprocess(mutedEntries, mutedSchema).optional() })

const base64 = (maxBytes: number, what: string): z.ZodType<string> => z.string()
  .max(Math.ceil(maxBytes / 3) * 4, `${what} is at most ${maxBytes / 1024} KiB.`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, `${what} is not base64.`)

const none = z.undefined().or(z.null()).transform(() => undefined)
const fileNameSchema = z.string().trim().min(1, 'A file needs a name.').max(255, 'A file name is at most 255 characters.')
const mimeSchema = z.string().max(127).regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'Not a MIME type.')
const thumbnailMimeSchema = z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
/** A public room: an attached file is kept across a restart only there, as a draft is. */
const stagedRoom = roomSchema.refine(isPublic, 'Attached files are kept across a restart only for public rooms: a private conversation\'s are never written to disk unsealed.')

export const requestSchemas = {
  snapshot: none,
  setName: z.object({ name: nameSchema }).strict(),
  setStatus: z.object({ status: statusSchema, until: z.number().int().positive().optional() }).strict(),
  send: z.object({ room: roomSchema.optional(), to: peerIdSchema.optional(), text: textSchema, replyTo: z.string().min(1).max(200).optional() }).strict()
    .refine((r) => (r.room === undefined) !== (r.to === undefined), 'A message goes to a room or, with "to", to one peer: give exactly one.'),
  forward: z.object({
    id: messageId,
    room: roomSchema.optional(),
    to: peerIdSchema.optional(),
    comment: z.string().refine((s) => byteLength(s) <= MAX_FORWARD_COMMENT_BYTES, `A comment is at most ${MAX_FORWARD_COMMENT_BYTES / 1024} KiB.`).optional(),
    confirm: z.boolean().optional()
  }).strict().refine((r) => (r.room === undefined) !== (r.to === undefined), 'A message is forwarded to a room or, with "to", to one person: give exactly one.'),
  edit: z.object({ room: roomSchema.optional(), id: messageId, text: textSchema }).strict(),
  delete: z.object({ room: roomSchema.optional(), id: messageId }).strict(),
  react: z.object({
    room: roomSchema.optional(),
    id: messageId,
    // One emoji (a flag or a family sequence fits): short, without spaces or control characters.
    emoji: z.string().min(1, 'Pick an emoji.').refine((s) => byteLength(s) <= MAX_EMOJI_BYTES && !/\s/.test(s) && !CONTROL.test(s), 'Not an emoji.'),
    on: z.boolean().optional()
  }).strict()
    // Put on: an emoji, not a word (core/message.ts, the terminal's rule too). Taken off: any that is on, one put by an older build too.
    .refine((r) => r.on === false || isEmoji(r.emoji), { path: ['emoji'], message: 'Not an emoji: a reaction is an emoji, such as 👍, not a word.' }),
  pin: z.object({ room: roomSchema.optional(), id: messageId, on: z.boolean() }).strict(),
  pins: z.object({ room: roomSchema }).strict(),
  save: z.object({ id: messageId, on: z.boolean() }).strict(),
  saved: none,
  savedIds: none,
  versions: z.object({ id: messageId }).strict(),
  unsent: none,
  dropUnsent: z.object({ id: messageId }).strict(),
  dms: none,
  unread: none,
  openDm: z.object({ peerId: peerIdSchema }).strict(),
  closeDm: z.object({ peerId: peerIdSchema }).strict(),
  createPrivateRoom: z.object({ name: privateNameSchema }).strict(),
  joinInvite: z.object({ code: inviteCode }).strict(),
  checkInvite: z.object({ code: inviteCode }).strict(),
  invite: z.object({ room: privateRoomSchema, to: peerIdSchema.optional() }).strict(),
  privateRoom: z.object({ room: privateRoomSchema }).strict(),
  privateRooms: none,
  members: z.object({ room: roomSchema }).strict(),
  removeMember: z.object({ room: privateRoomSchema, peerId: peerIdSchema }).strict(),
  giveRoomKeys: z.object({ room: privateRoomSchema, peerId: peerIdSchema }).strict(),
  renamePrivateRoom: z.object({ room: privateRoomSchema, name: privateNameSchema }).strict(),
  dial: z.object({ address: z.string().max(1000, 'That address is too long.'), keepTrying: z.boolean().optional() }).strict(),
  connectPeer: z.object({ peerId: peerIdSchema }).strict(),
  stopDialing: z.object({ address: z.string().max(1000, 'That address is too long.') }).strict(),
  history: z.object({
    room: roomSchema,
    before: z.string().min(1).max(200).optional(),
    after: z.string().min(1).max(200).optional(),
    around: z.string().min(1).max(200).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    notes: z.boolean().optional()
  }).strict().refine(r => [r.before, r.after, r.around].filter(x => x !== undefined).length <= 1, 'give at most one of before, after and around'),
  search: z.object({ q: z.string().trim().min(1, 'Search for at least one word.').max(500, 'That search is too long.'), room: roomSchema.optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  joinRoom: z.object({ room: roomSchema }).strict(),
  leaveRoom: z.object({ room: roomSchema }).strict(),
  leavePrivateRoom: z.object({ room: privateRoomSchema }).strict(),
  muteRoom: z.object({ room: roomSchema, muted: z.boolean() }).strict(),
  markSeen: z.object({ room: roomSchema, id: messageId, lamport: lamportSchema }).strict(),
  saveDraft: z.object({ room: publicRoom, text: draftText }).strict(),
  rooms: none,
  peers: none,
  block: z.object({ peerId: peerIdSchema }).strict(),
  unblock: z.object({ peerId: peerIdSchema }).strict(),
  forget: z.object({ peerId: peerIdSchema }).strict(),
  switchMode: z.object({ mode: z.enum(['p2p', 'client']), server: z.string().trim().min(1).max(1000, 'That address is too long.').optional() }).strict(),
  saveSettings: settingsSchema.partial().strict(),
  setUnread: z.object({ count: z.number().int().min(0).max(1_000_000_000) }).strict(),
  stats: none,
  sockets: none,
  trace: z.object({ room: roomSchema }).strict(),
  // '*' cuts from everyone; otherwise a peer id.
  partition: z.object({ peerId: z.union([z.literal('*'), peerIdSchema]) }).strict(),
  heal: none,
  demo: z.object({ action: z.enum(['start', 'next', 'stop']) }).strict(),
  // A public room's only, as its draft: a private conversation's file names are never written to disk unsealed.
  stageFile: z.object({
    room: stagedRoom,
    // From the preload (the File the user picked or dropped), never typed by the page.
    path: z.string().min(1).max(4096).refine(isAbsolute, 'A file is kept by its whole path.'),
    mime: mimeSchema.optional(),
    thumbnail: base64(32 * 1024, 'A thumbnail').optional(),
    thumbnailMime: thumbnailMimeSchema.optional()
  }).strict(),
  stageBytes: z.object({
    id: z.string().regex(/^[0-9a-f]{32}$/, 'Not a kept file\'s id.').optional(),
    room: stagedRoom.optional(),
    name: fileNameSchema.optional(),
    size: z.number().int().min(0).max(MAX_STAGED_BYTES, `A pasted file over ${MAX_STAGED_BYTES / 2 ** 20} MiB is not kept across a restart.`).optional(),
    mime: mimeSchema.optional(),
    thumbnail: base64(32 * 1024, 'A thumbnail').optional(),
    thumbnailMime: thumbnailMimeSchema.optional(),
    data: base64(MAX_UPLOAD_PIECE, 'A piece of a pasted file')
  }).strict().refine((r) => (r.id === undefined) === (r.room !== undefined && r.name !== undefined && r.size !== undefined), 'The first piece names the room, the file and its size; each later one only the id it was given.'),
  stagedFiles: none,
  unstage: z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'Not a kept file\'s id.') }).strict(),
  sendStaged: z.object({ room: stagedRoom, id: z.string().regex(/^[0-9a-f]{32}$/, 'Not a kept file\'s id.'), text: textSchema.optional() }).strict(),
  shareFile: z.object({ room: roomSchema, path: z.string().min(1).max(4096), text: textSchema.optional(), to: peerIdSchema.optional() }).strict(),
  uploadFile: z.object({
    upload: z.string().regex(/^[0-9a-f]{32}$/, 'Not an upload id.').optional(),
    data: base64(MAX_UPLOAD_PIECE, 'A piece of an upload'),
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional()
  }).strict(),
  sendFile: z.object({
    room: roomSchema,
    upload: z.string().regex(/^[0-9a-f]{32}$/, 'Not an upload id.'),
    name: fileNameSchema,
    mime: mimeSchema.optional(),
    thumbnail: base64(32 * 1024, 'A thumbnail').optional(),
    thumbnailMime: thumbnailMimeSchema.optional(),
    text: textSchema.optional()
  }).strict(),
  download: z.object({ id: messageId }).strict(),
  fetchFile: z.object({ id: messageId }).strict(),
  cancelDownload: z.object({ id: messageId }).strict(),
  reveal: z.object({ id: messageId, action: z.enum(['folder', 'open']) }).strict(),
  fileStorage: none,
  freeFileStorage: none,
  image: z.object({ id: messageId }).strict(),
  typing: z.object({ room: roomSchema }).strict(),
  setPresence: z.object({ state: z.enum(['online', 'away']) }).strict(),
  presence: none,
  systemIdle: none,
  // Only http and https: javascript:, file:, data: and every other scheme are refused here, before any host sees them.
  openLink: z.object({ url: z.string().max(4096, 'That link is too long.').refine(isWebLink, 'Only http and https links can be opened.') }).strict()
} satisfies Record<OperationName, z.ZodType>
