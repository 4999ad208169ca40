/**
 * The one dispatch every host drives, independent of Electron: each request
 * is validated with its operation's zod schema, then runs and answers a
 * Result. Electron's ipcMain and the test host's WebSocket bridge route into
 * a dispatch over ChatApp; the headless `bin/lanchat` into one over its
 * engine (headless.ts) — the same operations, the same validation.
 */
import { OPERATIONS, type OperationName, type RequestOf, type ResponseOf, type Result } from '../../preload/contract.js'
import { InvalidRequestError, toErrorInfo, UnknownOperationError } from './errors.js'
import { requestSchemas } from './schemas.js'
import { plainWords } from './request-words.js'
import type { ChatApp } from './service.js'
import type { Page } from '../chat/types.js'
import { openLinkWith, systemIdleWith, type LinkOpener } from './links.js'
import { roomMembers } from './members.js'
import { keepDialingAddress, stopDialingAddress } from './address.js'
import { checkMutable, checkMutedList, unreadCounts, withDraft, withMuted, withSeen } from './room-state.js'

/** What only the host can do (window title, dock badge). */
export interface HostHooks {
  setUnread(count: number): void
  /** The system browser (links.ts); a host without one refuses to open links. */
  openLink?: LinkOpener
  /** How long the computer has had no input, ms; a host that cannot tell has none (the window then counts its own input only). */
  systemIdle?: () => number
}

export type Implementations = { [K in OperationName]: (request: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>> }

function implementations(app: ChatApp, hooks: HostHooks): Implementations {
  return {
    snapshot: () => app.snapshot(),
    setName: ({ name }) => app.setName(name),
    setStatus: ({ status, until }) => app.setStatus(status, until),
    send: ({ room, to, text, replyTo }) => (to !== undefined ? app.sendDirect(to, text, replyTo) : app.send(room!, text, replyTo)),
    forward: ({ id, room, to, comment, confirm }) => app.engine().forward(id, { ...(room !== undefined ? { room } : {}), ...(to !== undefined ? { to } : {}) }, { ...(comment !== undefined ? { comment } : {}), ...(confirm !== undefined ? { confirm } : {}) }),
    edit: ({ room, id, text }) => app.engine().edit(room ?? '', id, text),
    delete: ({ room, id }) => app.engine().delete(room ?? '', id),
    react: ({ room, id, emoji, on }) => app.engine().react(room ?? '', id, emoji, on ?? true),
    pin: ({ room, id, on }) => app.engine().pin(room ?? '', id, on),
    pins: ({ room }) => app.engine().pins(room),
    save: ({ id, on }) => app.engine().save(id, on),
    saved: () => app.engine().saved(),
    savedIds: () => app.engine().savedIds(),
    versions: ({ id }) => app.engine().versions(id),
    unsent: () => app.engine().unsent(),
    dropUnsent: ({ id }) => app.engine().dropUnsent(id),
    dms: () => app.dms(),
    openDm: ({ peerId }) => app.openDm(peerId),
    closeDm: ({ peerId }) => app.engine().closeDm(peerId),
    createPrivateRoom: async ({ name }) => {
      const view = await app.engine().createPrivateRoom(name)
      return { ...view, invite: app.engine().invite(view.room) }
    },
    joinInvite: ({ code }) => app.engine().joinInvite(code),
    checkInvite: ({ code }) => app.engine().checkInvite(code),
    invite: async ({ room, to }) => to === undefined ? { room, code: app.engine().invite(room) } : { room, to, code: await app.engine().sendInvite(room, to) },
    privateRoom: ({ room }) => app.engine().privateRoom(room),
    privateRooms: () => app.engine().privateRooms(),
    members: ({ room }) => roomMembers(app.engine(), room),
    removeMember: ({ room, peerId }) => app.engine().removeMember(room, peerId),
    giveRoomKeys: ({ room, peerId }) => app.engine().giveRoomKeys(room, peerId),
    renamePrivateRoom: ({ room, name }) => app.engine().renamePrivateRoom(room, name),
    dial: ({ address, keepTrying }) => (keepTrying === true ? keepDialingAddress(app.engine(), address) : app.dial(address)),
    connectPeer: ({ peerId }) => app.connectPeer(peerId),
    stopDialing: ({ address }) => stopDialingAddress(app.engine(), address),
    history: ({ room, ...page }) => app.history(room, pageOf(page)),
    search: ({ q, room, limit }) => app.search(q, room, limit),
    joinRoom: ({ room }) => app.joinRoom(room),
    leaveRoom: ({ room }) => app.leaveRoom(room),
    leavePrivateRoom: ({ room }) => app.engine().leavePrivateRoom(room),
    // Per-room state is kept in the settings (room-state.ts says how it changes).
    // Only a conversation the window lists (room-state.ts); unmuting always works. While the engine
    // restarts (the button stays), what the window shows is taken as it is.
    muteRoom: async ({ room, muted }) => {
      if (muted && app.status.state === 'running') checkMutable(app.engine(), room, app.rooms())
      return (await app.saveSettings(withMuted(app.settings, room, muted))).settings.muted ?? []
    },
    markSeen: async ({ room, id, lamport }) => {
      const patch = withSeen(app.settings, room, { id, lamport })
      if (patch !== undefined) await app.saveSettings(patch)
      return null
    },
    unread: () => unreadCounts(app.engine(), app.settings),
    saveDraft: async ({ room, text }) => {
      const patch = withDraft(app.settings, room, text)
      if (patch !== undefined) await app.saveSettings(patch)
      return null
    },
    rooms: () => app.rooms(),
    peers: () => app.peers(),
    block: ({ peerId }) => app.block(peerId),
    unblock: ({ peerId }) => app.unblock(peerId),
    forget: ({ peerId }) => app.forget(peerId),
    switchMode: async ({ mode, server }) => {
      await app.saveSettings({ mode: mode === 'client' ? 'client-server' : 'p2p', ...(server !== undefined ? { server } : {}) })
      return { mode }
    },
    // A muted list follows muteRoom's rule: a conversation it adds must be one the window lists.
    saveSettings: (patch) => {
      if (patch.muted !== undefined && app.status.state === 'running') checkMutedList(app.engine(), patch.muted, app.settings.muted ?? [], () => app.rooms())
      return app.saveSettings(patch)
    },
    setUnread: ({ count }) => {
      hooks.setUnread(count)
      return null
    },
    stats: () => app.views.stats(),
    sockets: () => app.views.sockets(),
    trace: ({ room }) => app.views.trace(room),
    partition: ({ peerId }) => app.views.partition(peerId),
    heal: () => app.views.heal(),
    demo: ({ action }) => app.runDemo(action),
    stageFile: ({ room, path, ...meta }) => app.staged.keepPath(room, path, meta),
    stageBytes: (request) => app.staged.keepBytes(request),
    stagedFiles: () => app.staged.list(),
    unstage: ({ id }) => app.staged.drop(id),
    sendStaged: ({ room, id, text }) => app.staged.send(app.engine(), room, id, text),
    shareFile: () => app.shareFile(),
    uploadFile: ({ upload, data, size }) => app.files.upload(upload, data, size),
    sendFile: (request) => app.files.send(request),
    download: ({ id }) => app.files.download(id),
    fetchFile: ({ id }) => app.engine().startFetch(id),
    cancelDownload: ({ id }) => app.files.cancel(id),
    fileStorage: () => app.fileStorage(),
    freeFileStorage: () => app.freeFileStorage(),
    reveal: ({ id }) => app.files.path(id),
    image: ({ id }) => app.files.image(id),
    typing: ({ room }) => ({ sent: app.engine().typing(room) }),
    setPresence: ({ state }) => {
      app.engine().setPresence(state)
      return app.engine().presence()
    },
    presence: () => app.engine().presence(),
    openLink: ({ url }) => openLinkWith(hooks.openLink, url),
    systemIdle: () => systemIdleWith(hooks.systemIdle)
  }
}

/** The page a history request asks for (undefined: the whole room). */
export function pageOf(req: Page): Page | undefined {
  const page: Page = {}
  for (const k of ['before', 'after', 'around'] as const) if (req[k] !== undefined) page[k] = req[k]
  if (req.limit !== undefined) page.limit = req.limit
  if (req.notes === true) page.notes = true
  return Object.keys(page).length === 0 ? undefined : page
}

export function isOperation(name: string): name is OperationName {
  return (OPERATIONS as readonly string[]).includes(name)
}

export type Dispatch = (operation: string, payload: unknown) => Promise<Result<unknown>>

export function createDispatch(app: ChatApp, hooks: HostHooks): Dispatch {
  return dispatchOver(implementations(app, hooks))
}

/** A dispatch over any host's implementations; an operation it lacks is unknown to it. */
export function dispatchOver(implemented: Partial<Implementations>): Dispatch {
  const impl = implemented as Partial<Record<OperationName, (request: unknown) => unknown>>
  return async (operation, payload) => {
    try {
      if (!isOperation(operation) || impl[operation] === undefined) throw new UnknownOperationError(`There is no operation "${operation}".`)
      const parsed = requestSchemas[operation].safeParse(payload, { error: plainWords })
      if (!parsed.success) {
        // Read by people (a toast, the terminal): each problem in words saying what to give, not the
        // operation's internal name (InvalidRequestError is what a script branches on).
        const problems = parsed.error.issues.map((i) => i.message.replace(/\.$/, ''))
        const said = problems.join('; ')
        throw new InvalidRequestError(`${said.charAt(0).toUpperCase()}${said.slice(1)}.`)
      }
      return { ok: true, value: await impl[operation]!(parsed.data) }
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) }
    }
  }
}
