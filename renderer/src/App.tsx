import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react'
import type { DirectView, ForwardPlace, MessageView, PeerView, PrivateRoomView } from '../../preload/contract'
import { DEFAULT_AUTO_DOWNLOAD_IMAGES_MB, DEFAULT_MAX_FILE_MB, EVERYONE, hostPort, invitation, previewText, spellcheckOn, UNREAD_CAP } from '../../preload/contract'
import { dropZone } from './drop'
import { setAutoDownloadImages, setClientMode, setMaxFileMB, setServerMaxFileBytes } from './files'
import { useAttachments } from './attachments'
import { ImageViewer, isPicture, RoomPictures } from './components/ImageViewer'
import { bridge, call, describe, RemoteError } from './api'
import { focusComposer } from './caret'
import { Composer } from './components/Composer'
import { ConnectDialog } from './components/ConnectDialog'
import { FirstRun } from './components/FirstRun'
import { MessageList } from './components/MessageList'
import { NetworkPanel } from './components/NetworkPanel'
import { OrderSwitch } from './components/OrderSwitch'
import { PendingBanner } from './components/PendingBanner'
import { WritesBanner } from './components/WritesBanner'
import { RoomDialog } from './components/RoomDialog'
import { SearchDialog } from './components/SearchDialog'
import { StatusDialog } from './components/StatusDialog'
import { PauseDialog } from './components/PauseDialog'
import { ShortcutsDialog } from './components/ShortcutsDialog'
import { SwitcherDialog } from './components/SwitcherDialog'
import { ForwardDialog } from './components/ForwardDialog'
import type { Places } from './switcher'
import { SettingsDialog } from './components/SettingsDialog'
import { joinedRooms, Sidebar } from './components/Sidebar'
import { StatusBar } from './components/StatusBar'
import { Announcer } from './components/Announcer'
import { Toasts } from './components/Toasts'
import { connection } from './connection'
import { ordered } from './order'
import { useHistory } from './history'
import { useNewDivider } from './seen'
import { useJoinedRooms, useLastRoom, useWindowFocus } from './window'
import { dmOf, FIRST_INDEX, initialState, outside, privateOf, reducer, totalUnread } from './store'
import { LeavePrivateDialog, MembersDialog, PrivateRoomDialog } from './components/PrivateRoomDialog'
import { shortId } from './format'
import { OpenDm } from './dm'
import { Invites, type InviteActions } from './invites'
import { Actions, EditRequest, FindMessage, Names, type MessageActions, type PeopleNames } from './reply'
import { Blocked, Presence, StatusWords, TypingLine } from './components/People'
import { BlockDialog } from './components/BlockDialog'
import { everyone, membersLabel, onlineCount, presenceLabel, useOwnPresence, usePresence, useTypingSignal } from './people'
import { Today, useToday } from './today'
import { mentionable, OtherNames, SelfName, SharedNames, sharedNames, useMentionCounts } from './mentions'
import { MuteButton } from './components/Mentions'
import { RoomMembersDialog } from './components/RoomMembers'
import { HeaderLockIcon, LockIcon, MembersIcon, MenuIcon, NetworkIcon, PinIcon, SearchIcon } from './components/icons'
import { PinsDialog } from './components/PinsDialog'
import { usePins } from './pins'
import { SavedIds, useSaved } from './saved'
import { SavedDialog } from './components/SavedDialog'
import { readersAt, type Readers } from './delivery'

let sendCounter = 0

/** No muted room (one array, so hooks that depend on the list do not rerun for nothing). */
const NONE_MUTED: readonly string[] = []
/** No message saved (no engine running, or the list not read yet). */
const NO_SAVED: ReadonlySet<string> = new Set()

export function App() {
  const [state, dispatch] = useReducer(reducer, initialState)
  // Drawn again when the day turns ("last seen 23:40" and "until 09:00" say their day once it is not today)
  // or the time zone changes; the message rows read it from Today.
  const today = useToday()
  const { status, active } = state
  const running = status.state === 'running'
  const peerId = running ? status.peerId : ''
  const mode = running ? status.mode : undefined
  // The port a peer listens on now (Settings says it beside a listen port of 0).
  const listeningOn = running && status.mode === 'p2p' ? /\/tcp\/(\d+)/.exec(status.addrs[0] ?? '')?.[1] : undefined
  const listening = listeningOn === undefined ? undefined : Number(listeningOn)
  // Read by each file row as it mounts: set while rendering (an idempotent assignment), so it is there before their effects.
  setAutoDownloadImages(state.settings.autoDownloadImagesMB ?? DEFAULT_AUTO_DOWNLOAD_IMAGES_MB)
  setMaxFileMB(state.settings.maxFileMB ?? DEFAULT_MAX_FILE_MB)
  // A client's attach check also keeps to the hub's largest file, when smaller, as the engine does.
  setServerMaxFileBytes(running && status.mode === 'client' ? status.serverMaxFileBytes : undefined)
  setClientMode(mode === 'client', state.peers.some((p) => p.connected))

  // Subscribe before asking for the snapshot, so no event falls in between.
  useEffect(() => {
    let off: () => void
    try {
      off = bridge().onEvent((event) => dispatch({ type: 'event', event }))
    } catch (err) {
      dispatch({ type: 'broken', message: describe(err) })
      return
    }
    call('snapshot').then(
      (snapshot) => dispatch({ type: 'snapshot', snapshot }),
      (err: unknown) => dispatch({ type: 'broken', message: describe(err) })
    )
    return off
  }, [])

  // The open room, a page at a time (the newest, older on scroll, a search hit's context).
  // A new engine, or its history changed under what was read of it: what is shown is read again.
  const historyKey = `${peerId}/${mode ?? ''}/${state.historyMoves}`
  const paging = useHistory(dispatch, { room: active, data: state.roomData[active], reveal: state.reveal, running, engineKey: historyKey, seen: state.settings.seen?.[active] })
  const newer = state.roomData[active]?.newer === true
  // The list of the room on screen lets its oldest rows go while it follows the newest (store.ts, MAX_LIVE_ROWS).
  const trim = useCallback((from: string) => dispatch({ type: 'trim', room: active, from }), [active])
  // "New messages" above the first one since the user was last here (seen.ts).
  const { divider, onOpen: dividerOnOpen } = useNewDivider({ room: active, data: state.roomData[active], seen: state.settings.seen, focused: state.focused, running, waiting: paging.waiting })
  // Typing and presence: ephemeral, kept apart from the chat state (people.ts).
  const { people, drop: dropPresence } = usePresence(running, `${peerId}/${mode ?? ''}`)
  const ownPresence = useOwnPresence(running, `${peerId}/${mode ?? ''}`)
  // The peers, and in client–server mode the other clients presence knows of (the peer list there is the hub).
  const reachable = useMemo(() => everyone(state.peers, people, peerId), [state.peers, people, peerId])
  const onTyping = useTypingSignal(active, running)
  // @mentions: counted per room while we look elsewhere; names to complete from what the window knows.
  const selfName = running ? status.name : ''
  const muted = state.settings.muted ?? NONE_MUTED
  // Peers this person blocked: their messages fold, and count toward no unread number or mention.
  const blocked = useMemo(() => new Set(state.peers.filter((p) => p.blocked === true).map((p) => p.peerId)), [state.peers])
  // A direct message from someone blocked does not list its conversation by itself (store.ts): the engine
  // says whether it is listed (a new one is; one closed stays closed while only they write in it).
  const blockedDms = useRef({ blocked, dms: state.dms })
  blockedDms.current = { blocked, dms: state.dms }
  useEffect(() => {
    let asking = false
    return bridge().onEvent((event) => {
      if (event.type !== 'message' || event.to === undefined || asking || !blockedDms.current.blocked.has(event.author)) return
      if (blockedDms.current.dms.some((d) => d.room === event.room)) return
      asking = true
      call('dms').then((dms) => dispatch({ type: 'dms', dms }), () => undefined).finally(() => { asking = false })
    })
  }, [])
  const roomEntries = state.roomData[active]?.entries
  // Nobody blocked is offered: their messages are folded, and a mention of them is of no use.
  const names = useMemo(() => mentionable(
    state.peers.filter((p) => !blocked.has(p.peerId)),
    new Map([...people].filter(([id]) => !blocked.has(id))),
    (roomEntries ?? []).filter((e) => !blocked.has(e.message.author) && e.message.author !== peerId).map((e) => e.message.name),
    selfName
  ), [state.peers, people, roomEntries, selfName, blocked, peerId])
  // Everyone's names, for marking mentions in messages and telling "@Anna K." from "@Anna" (the blocked
  // too: blocking Anna K. does not make "@Anna K." a call on Anna): a new list only when a name comes or goes.
  // One's own messages under a name one had before are one's own: that name is nobody else's, to offer or to mark apart.
  const everyName = useMemo(() => mentionable(state.peers, people, (roomEntries ?? []).filter((e) => e.message.author !== peerId).map((e) => e.message.name), selfName), [state.peers, people, roomEntries, selfName, peerId])
  const otherKey = everyName.filter((n) => !(EVERYONE as readonly string[]).includes(n)).join('\n')
  const otherNames = useMemo(() => (otherKey === '' ? [] : otherKey.split('\n')), [otherKey])
  // A mention of a longer name known here ("@Anna K.") is not counted as one of ours ("Anna").
  const [mentionCounts, raiseMentions, forgetMentions] = useMentionCounts(active, state.focused, { id: peerId, name: selfName }, muted, blocked, otherNames)
  // Names two people go by (peers, people known by presence, authors in the room, oneself): their
  // messages show a key beside the name. Worked out when one of those changes, not on every render
  // (typing, focus); a new set only when the names shared change, not with every message.
  const sharedKey = useMemo(() => [...sharedNames([
    ...state.peers.map((p) => ({ id: p.peerId, name: p.name })),
    ...[...people.values()].map((p) => ({ id: p.peerId, name: p.name })),
    ...(roomEntries ?? []).map((e) => ({ id: e.message.author, name: e.message.name })),
    ...(selfName !== '' ? [{ id: peerId, name: selfName }] : [])
  ])].sort().join('\n'), [state.peers, people, roomEntries, selfName, peerId])
  const shared = useMemo(() => new Set(sharedKey === '' ? [] : sharedKey.split('\n')), [sharedKey])
  // One room at a time (muteRoom), so two windows muting at once do not undo each other.
  const setMuted = useCallback((room: string, on: boolean) => {
    call('muteRoom', { room, muted: on }).catch((err: unknown) => dispatch({ type: 'toast', title: 'Could not change muting', message: describe(err) }))
  }, [])

  // The message the next one answers; it belongs to the room it was started in.
  const [replying, setReplying] = useState<MessageView | null>(null)
  const entries = state.roomData[active]?.entries
  // As it reads now: edited or deleted while the reply is being written, the bar says so.
  const replyTo = replying !== null && replying.room === active ? entries?.find((e) => e.message.id === replying.id)?.message ?? replying : null
  // Up in an empty message box edits one's last message here, as in Slack and Teams.
  const [editRequest, setEditRequest] = useState<{ id: string; n: number } | null>(null)
  const editLast = useCallback((): boolean => {
    if (state.roomData[active]?.newer === true) return false
    const mine = ordered(entries ?? [], state.order).findLast((e) => e.own && (e.state === 'delivered' || e.state === 'pending') && e.message.deleted !== true && e.message.file === undefined && e.message.note === undefined)
    if (mine === undefined) return false
    setEditRequest((last) => ({ id: mine.message.id, n: (last?.n ?? 0) + 1 }))
    return true
  }, [entries, state.order, state.roomData, active])
  // The message whose Forward dialog is open.
  const [forwarding, setForwarding] = useState<MessageView | null>(null)
  // Pin or unpin for everyone in the conversation; a refusal (50 pinned already, deleted meanwhile) in the engine's words.
  const pin = useCallback((m: MessageView, on: boolean) => {
    call('pin', { room: m.room, id: m.id, on }).catch((err: unknown) => dispatch({ type: 'toast', title: on ? 'Could not pin' : 'Could not unpin', message: describe(err) }))
  }, [])
  // Saved for later, for oneself alone (saved.ts): the sidebar's Saved, each row's mark and Save or Unsave.
  const failSave = useCallback((title: string, message: string) => dispatch({ type: 'toast', title, message }), [])
  // The invite-only rooms we are in and the hub whose history is shown: what the saved list can open.
  const savedReadable = `${state.privateRooms.map((r) => r.room).join(' ')}/${state.peers.find((p) => p.hub === true)?.peerId ?? ''}`
  const { saved, save, retry: retrySaved } = useSaved(running, historyKey, savedReadable, state.dialog === 'saved', failSave)
  // What a hub refused for good, kept by the engine: Not sent rows again after a reload or a restart, until sent again or discarded.
  useEffect(() => {
    if (!running) return
    let live = true
    call('unsent').then((messages) => { if (live && messages.length > 0) dispatch({ type: 'unsentKept', messages }) }, () => { /* none shown: nothing lost, read again at the next start */ })
    return () => { live = false }
  }, [running, peerId, mode])
  // A private room that removed us: what is pinned there stays as it was, nothing pinned here reaches anyone.
  const removedHere = privateOf(state, active)?.removed === true
  // Removed while typing there: the message box goes from under the keyboard, which would be left on the page's
  // body (where Tab starts again from the top); the room's messages, still read, get it.
  useEffect(() => {
    if (removedHere && (document.activeElement === null || document.activeElement === document.body)) focusComposer()
  }, [removedHere])
  // Everyone's name as the people list says it (in client mode, presence knows the other clients): a new map
  // only when a name changes, not at every change of presence (each would draw every row again).
  const peopleKey = reachable.map((p) => `${p.peerId}\t${p.name}`).join('\n')
  const peopleNames = useMemo(() => new Map(peopleKey === '' ? [] : peopleKey.split('\n').map((line) => line.split('\t') as [string, string])), [peopleKey])
  // How each author signed this conversation's loaded messages (the first each), and the names of the direct
  // conversations: new maps only when one of them changes, not at every message that comes (each would draw every row again).
  const signedKey = useMemo(() => {
    const first = new Map<string, string>()
    for (const e of entries ?? []) if (!first.has(e.message.author)) first.set(e.message.author, e.message.name)
    return JSON.stringify([...first])
  }, [entries])
  const signedNames = useMemo(() => new Map(JSON.parse(signedKey) as Array<[string, string]>), [signedKey])
  const dmKey = JSON.stringify(state.dms.map((d) => [d.peerId, d.name]))
  const dmNames = useMemo(() => new Map(JSON.parse(dmKey) as Array<[string, string]>), [dmKey])
  // Who reacted and who pinned, in a room read without joining too (it has no actions).
  const whoIs = useMemo<PeopleNames>(() => ({
    self: peerId,
    // As the people list names them (in client mode, presence knows the other clients), else as they signed here or a DM was opened.
    nameOf: (id) => peopleNames.get(id) || signedNames.get(id) || dmNames.get(id) || undefined
  }), [peerId, peopleNames, signedNames, dmNames])
  // The conversation's pinned messages: the header's Pinned and its list (pins.ts).
  const pins = usePins(active, running, historyKey)
  const pinCount = pins?.messages.length ?? 0

  // Direct-message conversations, listed apart from rooms (each mode has its own).
  useEffect(() => {
    if (!running) return
    call('dms').then((dms) => dispatch({ type: 'dms', dms }), () => undefined)
    call('privateRooms').then((rooms) => dispatch({ type: 'privateRooms', rooms }), () => undefined)
    // What was unread when the app last closed (or came while it was closed), from the history and the seen marks.
    call('unread').then(({ unread, mentions }) => {
      dispatch({ type: 'unreadCounts', counts: unread })
      raiseMentions(mentions)
    }, () => undefined)
  }, [running, peerId, mode])

  // Someone blocked: what they wrote unread counts toward nothing from now on (it did until the room was opened);
  // unblocked, what they wrote meanwhile counts (it did only from the next start). The engine counts again, the blocked left out.
  const blockedBefore = useRef<ReadonlySet<string> | null>(null)
  // The engine's counts, read again, lower the window's where it counted (a count at its cap may be short of the
  // window's: not lowered to it); what `authors` wrote, counted as it came, comes off first.
  const lowerCounts = useCallback((authors: ReadonlySet<string>, { unread: counts, mentions, counted }: { unread: Record<string, number>; mentions: Record<string, number>; counted: string[] }) => {
    const rooms = counted.filter((r) => (counts[r] ?? 0) < UNREAD_CAP)
    dispatch({ type: 'uncount', authors, recount: { counts, rooms } })
    forgetMentions(authors, { read: mentions, rooms })
  }, [forgetMentions])
  useEffect(() => {
    const before = blockedBefore.current
    blockedBefore.current = blocked
    if (before === null || !running) return
    const added = new Set([...blocked].filter((p) => !before.has(p)))
    const lifted = [...before].some((p) => !blocked.has(p))
    if (added.size === 0 && !lifted) return
    if (added.size > 0) {
      dispatch({ type: 'uncount', authors: added })
      forgetMentions(added)
    }
    call('unread').then((read) => {
      if (lifted) {
        dispatch({ type: 'unreadCounts', counts: read.unread })
        raiseMentions(read.mentions)
      }
      if (added.size > 0) lowerCounts(added, read)
    }, () => undefined)
  }, [blocked, running, forgetMentions, raiseMentions, lowerCounts])

  // The history changed under what was read (a restored hub lacks messages that were counted): counts the engine
  // reads again are lowered to it, as when someone is blocked, with nobody's messages taken off by author.
  useEffect(() => {
    if (state.historyMoves === 0 || !running) return
    let live = true
    call('unread').then((read) => { if (live) lowerCounts(new Set(), read) }, () => undefined)
    return () => { live = false }
  }, [state.historyMoves, running, lowerCounts])

  // Whether the window has the focus, and which rooms this person joined (window.ts).
  useWindowFocus(dispatch)
  useJoinedRooms(state, dispatch)
  // The conversation shown when the window closed opens again at the next start (window.ts).
  useLastRoom(state, running, dispatch)

  // Unread total in the title (Electron's window title follows it) and the dock/taskbar badge.
  const unread = totalUnread(state)
  const lastBadge = useRef(-1)
  const dm = dmOf(state, active)
  const privateRoom = privateOf(state, active)
  // A public room shown read only, not joined (a search hit in a room left): no message box, no reactions.
  const reading = outside(state)
  // A person's name as known now (a rename, presence in client mode), else as the conversation was opened.
  const nameOfDm = (d: DirectView): string => reachable.find((p) => p.peerId === d.peerId)?.name || d.name || shortId(d.peerId)
  const creatorName = privateRoom === undefined ? '' : reachable.find((p) => p.peerId === privateRoom.creator)?.name || shortId(privateRoom.creator)
  // '#' names a public room; an invite-only one is named as its header names it (after its lock), without it.
  const where = dm !== undefined ? `@${nameOfDm(dm)}` : privateRoom !== undefined ? privateRoom.name : `#${active}`
  // Where a message was written, as its forward names it (main builds the same from its own state).
  const placeOf = (room: string): ForwardPlace => {
    const d = state.dms.find((x) => x.room === room)
    if (d !== undefined) return { kind: 'dm', with: nameOfDm(d), peerId: d.peerId }
    const r = state.privateRooms.find((x) => x.room === room)
    if (r !== undefined) return { kind: 'private', name: r.name, members: r.members }
    return { kind: 'room', room }
  }
  // Where a saved message was written, as the sidebar names it; a DM closed since (or one the list never had) by its other end.
  const conversationOf = (m: MessageView): string => {
    const p = placeOf(m.room)
    if (p.kind === 'dm') return `@${p.with}`
    if (p.kind === 'private') return p.name
    if (m.room.startsWith('dm:')) {
      const other = m.author === peerId ? m.to : m.author
      return `@${(other !== undefined ? whoIs.nameOf(other) : undefined) || (other === m.author ? m.name : '') || shortId(other ?? '')}`
    }
    return m.room.startsWith('pr:') ? 'An invite-only room' : `#${m.room}`
  }
  // A saved message in its context, as a search hit is shown: a public room not joined (left since) read only, with Join;
  // a DM closed since listed again first.
  const showInContext = (m: MessageView): void => {
    const other = m.room.startsWith('dm:') ? (m.author === peerId ? m.to : m.author) : undefined
    if (other === undefined && !m.room.startsWith('pr:') && !state.joined.includes(m.room)) {
      dispatch({ type: 'reveal', room: m.room, id: m.id, join: false })
      return
    }
    if (other === undefined || state.dms.some((d) => d.room === m.room)) {
      dispatch({ type: 'reveal', room: m.room, id: m.id })
      return
    }
    call('openDm', { peerId: other }).then((d) => {
      dispatch({ type: 'openDm', dm: d })
      dispatch({ type: 'reveal', room: m.room, id: m.id })
    }, (err: unknown) => dispatch({ type: 'toast', title: 'Cannot open the conversation', message: describe(err) }))
  }
  // Every conversation one can go to or forward to (Ctrl/⌘+K, Forward…).
  const places: Places = {
    rooms: [...joinedRooms(state.rooms, state.joined, reading ? '' : active), ...state.rooms.filter((r) => r !== active && !state.joined.includes(r))],
    privateRooms: state.privateRooms,
    dms: state.dms,
    people: reachable.filter((p) => p.hub !== true && p.blocked !== true && p.peerId !== peerId),
    unread: (room) => (room === active ? 0 : state.roomData[room]?.unread ?? 0)
  }
  // The walkthrough's Sally, James and Henry live in engines the user's own never meets: a direct
  // message to one could never arrive, and would stay listed (then as a bare id) once the demo stops.
  const demoRoom = state.demo?.running === true && active === state.demo.room
  // Relays carry a DM or a private room's messages sealed, and send receipts for them too: only its readers count.
  const readers: Readers | undefined = dm !== undefined
    ? { of: 'dm', ids: [dm.peerId], name: nameOfDm(dm) }
    : privateRoom !== undefined ? { of: 'members', ids: privateRoom.members.filter((id) => id !== peerId) } : undefined
  // A private room's readers of its older messages, who may differ from today's (a member removed since read them): for the space-time diagram.
  const readersThen = useMemo(() => readersAt(entries ?? [], readers), [entries, readers])
  // The header says who can read along: in a direct conversation, how the other person is (as
  // chat apps show it there), unless this app cannot reach anyone (its hub is down, it is stopped).
  const reach = connection(status, state.peers, onlineCount(reachable, people))
  const dmPeer = dm !== undefined ? reachable.find((p) => p.peerId === dm.peerId) : undefined
  const connected = reach.state === 'online' || reach.state === 'alone' || reach.state === 'hub'
  const headerReach = dm !== undefined && connected
    ? presenceLabel(people.get(dm.peerId), dmPeer?.connected === true)
    : privateRoom?.removed === true
      // Removed: the room is what it was; the banner under it says so.
      ? 'you were removed: read only'
      : privateRoom !== undefined && connected
        // Only its members read an invite-only room: how many, and how many of the others are online.
        ? membersLabel(privateRoom.members.length, onlineCount(reachable.filter((p) => p.peerId !== peerId && privateRoom.members.includes(p.peerId)), people), privateRoom.gone !== undefined || privateRoom.left !== undefined)
        : reach.reach
  useEffect(() => {
    const app = state.profile === 'default' ? 'LAN Chat' : `LAN Chat (${state.profile})`
    document.title = `${unread > 0 ? `(${unread}) ` : ''}${app}${running ? ` — ${where}` : ''}`
    if (state.phase === 'ready' && lastBadge.current !== unread) {
      lastBadge.current = unread
      call('setUnread', { count: unread }).catch(() => undefined)
    }
  }, [unread, where, running, state.phase, state.profile])

  // `name`: how the peer signed a message, for when the engine has no name for it (a client's peer list is the hub).
  const openDm = useCallback((id: string, name?: string) => {
    call('openDm', { peerId: id }).then((d) => dispatch({ type: 'openDm', dm: d.name === '' && name !== undefined ? { ...d, name } : d }), (err: unknown) => dispatch({ type: 'toast', title: 'Cannot start a direct message', message: describe(err) }))
  }, [])

  // Close a conversation: no longer listed until one of the two writes in it again (its history stays).
  const closeDm = useCallback((peerId: string) => {
    call('closeDm', { peerId }).then(
      (dms) => dispatch({ type: 'dmClosed', peerId, dms }),
      (err: unknown) => dispatch({ type: 'toast', title: 'Cannot close the conversation', message: describe(err) })
    )
  }, [])

  // Leave a private room: asked first (components/PrivateRoomDialog.tsx), since its history no longer opens afterwards.
  const [leaving, setLeaving] = useState<PrivateRoomView | null>(null)
  // Block a peer: asked first (components/BlockDialog.tsx); unblocking is at once.
  const [blocking, setBlocking] = useState<PeerView | null>(null)
  const unblock = useCallback((peer: Pick<PeerView, 'peerId'>) => {
    call('unblock', { peerId: peer.peerId }).then(
      // A conversation closed while they wrote, blocked, is listed again now (as the engine lists it).
      () => call('dms').then((dms) => dispatch({ type: 'dms', dms }), () => undefined),
      (err: unknown) => dispatch({ type: 'toast', title: 'Could not unblock', message: describe(err) })
    )
  }, [])
  // Someone who left for good: off the list (and, peer to peer, no longer redialed) until they are here again.
  const forget = useCallback((peer: Pick<PeerView, 'peerId'>) => {
    // The peer list follows by the engine's event; presence is kept apart (people.ts).
    call('forget', { peerId: peer.peerId }).then(
      () => dropPresence(peer.peerId),
      (err: unknown) => dispatch({ type: 'toast', title: 'Could not forget', message: describe(err) })
    )
  }, [dropPresence])
  // Someone who is back while their redials wait: dialed now; the row shows the link as it comes up (or says why not).
  const connectNow = useCallback((peer: Pick<PeerView, 'peerId'>) => call('connectPeer', { peerId: peer.peerId }), [])
  const leftPrivate = useCallback((room: string, rooms: PrivateRoomView[]) => {
    setLeaving(null)
    dispatch({ type: 'privateRooms', rooms })
    dispatch({ type: 'left', room, rooms: state.rooms })
  }, [state.rooms])

  // Leave a public room: no longer listed (its history stays; a new message in it lists it again, under other rooms).
  const leaveRoom = useCallback((room: string) => {
    call('leaveRoom', { room }).then(
      (rooms) => dispatch({ type: 'left', room, rooms }),
      (err: unknown) => dispatch({ type: 'toast', title: `Cannot leave #${room}`, message: describe(err) })
    )
  }, [])

  // An invitation sent as a message (components/Invitation.tsx): join the room it names, or open it.
  const invites = useMemo<InviteActions>(() => ({
    rooms: state.privateRooms,
    join: async (code) => {
      const r = await call('joinInvite', { code })
      dispatch({ type: 'privateRoom', room: r })
      dispatch({ type: 'select', room: r.room })
    },
    check: async (code) => await call('checkInvite', { code }),
    open: (room) => dispatch({ type: 'select', room })
  }), [state.privateRooms])

  // An invite code about to be posted where everyone reads it: say so first (one person is invited from the room's Members).
  const everyoneReads = dm === undefined && privateRoom === undefined
  const warnBefore = useCallback((text: string): string | null => {
    const invite = everyoneReads ? invitation(text) : undefined
    return invite === undefined ? null : `This is the invite to the private room ${invite.name}: everyone who reads ${where} could join it and read what its members write. To invite one person, use Invite someone in its Members, which sends it to them alone.`
  }, [everyoneReads, where])

  // A private room's keys came while it held messages they open: after a restart the engine no
  // longer has them at hand to announce, so the room's newest page is asked for again.
  const waitedForKey = useRef<{ room: string; waiting: boolean }>({ room: '', waiting: false })
  const waitingForKey = privateRoom?.unreadable === true
  useEffect(() => {
    const before = waitedForKey.current
    waitedForKey.current = { room: active, waiting: waitingForKey }
    if (running && before.room === active && before.waiting && !waitingForKey) paging.newest()
  }, [active, waitingForKey, running, paging])

  /** Send `text` to the open conversation (as a reply to `answers`); `again`: a message not sent, sent anew. */
  const post = useCallback(
    (text: string, answers: string | undefined, again = false) => {
      const key = `local-${++sendCounter}`
      const name = selfName
      // Writing from a search hit's context: the message goes where the newest are, so show them.
      if (newer) {
        dispatch({ type: 'select', room: active })
        paging.newest()
      }
      dispatch({ type: 'sending', room: active, key, text, name, author: peerId, ...(answers !== undefined ? { replyTo: answers } : {}) })
      // In a direct conversation the text is sealed for that peer alone (the engine does it).
      const where = dm !== undefined ? { to: dm.peerId } : { room: active }
      const sent = (message: MessageView): void => dispatch({ type: 'sent', room: active, key, message })
      const failed = (err: unknown): void => dispatch({ type: 'sendFailed', room: active, key, error: describe(err) })
      call('send', { ...where, text, ...(answers !== undefined ? { replyTo: answers } : {}) }).then(sent, (err: unknown) => {
        // Sent again, what it answered is gone (deleted since, or in a history the hub no longer has): it goes on its own, and says so.
        const gone = err instanceof RemoteError && (err.name === 'UnknownMessageError' || err.name === 'MessageDeletedError')
        if (!again || answers === undefined || !gone) { failed(err); return }
        dispatch({ type: 'toast', title: 'Sent as a plain message', message: `The message it answered is no longer here, so "${previewText(text).slice(0, 40)}" went as a new message, not as a reply.` })
        call('send', { ...where, text }).then(sent, failed)
      })
    },
    [active, peerId, selfName, dm, newer, paging]
  )
  const send = useCallback(
    (text: string) => {
      setReplying(null)
      post(text, replyTo?.id)
    },
    [post, replyTo]
  )
  // A message of ours marked Not sent: sent anew, as a new message, its row going; or only its row going.
  // Not sent again where the message box is closed (blocked, removed from the private room): it would be refused again.
  const closed = removedHere || (dm !== undefined && blocked.has(dm.peerId))
  const unsent = useMemo<NonNullable<MessageActions['unsent']>>(() => ({
    ...(closed ? {} : {
      again: (key: string, m: MessageView) => {
        dispatch({ type: 'discard', room: m.room, key })
        // One the engine kept (a hub refused it) is kept no longer: its words are sent anew.
        void call('dropUnsent', { id: m.id }).catch(() => undefined)
        post(m.text, m.replyTo, true)
        focusComposer()
      }
    }),
    discard: (key, room, id) => {
      dispatch({ type: 'discard', room, key })
      // One the engine kept (a hub refused it) is kept no longer; one it refused as it was sent was never kept.
      void call('dropUnsent', { id }).catch(() => undefined)
      focusComposer()
    }
  }), [post, closed])
  const actions = useMemo<MessageActions>(() => ({
    reply: (m) => setReplying(m),
    forward: (m) => setForwarding(m),
    jump: (room, id) => dispatch({ type: 'reveal', room, id }),
    ...(removedHere ? { closed: true } : { pin }),
    // One's own list: in a private room that removed us too (nothing of it goes to anyone).
    save,
    unsent
  }), [pin, removedHere, save, unsent])
  const findMessage = useCallback((id: string) => entries?.find((e) => e.message.id === id)?.message, [entries])

  // The open conversation's pictures as loaded: the viewer's ← and →.
  const loaded = state.roomData[active]?.entries
  // The picture shown full size, opened from its thumbnail; a conversation opens with none.
  const [viewing, setViewing] = useState<{ room: string; message: MessageView }>()
  const roomPictures = useMemo(() => {
    const messages = (loaded ?? []).map((e) => e.message)
    return {
      // Not a blocked person's: their message is folded, and ← → must not show what it holds.
      pictures: messages.filter((m) => isPicture(m) && !blocked.has(m.author)),
      deleted: new Set(messages.filter((m) => m.deleted === true).map((m) => m.id)),
      view: (message: MessageView) => setViewing({ room: active, message })
    }
  }, [loaded, active, blocked])
  const closeViewer = useCallback(() => setViewing(undefined), [])
  // Another conversation opened: its pictures are not this one's.
  if (viewing !== undefined && viewing.room !== active) setViewing(undefined)

  // Files attached to the message being written, each conversation its own; a public room's kept across a restart (attachments.ts).
  const toast = useCallback((title: string, message: string) => dispatch({ type: 'toast', title, message }), [])
  const { attached, attach, detach, sendAttached: sendTheFiles } = useAttachments(active, toast)
  const sendAttached = useCallback(
    (caption: string) => {
      // A file's message cannot answer another: the words of a reply go as the reply, the files after it.
      const reply = replyTo !== null && caption.trim() !== ''
      if (reply) send(caption)
      const room = active
      // Keyed by its id, as the engine's own event keys it: whichever comes first, the row is the same one.
      sendTheFiles(reply ? '' : caption, (message) => dispatch({ type: 'sent', room, key: message.id, message }))
    },
    [active, replyTo, send, sendTheFiles]
  )

  // A narrow window (below 540 px of page: a small window, or text zoomed to 200%) has no room for
  // the list of conversations beside one: it opens over it, from the header's Conversations button
  // (styles.css), and closes on Escape, a click beside it, or once a conversation is chosen.
  const [drawer, setDrawer] = useState(false)
  // What waits in the other conversations, on the button, as the list beside would show it.
  const elsewhere = useMemo(() => {
    const mentioned = Object.entries(mentionCounts).reduce((n, [room, k]) => n + (room === active ? 0 : k), 0)
    const unread = Object.entries(state.roomData).some(([room, data]) => room !== active && !muted.includes(room) && (data?.unread ?? 0) > 0)
    return { mentioned, unread }
  }, [mentionCounts, state.roomData, active, muted])
  const drawerButton = useRef<HTMLButtonElement>(null)
  const closeDrawer = useCallback((focusBack: boolean) => {
    setDrawer(false)
    if (focusBack) drawerButton.current?.focus()
  }, [])
  useEffect(() => {
    setDrawer(false)
  }, [active])
  useEffect(() => {
    if (!drawer) return
    // The keyboard goes into the list, to the conversation open now: as the list opens only, not again when
    // a dialog opened from it (a status, a pause) closes, which gives the keyboard back to what opened it.
    const list = document.getElementById('sidebar')
    const here = list?.querySelector<HTMLElement>('[aria-current="page"]') ?? list?.querySelector<HTMLElement>('button')
    here?.focus()
  }, [drawer])
  useEffect(() => {
    if (!drawer) return
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented && state.dialog === null) {
        e.preventDefault()
        closeDrawer(true)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [drawer, closeDrawer, state.dialog])

  // Escape closes the Network panel as it closes a dialog (an open dialog takes the key itself).
  const panelOpen = state.panel !== null && state.dialog === null
  useEffect(() => {
    if (!panelOpen) return
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented) dispatch({ type: 'panel', panel: null })
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [panelOpen])

  // Light or dark as Settings say; without a choice, as the system says (styles.css).
  const theme = state.settings.theme ?? 'system'
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme
    else document.documentElement.dataset.theme = theme
  }, [theme])

  // Ctrl/Cmd+F searches the history (the browser's find would only see the rows on screen); Ctrl/Cmd+Shift+S lists
  // the messages saved for later (Slack's key for its own);
  // Ctrl/Cmd+/ lists the keyboard shortcuts (the desktop app's Help menu too).
  // The list of shortcuts needs no engine: it opens while the engine starts or after it failed too.
  const setup = status.state === 'setup'
  useEffect(() => {
    if (setup) return
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return
      const key = e.key.toLowerCase()
      const dialog = e.key === '/' ? 'shortcuts' : !running ? null : key === 'f' && !e.shiftKey ? 'search' : key === 'k' && !e.shiftKey ? 'switcher' : key === 's' && e.shiftKey ? 'saved' : null
      if (dialog === null) return
      e.preventDefault()
      dispatch({ type: 'dialog', dialog })
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [running, setup])

  // Alt+Up / Alt+Down: the conversation above or below in the sidebar (rooms, private rooms,
  // direct messages), as in Slack; not while a dialog is open.
  const dialogOpen = state.dialog !== null
  const sidebarOrder = useMemo(() => [
    ...joinedRooms(state.rooms, state.joined, reading ? '' : active),
    ...state.privateRooms.map((r) => r.room),
    ...state.dms.map((d) => d.room)
  ], [state.rooms, state.joined, state.privateRooms, state.dms, active, reading])
  useEffect(() => {
    if (!running || dialogOpen) return
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return
      // On a drop-down (the order switch, the Network panel's lab and diagram), Alt+↓ opens it: the system's key there.
      if (e.target instanceof HTMLSelectElement) return
      const at = sidebarOrder.indexOf(active)
      if (at < 0 || sidebarOrder.length < 2) return
      e.preventDefault()
      const step = e.key === 'ArrowDown' ? 1 : sidebarOrder.length - 1
      dispatch({ type: 'select', room: sidebarOrder[(at + step) % sidebarOrder.length]! })
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [running, dialogOpen, sidebarOrder, active])

  const closeDialog = useCallback(() => dispatch({ type: 'dialog', dialog: null }), [])
  // Notifications again from the next message (0: no pause; nothing held back pops up).
  const resumeNotifications = (): void => { call('saveSettings', { notifyPausedUntil: 0 }).catch((err: unknown) => dispatch({ type: 'toast', title: 'Could not resume notifications', message: describe(err) })) }
  const dismiss = useCallback((id: number) => dispatch({ type: 'dismiss', id }), [])

  if (state.phase === 'broken') {
    return (
      <div className="fatal" role="alert">
        <h1>LAN Chat cannot reach its engine</h1>
        <p>{state.fatal}</p>
        <button className="primary" onClick={() => location.reload()}>Try again</button>
      </div>
    )
  }
  if (state.phase === 'loading') return <div className="loading" aria-busy="true">Loading…</div>
  if (status.state === 'setup') return <FirstRun />

  const room = state.roomData[active]
  const client = mode === 'client'
  const known = state.peers.filter((p) => p.blocked !== true).length
  return (
    <Presence.Provider value={people}>
    <Today.Provider value={today}>
    <Blocked.Provider value={blocked}>
    <SavedIds.Provider value={saved?.ids ?? NO_SAVED}>
    <SelfName.Provider value={selfName}>
    <OtherNames.Provider value={otherNames}>
    <SharedNames.Provider value={shared}>
    <div className={`app${state.panel === null ? '' : ' with-panel'}${drawer ? ' drawer-open' : ''}`}>
      <Sidebar
        self={{ id: peerId, fingerprint: running ? status.fingerprint : '', name: running ? status.name : state.settings.name, words: running ? status.words : '', ...(running && status.wordsUntil !== undefined ? { wordsUntil: status.wordsUntil } : {}) }}
        rooms={state.rooms}
        joined={state.joined}
        roomData={state.roomData}
        active={active}
        reading={reading}
        peers={reachable}
        dms={state.dms}
        privateRooms={state.privateRooms}
        onNewPrivateRoom={() => dispatch({ type: 'dialog', dialog: 'private-room' })}
        onLeavePrivate={running ? setLeaving : undefined}
        onOpenDm={openDm}
        onBlock={running ? setBlocking : undefined}
        onUnblock={running ? unblock : undefined}
        onForget={running ? forget : undefined}
        onConnectNow={running && mode === 'p2p' ? connectNow : undefined}
        onCloseDm={running ? closeDm : undefined}
        onSelect={(r) => { dispatch({ type: 'select', room: r }); setDrawer(false) }}
        onLeave={running ? leaveRoom : undefined}
        onNewRoom={() => dispatch({ type: 'dialog', dialog: 'new-room' })}
        onConnect={() => dispatch({ type: 'dialog', dialog: 'connect' })}
        onSettings={() => dispatch({ type: 'dialog', dialog: 'settings' })}
        onStatus={running ? () => dispatch({ type: 'dialog', dialog: 'status' }) : undefined}
        away={ownPresence}
        // The list over a narrow conversation stays open under the dialog, as for a pause or a status: closed, the
        // dialog gives the keyboard back to Saved (hidden with the list, it had nowhere to go); an item chosen closes it.
        saved={running ? { count: saved?.count ?? 0, onOpen: () => dispatch({ type: 'dialog', dialog: 'saved' }) } : undefined}
        pause={running && state.settings.notify !== 'off' ? { until: state.settings.notifyPausedUntil, onOpen: () => dispatch({ type: 'dialog', dialog: 'pause' }), onResume: resumeNotifications } : undefined}
        mentions={mentionCounts}
        muted={muted}
        foldOthers={state.settings.foldOtherRooms === true}
        onFoldOthers={(fold) => { call('saveSettings', { foldOtherRooms: fold }).catch((err: unknown) => dispatch({ type: 'toast', title: 'Could not fold the list', message: describe(err) })) }}
      />
      {drawer && <div className="drawer-scrim" aria-hidden="true" onClick={() => closeDrawer(true)} />}
      <main className="chat" {...dropZone(running, attach)}>
        <header className="chat-header">
          <button ref={drawerButton} type="button" className="icon drawer-toggle" title="Conversations and people" aria-expanded={drawer} aria-controls="sidebar" onClick={() => setDrawer((open) => !open)}>
            <MenuIcon />
            <span className="visually-hidden">Conversations</span>
            {elsewhere.mentioned > 0
              ? <span className="mention-count" data-testid="elsewhere">@{elsewhere.mentioned}<span className="visually-hidden"> mention{elsewhere.mentioned === 1 ? '' : 's'} of you elsewhere</span></span>
              : elsewhere.unread && <span className="unread-dot" data-testid="elsewhere"><span className="visually-hidden">new messages elsewhere</span></span>}
          </button>
          {/* The conversation's name, and under it who can read along (in a direct conversation: how that person is, and their status). */}
          <div className="chat-title">
          {privateRoom !== undefined ? (
            <>
              <h1 title={`${privateRoom.name}: invite-only, end-to-end encrypted with the room's key`}>
                <span className="lock" role="img" aria-label="Private"><HeaderLockIcon /></span>{privateRoom.name}
              </h1>
            </>
          ) : dm === undefined ? (
            <h1 title={`#${active}`}><span className="hash">#</span>{active}</h1>
          ) : (
            <h1 title={`@${nameOfDm(dm)}: end-to-end encrypted, only the two of you can read it`}>
              <span className="lock" role="img" aria-label="Private"><HeaderLockIcon /></span>@{nameOfDm(dm)}
            </h1>
          )}
          <div className="chat-sub">
            <span className="muted small reach" data-testid="reach">
              {headerReach}
            </span>
            {/* In a conversation with one person, what they said they are up to, as chat apps show it there. */}
            {dm !== undefined && <StatusWords of={people.get(dm.peerId)} kind="dm-status" />}
          </div>
          </div>
          {/* One group, kept on one line: where the conversation is narrow the buttons show their icons only (their names stay). */}
          <div className="header-tools">
            {/* A private room's own members dialog (invite, remove) opens also while the engine restarts. */}
            <button className="netbutton" title="Members" disabled={privateRoom === undefined && !running} onClick={() => dispatch({ type: 'dialog', dialog: privateRoom !== undefined ? 'members' : 'room-members' })}>
              <MembersIcon /><span className="label">Members</span>
            </button>
            <MuteButton room={active} muted={muted} onChange={setMuted} conversation={dm !== undefined} />
            {/* What is pinned here, for everyone here; its count once there is one. */}
            <button className="netbutton" title="Pinned messages" aria-haspopup="dialog" disabled={!running} data-testid="pinned-button" onClick={() => dispatch({ type: 'dialog', dialog: 'pins' })}>
              {/* The pin and the count only, its name for screen readers and in the tooltip: with its name too, the header's tools no longer shared the title's row in a window of the size the app opens at. */}
              <PinIcon /><span className="visually-hidden">Pinned</span>{pinCount > 0 && <> <span className="count" data-testid="pinned-count">{pinCount}</span></>}
            </button>
            <button className="netbutton" title="Search (Ctrl+F)" disabled={!running} aria-keyshortcuts="Control+F Meta+F" onClick={() => dispatch({ type: 'dialog', dialog: 'search' })}>
              <SearchIcon /><span className="label">Search</span>
            </button>
            <OrderSwitch order={state.order} client={client} onChange={(order) => dispatch({ type: 'order', order })} />
            <button className={state.panel === null ? 'netbutton' : 'netbutton active'} title="Network views" aria-pressed={state.panel !== null} onClick={() => dispatch({ type: 'panel', panel: state.panel === null ? 'sockets' : null })}>
              <NetworkIcon /><span className="label">Network</span>
            </button>
          </div>
        </header>
        <div className="toast-anchor"><Toasts toasts={state.toasts} onDismiss={dismiss} /></div>
        <Announcer active={active} self={peerId} blocked={blocked} />
        <PendingBanner status={status} peers={state.peers} pending={new Set(state.pendingIds).size} server={state.settings.server} />
        <WritesBanner reason={state.writesPaused} />
        {privateRoom?.unreadable === true && !privateRoom.removed && (
          // Sealed with a key that has not reached us: an invite from before the room's last change of members, or a key on its way.
          <div className="banner info with-action" data-testid="waits-for-key">
            <span role="status">
              Some messages in {privateRoom.name} do not open with the keys you hold. If your invite is older than the room&apos;s last change of members, ask {creatorName}, who created it, to give you its key: they show here when it comes.
            </span>
            {running && privateRoom.creator !== peerId && <button type="button" onClick={() => openDm(privateRoom.creator, creatorName)}>Message {creatorName}</button>}
          </div>
        )}
        {status.state === 'failed' && (
          <div className="banner error" role="alert">
            The network could not start: {status.error.message}
            <button onClick={() => dispatch({ type: 'dialog', dialog: 'settings' })}>Open settings</button>
          </div>
        )}
        <RoomPictures.Provider value={roomPictures}>
        <OpenDm.Provider value={running && !demoRoom ? openDm : null}>
          <Invites.Provider value={running ? invites : null}>
          <Names.Provider value={running ? whoIs : null}>
          <Actions.Provider value={running && !reading ? actions : null}>
          <FindMessage.Provider value={running && !reading ? findMessage : null}>
          <EditRequest.Provider value={editRequest}>
          <MessageList
            room={active}
            label={dm !== undefined ? `Direct messages with ${nameOfDm(dm)}` : privateRoom !== undefined ? `Messages in ${privateRoom.name}` : `Messages in #${active}`}
            empty={dm !== undefined
              ? `No messages with ${where} yet. Only the two of you can read what you write here.`
              : privateRoom !== undefined
                ? `No messages in ${where} yet. Only its members can read what you write here.`
                : undefined}
            entries={ordered(room?.entries ?? [], state.order)}
            delivery={{ receipts: state.receipts, peers: known, client, readers }}
            reveal={state.reveal}
            divider={divider}
            dividerOnOpen={dividerOnOpen}
            window={{ generation: room?.generation ?? 0, trims: room?.trims ?? 0, first: room?.first ?? FIRST_INDEX, older: room?.older === true, newer: room?.newer === true }}
            onOlder={paging.older}
            onNewer={paging.newer}
            onTrim={trim}
            onNewest={() => {
              dispatch({ type: 'select', room: active })
              paging.newest()
            }}
          />
          </EditRequest.Provider>
          </FindMessage.Provider>
          </Actions.Provider>
          </Names.Provider>
          </Invites.Provider>
        </OpenDm.Provider>
        {viewing !== undefined && <ImageViewer key={viewing.message.id} message={viewing.message} onClose={closeViewer} />}
        </RoomPictures.Provider>
        <TypingLine room={active} />
        {privateRoom?.removed === true ? (
          // Nothing written here could reach anyone: its members seal with a key this computer never gets.
          <div className="composer">
            <p className="composer-closed" role="status">You were removed from <span className="lock" role="img" aria-label="the private room"><LockIcon /></span>{privateRoom.name}: you keep what was said before and see nothing new. The × on its row stops listing it.</p>
          </div>
        ) : reading ? (
          // A room this person is not in, opened from a search: its history read only, until they join it.
          <div className="composer">
            <p className="composer-closed" role="status" data-testid="not-joined">
              {state.settings.seen?.[active] !== undefined ? 'You left' : 'You are not in'} #{active}: you read its history here, and nothing you do shows to the others.{' '}
              <button type="button" className="small" disabled={!running} onClick={() => dispatch({ type: 'joined', rooms: [active] })}>Join #{active}</button>
            </p>
          </div>
        ) : dm !== undefined && blocked.has(dm.peerId) ? (
          // Blocked: they would read what is written here, and could answer only to be folded.
          <div className="composer">
            <p className="composer-closed" role="status">
              You blocked {nameOfDm(dm)}: what they write shows folded, and you cannot write to them.{' '}
              <button type="button" className="small" disabled={!running} onClick={() => unblock(dm)}>Unblock</button>
            </p>
          </div>
        ) : <Composer room={active} label={where} disabled={!running} onSend={send} warnBefore={warnBefore} onFiles={attach} attached={attached} onDetach={detach} onSendFiles={sendAttached} replyTo={replyTo} onCancelReply={() => setReplying(null)} onTyping={onTyping} names={names} onEditLast={editLast} saved={state.settings.drafts} spellcheck={spellcheckOn(state.spellcheckDownloads, state.settings.spellcheck)} />}
      </main>
      {state.panel !== null && (
        <NetworkPanel
          panel={state.panel}
          room={active}
          where={where}
          readers={readers}
          readersThen={readersThen}
          peers={state.peers}
          lab={state.lab}
          demo={state.demo}
          onPanel={(panel) => dispatch({ type: 'panel', panel })}
          onRoom={(r) => {
            call('joinRoom', { room: r }).then(() => dispatch({ type: 'select', room: r }), (err: unknown) => dispatch({ type: 'toast', title: `Cannot open #${r}`, message: describe(err) }))
          }}
        />
      )}
      <StatusBar status={status} peers={state.peers} settings={state.settings} hub={state.hub} />
      {state.dialog === 'connect' && (
        <ConnectDialog
          addrs={running ? status.addrs : []}
          p2p={mode === 'p2p'}
          dialing={state.dialing}
          onClose={closeDialog}
          linked={state.peers.filter((p) => p.connected).map((p) => p.peerId)}
          onConnected={(ma, name, already) => {
            closeDialog()
            // Named when the engine knows them: "Connected: Ann (192.168.1.20:4001)"; one linked before, said so.
            dispatch({ type: 'toast', title: already ? 'Already connected' : 'Connected', message: name !== undefined && name !== '' ? `${name} (${hostPort(ma)})` : hostPort(ma) })
          }}
          onTrying={(address) => {
            closeDialog()
            dispatch({ type: 'toast', title: 'Trying in the background', message: `${address}: again every few seconds, then every 30 s, until it answers (Connect to address… lists it, with Stop)` })
          }}
        />
      )}
      {state.dialog === 'settings' && <SettingsDialog settings={state.settings} mdnsAvailable={state.mdnsAvailable} spellcheckDownloads={state.spellcheckDownloads} hub={state.hub} {...(listening !== undefined ? { listening } : {})} onClose={closeDialog} onSaved={closeDialog} />}
      {state.dialog === 'search' && (
        <SearchDialog
          rooms={state.rooms}
          conversations={[
            ...state.dms.map((d) => ({ room: d.room, label: `@${nameOfDm(d)}`, kind: 'dm' as const })),
            ...state.privateRooms.map((r) => ({ room: r.room, label: r.name, kind: 'private' as const }))
          ]}
          onClose={closeDialog}
          onOpen={(hit) => {
            closeDialog()
            // A public room this person is not in (left, say) opens read only, with Join: not joined behind their back.
            if (hit.dm === undefined && !hit.room.startsWith('pr:') && !state.joined.includes(hit.room)) {
              dispatch({ type: 'reveal', room: hit.room, id: hit.id, join: false })
              return
            }
            if (hit.dm === undefined || state.dms.some((d) => d.room === hit.room)) {
              dispatch({ type: 'reveal', room: hit.room, id: hit.id })
              return
            }
            // A conversation closed from the list: listed again, then shown at the hit.
            call('openDm', { peerId: hit.dm.peerId }).then((d) => {
              dispatch({ type: 'openDm', dm: d })
              dispatch({ type: 'reveal', room: hit.room, id: hit.id })
            }, (err: unknown) => dispatch({ type: 'toast', title: 'Cannot open the conversation', message: describe(err) }))
          }}
        />
      )}
      {state.dialog === 'pins' && (
        <PinsDialog
          label={where}
          pins={pins}
          self={peerId}
          nameOf={whoIs.nameOf}
          onClose={closeDialog}
          onOpen={(m) => {
            closeDialog()
            // Shown in its context as a search hit is; a public room read only stays not joined.
            dispatch({ type: 'reveal', room: m.room, id: m.id, ...(reading ? { join: false as const } : {}) })
          }}
          {...(running && !reading && !removedHere ? { onUnpin: (m: MessageView) => pin(m, false) } : {})}
        />
      )}
      {state.dialog === 'saved' && (
        <SavedDialog
          saved={saved}
          self={peerId}
          conversationOf={conversationOf}
          onClose={closeDialog}
          onOpen={(m) => {
            closeDialog()
            setDrawer(false)
            showInContext(m)
          }}
          onRemove={(m) => save(m, false)}
          onRetry={retrySaved}
        />
      )}
      {state.dialog === 'shortcuts' && <ShortcutsDialog onClose={closeDialog} />}
      {state.dialog === 'status' && status.state === 'running' && <StatusDialog current={status.words} {...(status.wordsUntil !== undefined ? { until: status.wordsUntil } : {})} onClose={closeDialog} />}
      {state.dialog === 'pause' && <PauseDialog until={state.settings.notifyPausedUntil} onClose={closeDialog} />}
      {blocking !== null && <BlockDialog peer={blocking} client={mode === 'client'} onClose={() => setBlocking(null)} />}
      {leaving !== null && <LeavePrivateDialog room={leaving} onClose={() => setLeaving(null)} onLeft={(rooms) => leftPrivate(leaving.room, rooms)} />}
      {forwarding !== null && (
        <ForwardDialog
          message={forwarding}
          from={placeOf(forwarding.room)}
          places={places}
          onClose={() => setForwarding(null)}
          onDone={(to, truncated) => {
            setForwarding(null)
            dispatch({ type: 'toast', title: 'Forwarded', message: truncated ? `To ${to}, its words cut to fit one message.` : `To ${to}.` })
          }}
        />
      )}
      {state.dialog === 'switcher' && (
        <SwitcherDialog
          places={places}
          onClose={closeDialog}
          onGo={(room) => {
            closeDialog()
            dispatch({ type: 'select', room })
          }}
          onOpenDm={openDm}
        />
      )}
      {state.dialog === 'private-room' && (
        <PrivateRoomDialog
          self={peerId}
          peers={reachable}
          onClose={closeDialog}
          onOpen={(r) => {
            closeDialog()
            dispatch({ type: 'privateRoom', room: r })
            dispatch({ type: 'select', room: r.room })
          }}
        />
      )}
      {state.dialog === 'members' && privateRoom !== undefined && (
        <MembersDialog room={privateRoom} self={peerId} selfAway={ownPresence.away} peers={reachable} onClose={closeDialog} onChanged={(r) => dispatch({ type: 'privateRoom', room: r })} />
      )}
      {state.dialog === 'room-members' && privateRoom === undefined && (
        <RoomMembersDialog room={active} label={where} peers={state.peers} count={roomEntries?.length ?? 0} onClose={closeDialog} />
      )}
      {state.dialog === 'new-room' && (
        <RoomDialog
          onClose={closeDialog}
          onJoined={(r) => {
            closeDialog()
            dispatch({ type: 'select', room: r })
          }}
        />
      )}
    </div>
    </SharedNames.Provider>
    </OtherNames.Provider>
    </SelfName.Provider>
    </SavedIds.Provider>
    </Blocked.Provider>
    </Today.Provider>
    </Presence.Provider>
  )
}
