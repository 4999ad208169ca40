/**
 * The operations of the headless host (`bin/lanchat peer`) over its engine:
 * the same operations, schemas and errors as the desktop app's IPC, without
 * the desktop's settings file, hosted hub or networking views. The CLI turns
 * its JSON lines (or typed /commands) into these and their answers back.
 *
 * @example
 * ```ts
 * const dispatch = dispatchOver(headlessOperations(engine))
 * await dispatch('send', { room: 'lobby', text: 'hi' })   // { ok: true, value: MessageView }
 * await dispatch('dial', { address: '127.0.0.1:4001' })    // one address parser for every host
 * ```
 */
import type { Engine } from '../chat/engine.js'
import type { Settings, Snapshot } from '../../preload/contract.js'
import { dialAddress, keepDialingAddress, stopDialingAddress, toMultiaddr } from './address.js'
import { pageOf, type Implementations } from './handlers.js'
import { sortRooms } from './rooms.js'
import { roomMembers } from './members.js'
import type { RoomPrefs } from './room-prefs.js'
import { checkMutable } from './room-state.js'
import { isPrivateRoom } from '../chat/private-rooms.js'
import { normalizeRoom } from '../core/message.js'
import { fingerprint } from '../chat/views.js'
import { UnknownMessageError } from '../chat/errors.js'
import { NotDownloadingError } from './errors.js'

function snapshot(engine: Engine): Snapshot {
  const settings: Settings = {
    name: engine.name, listenPort: 0, mdns: true, mode: engine.mode === 'client' ? 'client-server' : 'p2p',
    server: engine.server ?? '', hostServer: false, serverPort: 0
  }
  return {
    settings,
    status: { state: 'running', peerId: engine.peerId, fingerprint: fingerprint(engine.peerId), name: engine.name, mode: engine.mode, addrs: engine.addrs(), words: engine.status, ...(engine.statusUntil !== undefined ? { wordsUntil: engine.statusUntil } : {}) },
    rooms: sortRooms(engine.rooms()),
    peers: engine.peers(),
    mdnsAvailable: true,
    profile: 'headless',
    warnings: [],
    hub: null,
    lab: { mode: engine.mode, cut: [], since: null, merged: null },
    // No window, no spell checker.
    spellcheckDownloads: false
  }
}

/** `prefs`: where muted and joined rooms are kept (without it, muting is not offered). */
export function headlessOperations(engine: Engine, prefs?: RoomPrefs): Partial<Implementations> {
  return {
    snapshot: () => snapshot(engine),
    setName: async ({ name }) => {
      await engine.setName(name)
      return snapshot(engine)
    },
    setStatus: async ({ status, until }) => {
      await engine.setStatus(status, until === undefined ? {} : { until })
      return snapshot(engine)
    },
    send: ({ room, to, text, replyTo }) => engine.send(room ?? '', text, { ...(replyTo !== undefined ? { replyTo } : {}), ...(to !== undefined ? { to } : {}) }),
    forward: ({ id, room, to, comment, confirm }) => engine.forward(id, { ...(room !== undefined ? { room } : {}), ...(to !== undefined ? { to } : {}) }, { ...(comment !== undefined ? { comment } : {}), ...(confirm !== undefined ? { confirm } : {}) }),
    edit: ({ room, id, text }) => engine.edit(room ?? '', id, text),
    delete: ({ room, id }) => engine.delete(room ?? '', id),
    react: ({ room, id, emoji, on }) => engine.react(room ?? '', id, emoji, on ?? true),
    pin: ({ room, id, on }) => engine.pin(room ?? '', id, on),
    pins: ({ room }) => engine.pins(room),
    save: ({ id, on }) => engine.save(id, on),
    saved: () => engine.saved(),
    savedIds: () => engine.savedIds(),
    versions: ({ id }) => engine.versions(id),
    unsent: () => engine.unsent(),
    dropUnsent: ({ id }) => engine.dropUnsent(id),
    dms: () => engine.dms(),
    openDm: ({ peerId }) => engine.openDm(peerId),
    closeDm: ({ peerId }) => engine.closeDm(peerId),
    createPrivateRoom: async ({ name }) => {
      const view = await engine.createPrivateRoom(name)
      return { ...view, invite: engine.invite(view.room) }
    },
    joinInvite: ({ code }) => engine.joinInvite(code),
    checkInvite: ({ code }) => engine.checkInvite(code),
    invite: async ({ room, to }) => to === undefined ? { room, code: engine.invite(room) } : { room, to, code: await engine.sendInvite(room, to) },
    privateRoom: ({ room }) => engine.privateRoom(room),
    privateRooms: () => engine.privateRooms(),
    members: ({ room }) => roomMembers(engine, room),
    removeMember: ({ room, peerId }) => engine.removeMember(room, peerId),
    giveRoomKeys: ({ room, peerId }) => engine.giveRoomKeys(room, peerId),
    renamePrivateRoom: ({ room, name }) => engine.renamePrivateRoom(room, name),
    // Answered once the chat link is up (its `peer:connect` said), not only the connection: a script that
    // dials, sends and ends sent to nobody when its message went out before the link's hello.
    dial: async ({ address, keepTrying }) => {
      if (keepTrying === true) return keepDialingAddress(engine, address)
      const { multiaddr, peerId } = await dialAddress(engine, address)
      if (peerId === undefined) return { multiaddr }
      await engine.linkUp(peerId)
      return { multiaddr, peerId }
    },
    connectPeer: async ({ peerId }) => {
      await engine.connectPeer(peerId)
      return engine.peers()
    },
    stopDialing: ({ address }) => stopDialingAddress(engine, address),
    history: ({ room, ...page }) => {
      const messages = engine.history(room, pageOf(page))
      // An empty page next to an id the room does not have would read as "nothing older (newer)": a
      // script that names a wrong id is told. (The window's own marks may name the other mode's
      // messages, so its host keeps the empty page.)
      const anchor = page.before ?? page.after ?? page.around
      if (messages.length === 0 && anchor !== undefined && !engine.history(room, { around: anchor, limit: 1, notes: true }).some(m => m.id === anchor)) {
        throw new UnknownMessageError(`There is no message ${anchor} in ${normalizeRoom(room)}: "before", "after" and "around" take the id of one of its messages (the "id" of a "message" or "history" event).`)
      }
      return messages
    },
    search: ({ q, room, limit }) => engine.search(q, room, limit),
    joinRoom: ({ room }) => {
      engine.joinRoom(room)
      // The terminal prints a joined room's messages (an invite-only room is joined by its invite).
      if (!isPrivateRoom(room)) prefs?.join(normalizeRoom(room))
      return sortRooms(engine.rooms())
    },
    leaveRoom: ({ room }) => {
      engine.leaveRoom(room)
      prefs?.leave(normalizeRoom(room))
      return sortRooms(engine.rooms())
    },
    leavePrivateRoom: ({ room }) => engine.leavePrivateRoom(room),
    ...(prefs !== undefined
      ? {
          muteRoom: ({ room, muted }: { room: string; muted: boolean }) => {
            // Only a conversation listed here, as the window offers it (room-state.ts); unmuting always works.
            if (muted) checkMutable(engine, room, [...engine.rooms(), ...prefs.joined ?? []])
            return prefs.mute(room, muted)
          }
        }
      : {}),
    rooms: () => sortRooms(engine.rooms()),
    peers: () => engine.peers(),
    block: async ({ peerId }) => {
      await engine.block(peerId)
      return engine.peers()
    },
    unblock: async ({ peerId }) => {
      await engine.unblock(peerId)
      return engine.peers()
    },
    forget: async ({ peerId }) => {
      await engine.forget(peerId)
      return engine.peers()
    },
    switchMode: async ({ mode, server }) => {
      await engine.switchMode(mode, server === undefined ? undefined : toMultiaddr(server))
      return { mode: engine.mode }
    },
    shareFile: ({ room, path, text, to }) => engine.sendFile(room, path, { ...(text !== undefined ? { text } : {}), ...(to !== undefined ? { to } : {}) }),
    download: ({ id }) => engine.startDownload(id),
    fetchFile: ({ id }) => engine.startFetch(id),
    // A script or a person cancelling what is not downloading is told so, not answered "done".
    cancelDownload: async ({ id }) => {
      if (!await engine.cancelDownload(id)) throw new NotDownloadingError(`${engine.fileName(id) ?? id.slice(0, 8)} is not downloading: nothing to cancel`)
      return { cancelled: true }
    },
    fileStorage: () => engine.fileStorage(),
    freeFileStorage: () => engine.freeFileStorage(),
    reveal: ({ id }) => ({ path: engine.downloadedPath(id) }),
    typing: ({ room }) => ({ sent: engine.typing(room) }),
    setPresence: ({ state }) => {
      engine.setPresence(state)
      return engine.presence()
    },
    presence: () => engine.presence(),
    stats: () => {
      const current = engine.stats()
      return { current, byMode: { [engine.mode]: { ...current, at: Date.now() } }, hub: null }
    }
  }
}
