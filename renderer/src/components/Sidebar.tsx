import { useContext, useEffect, useRef, useState } from 'react'
import { buildLabel, DEFAULT_ROOM, nameKey, type DirectView, type PeerView, type PrivateRoomView, type Settings } from '../../../preload/contract'
import { shortId, unreadLabel, untilLabel } from '../format'
import type { RoomState } from '../store'
import { Avatar } from './Avatar'
import { describe } from '../api'
import { findPeers, isHere, onlineCount, PEER_FIND_FROM, peersInOrder } from '../people'
import { BuildTag, BuildWords, Presence, PresenceDot, StatusWords } from './People'
import { SharedNames } from '../mentions'
import { BlockIcon, ConnectIcon, FoldedIcon, ForgetIcon, LockIcon, MailIcon, MutedIcon, PauseIcon, PausedIcon, SavedListIcon, SettingsIcon, UnfoldedIcon } from './icons'
import { pauseLabel, pausedTo, usePaused } from '../pause'
import { ClockWords } from './ClockWords'

interface Props {
  /** Who we are; `words`, our status in our own words ('' for none). */
  /** `fingerprint`: one's key as others see it beside one's name ('' before the engine runs). */
  self: { id: string; fingerprint: string; name: string; words: string; wordsUntil?: number }
  rooms: string[]
  /** Rooms this person opened or wrote in; the rest are listed apart. */
  joined: string[]
  roomData: Record<string, RoomState>
  active: string
  /** The room on screen is read only, not joined (a search hit in a room left): not listed under Rooms. */
  reading?: boolean
  peers: PeerView[]
  /** Direct-message conversations, each in its own (DM) room. */
  dms: DirectView[]
  /** Start or reopen the direct messages with a peer. */
  onOpenDm: (peerId: string) => void
  /** Block a peer (asks first) or let it back; absent where blocking means nothing (client mode, not running). */
  onBlock?: (peer: PeerView) => void
  onUnblock?: (peer: PeerView) => void
  /** Stop listing someone offline (until they are here again). */
  onForget?: (peer: PeerView) => void
  /** Peer to peer: link to a known peer that is not connected now, at the addresses known of it, without waiting for the next try; rejects with why not. */
  onConnectNow?: (peer: PeerView) => Promise<unknown>
  /** Stop listing a conversation until someone writes in it again (its history stays). */
  onCloseDm?: (peerId: string) => void
  /** Invite-only rooms we are in. */
  privateRooms: PrivateRoomView[]
  /** Ask to leave an invite-only room (not one we created). */
  onLeavePrivate?: (room: PrivateRoomView) => void
  onNewPrivateRoom: () => void
  onSelect: (room: string) => void
  /** Stop listing a public room (its history stays; a new message in it lists it again, under other rooms). */
  onLeave?: (room: string) => void
  onNewRoom: () => void
  onConnect: () => void
  onSettings: () => void
  /** Open the status dialog (absent while the engine is not running). */
  onStatus?: () => void
  /** Messages that mention us, per room, since we last looked. */
  mentions?: Record<string, number>
  /** Rooms muted in Settings. */
  muted?: readonly string[]
  /** "Other rooms" (on the network) shows its title only (Settings keep it: foldOtherRooms). */
  foldOthers?: boolean
  /** Fold or unfold it; absent: not offered. */
  onFoldOthers?: (fold: boolean) => void
  /** Our own presence and its switch (away by hand). */
  away?: { away: boolean; byHand: boolean; setAway: (away: boolean) => void }
  /** Notifications paused (Settings' notifyPausedUntil): the pause dialog, and resuming in one click. Absent while the engine is not running, and with notifications off in Settings (nothing to pause). */
  pause?: { until: Settings['notifyPausedUntil']; onOpen: () => void; onResume: () => void }
  /** The messages one saved for later, in every conversation: how many, and their list. Absent while the engine is not running. */
  saved?: { count: number; onOpen: () => void }
}

/** "@2": messages in the room that mention you. */
function MentionCount({ n }: { n: number }) {
  return n > 0 ? <span className="mention-count" data-testid="mention-count" aria-label={`${n} mention${n === 1 ? '' : 's'} of you`}>@{n}</span> : null
}

/** Where the peer listens (what one would dial), shown as ip:port when it is that simple. */
function peerAddress(peer: PeerView): string {
  const listen = peer.addrs?.find((a) => a.startsWith('/ip4/')) ?? peer.addrs?.[0]
  const simple = listen === undefined ? null : /^\/ip4\/([\d.]+)\/tcp\/(\d+)/.exec(listen)
  if (simple !== null) return `${simple[1]}:${simple[2]}`
  return listen ?? peer.connections[0]?.remote ?? ''
}

function RoomList({ rooms, roomData, active, onSelect, onLeave, mentions = {}, muted = [] }: Pick<Props, 'rooms' | 'roomData' | 'active' | 'onSelect' | 'onLeave' | 'mentions' | 'muted'>) {
  return (
    <ul className="rooms">
      {rooms.map((room) => {
        const unread = room === active ? 0 : roomData[room]?.unread ?? 0
        return (
          <li key={room} className="room-row">
            <button className={room === active ? 'room active' : 'room'} aria-current={room === active ? 'page' : undefined} data-room={room} onClick={() => onSelect(room)}>
              <span className="hash">#</span>
              <span className="room-name">{room}</span>
              {muted.includes(room) && <span className="muted-room" role="img" aria-label="muted" title="Muted: only mentions of you notify"><MutedIcon /></span>}
              <MentionCount n={room === active ? 0 : mentions[room] ?? 0} />
              <Unread count={unread} />
            </button>
            {onLeave !== undefined && room !== DEFAULT_ROOM && (
              <button className="icon small leave" aria-label={`Leave #${room}`} title="Leave the room: its history stays, and a new message in it lists it again under other rooms" onClick={() => onLeave(room)}>×</button>
            )}
          </li>
        )
      })}
    </ul>
  )
}

function DirectList({ dms, peers, roomData, active, onSelect, onCloseDm }: Pick<Props, 'dms' | 'peers' | 'roomData' | 'active' | 'onSelect' | 'onCloseDm'>) {
  return (
    <ul className="rooms">
      {dms.map((dm) => {
        const unread = dm.room === active ? 0 : roomData[dm.room]?.unread ?? 0
        const name = peers.find((p) => p.peerId === dm.peerId)?.name || dm.name || shortId(dm.peerId)
        return (
          <li key={dm.room} className="room-row">
            <button className={dm.room === active ? 'room active' : 'room'} aria-current={dm.room === active ? 'page' : undefined} data-dm={dm.peerId} title={`End-to-end encrypted, with ${dm.peerId}`} onClick={() => onSelect(dm.room)}>
              <span className="lock" role="img" aria-label="Private"><LockIcon /></span>
              <span className="room-name">{name}</span>
              <Unread count={unread} />
            </button>
            {onCloseDm !== undefined && (
              <button className="icon small leave" aria-label={`Close the conversation with ${name}`} title="Close the conversation: its history stays, and it is listed again when one of you writes" onClick={() => onCloseDm(dm.peerId)}>×</button>
            )}
          </li>
        )
      })}
    </ul>
  )
}

/**
 * Under one's name and status, as Slack puts "Pause notifications" beside "Set a status": a quiet
 * link that opens the pause dialog; while paused, until when, and Resume, one click.
 */
function PauseLine({ until, onOpen, onResume }: NonNullable<Props['pause']>) {
  const paused = usePaused(until)
  // Resumed from the keyboard: Resume goes, and the keyboard goes on to the link that pauses again, not to the page's start.
  const resuming = useRef(false)
  // The keyboard on Resume when the pause ends by itself: Resume goes with it, and the keyboard would be left nowhere.
  const onResumeButton = useRef(false)
  const pauseLink = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (paused) return
    const lost = onResumeButton.current && (document.activeElement === null || document.activeElement === document.body)
    onResumeButton.current = false
    if (!resuming.current && !lost) return
    resuming.current = false
    pauseLink.current?.focus()
  }, [paused])
  if (!paused) {
    return (
      <span className="own-pause-line">
        <button ref={pauseLink} className="own-pause unset" title="No notification and no sound for a while: unread counts go on" onClick={onOpen}><PauseIcon /><span>Pause notifications</span></button>
      </span>
    )
  }
  const label = `Notifications paused ${pauseLabel(until)}`
  return (
    <span className="own-pause-line" data-testid="notify-paused">
      <button className="own-pause" aria-label={label} title={`${label} (click to change)`} onClick={onOpen}><PausedIcon /><span>Paused <ClockWords text={pauseLabel(until)} at={pausedTo(until)} /></span></button>
      <button
        className="own-resume" aria-label="Resume notifications" title="Notifications again from the next message"
        onFocus={() => { onResumeButton.current = true }}
        // Left for somewhere else (not taken away with the button, which has nowhere to go).
        onBlur={(e) => { if (e.relatedTarget !== null) onResumeButton.current = false }}
        onClick={() => { resuming.current = true; onResume() }}
      >Resume</button>
    </span>
  )
}

/** A conversation's unread count (format.ts: unreadLabel). */
function Unread({ count }: { count: number }) {
  if (count <= 0) return null
  const label = unreadLabel(count)
  return <span className="unread" aria-label={`${label} unread`}>{label}</span>
}

/** The rooms listed under "Rooms": those joined, and the one on screen. */
export function joinedRooms(rooms: readonly string[], joined: readonly string[], active: string): string[] {
  return rooms.filter((r) => r === active || joined.includes(r))
}

export function Sidebar({ self, rooms, joined, roomData, active, reading = false, peers, dms, onOpenDm, onBlock, onUnblock, onForget, onConnectNow, onCloseDm, privateRooms, onLeavePrivate, onNewPrivateRoom, onSelect, onLeave, onNewRoom, onConnect, onSettings, onStatus, away, pause, saved, mentions, muted, foldOthers = false, onFoldOthers }: Props) {
  const mine = joinedRooms(rooms, joined, reading ? '' : active)
  const others = rooms.filter((r) => !mine.includes(r))
  const presence = useContext(Presence)
  const shared = useContext(SharedNames)
  const sorted = peersInOrder(peers, presence)
  // A class's hundred: a box to find one by name, once the list is longer than a glance.
  const [find, setFind] = useState('')
  // The person whose older/newer tag is opened to say what it means (one at a time).
  const [buildShown, setBuildShown] = useState<string | null>(null)
  // Connect now, by peer: under way (true), or why it failed.
  const [connecting, setConnecting] = useState<ReadonlyMap<string, true | string>>(new Map())
  const connectNow = (peer: PeerView): void => {
    if (onConnectNow === undefined || connecting.get(peer.peerId) === true) return
    const set = (v: true | string | undefined): void => setConnecting((all) => {
      const next = new Map(all)
      if (v === undefined) next.delete(peer.peerId)
      else next.set(peer.peerId, v)
      return next
    })
    set(true)
    onConnectNow(peer).then(() => set(undefined), (err: unknown) => set(describe(err)))
  }
  // Linked since (by Connect now or otherwise): what a try said of them is old news.
  useEffect(() => {
    setConnecting((all) => {
      const linked = [...all.keys()].filter((id) => peers.some((p) => p.peerId === id && p.connected))
      if (linked.length === 0) return all
      const next = new Map(all)
      for (const id of linked) next.delete(id)
      return next
    })
  }, [peers])
  const finding = sorted.length >= PEER_FIND_FROM
  const shown = finding ? findPeers(sorted, find) : sorted
  // A row pressed off its list (Forget on a peer, × on a room or a direct conversation) goes with its
  // buttons: the keyboard, on one, would fall to the page (Tab then starting over at the top). It goes to
  // the row now in its place in that list, else the one above, else the list's first button, else the
  // conversation open (Connect to address… with none).
  const side = useRef<HTMLElement>(null)
  const had = useRef<{ el: Element; list: Element | null; at: number } | null>(null)
  useEffect(() => {
    const held = had.current
    const now = document.activeElement
    if (held === null || held.el.isConnected || (now !== null && now !== document.body)) return
    had.current = null
    const list = held.list !== null && held.list.isConnected ? held.list : null
    const rows = list === null ? [] : [...list.querySelectorAll<HTMLElement>(':scope > li')].filter((li) => li.querySelector('button') !== null)
    const row = rows[Math.min(held.at, rows.length - 1)]
    const open = side.current?.querySelector<HTMLElement>('button[aria-current="page"]') ?? side.current?.querySelector<HTMLElement>('button.connect')
    ;(row?.querySelector<HTMLElement>('button') ?? list?.closest('nav, section')?.querySelector<HTMLElement>('button') ?? open)?.focus()
  })
  return (
    <aside
      className="sidebar"
      id="sidebar"
      aria-label="Conversations and people"
      ref={side}
      onFocus={(e) => {
        const row = e.target.closest('li')
        const list = row?.parentElement ?? null
        had.current = { el: e.target, list, at: row === null || list === null ? 0 : [...list.children].indexOf(row) }
      }}
      onBlur={(e) => { if (e.relatedTarget !== null) had.current = null }}
    >
      <header className="me">
        <Avatar id={self.id} name={self.name} size={34} />
        <div className="me-text">
          <strong data-testid="self-name">{self.name}</strong>
          {onStatus !== undefined && (
            <button className={self.words === '' ? 'own-status unset' : 'own-status'} data-testid="own-status" title={self.words === '' ? 'Say what you are up to: everyone sees it next to your name' : `Your status: ${self.words}${self.wordsUntil !== undefined ? `, ${untilLabel(self.wordsUntil)}` : ''} (click to change)`} onClick={onStatus}>
              {self.words === '' ? 'Set a status' : self.words}
            </button>
          )}
          {/* One's key as others see it beside one's name and in a clash warning: what two people compare. */}
          {self.fingerprint !== ''
            ? <span className="muted small" data-testid="self-key" title={`Your key as others see it beside your name (peer id ${self.id})`}>key {self.fingerprint}</span>
            : <span className="muted small" title={self.id}>{shortId(self.id)}</span>}
        </div>
        {away !== undefined && (
          <button className={`icon own-presence ${away.away ? 'away' : 'online'}`} aria-pressed={away.byHand} aria-label={away.away ? 'You are away: set yourself online' : 'You are online: set yourself away'} title={away.away ? 'Away (click to be online)' : 'Online (click to be away)'} onClick={() => away.setAway(!away.away)}>
            <span className={`presence ${away.away ? 'away' : 'online'}`} aria-hidden="true" />
          </button>
        )}
        <button className="icon" aria-label="Settings" title="Settings" onClick={onSettings}><SettingsIcon /></button>
        {pause !== undefined && <PauseLine {...pause} />}
      </header>

      {/* One's own bookmarks, across every conversation (as Slack's Saved, above its channels): a list, not a conversation. */}
      {saved !== undefined && (
        <div className="section saved-entry">
          <button className="room" aria-haspopup="dialog" data-testid="saved-button" title="Messages you saved for later: only you see them" onClick={saved.onOpen}>
            <SavedListIcon /><span className="room-name">Saved</span>
            {saved.count > 0 && <span className="saved-count" data-testid="saved-count">{saved.count}<span className="visually-hidden"> saved</span></span>}
          </button>
        </div>
      )}

      <nav aria-label="Rooms" className="section">
        <div className="section-title">
          <span>Rooms</span>
          <button className="icon small" aria-label="Create or join a room" title="Create or join a room" onClick={onNewRoom}>+</button>
        </div>
        <RoomList rooms={mine} roomData={roomData} active={active} onSelect={onSelect} onLeave={onLeave} mentions={mentions} muted={muted} />
      </nav>

      {others.length > 0 && (
        <nav aria-label="Other rooms on the network" className="section" data-testid="other-rooms">
          <div className="section-title">
            {onFoldOthers === undefined ? <span>Other rooms</span> : (
              <button className="fold" aria-expanded={!foldOthers} aria-controls="other-rooms-list" title={foldOthers ? 'Show the rooms others write in' : 'Fold the list: the rooms stay one click (or Ctrl+K) away'} onClick={() => onFoldOthers(!foldOthers)}>
                {foldOthers ? <FoldedIcon /> : <UnfoldedIcon />}Other rooms
              </button>
            )}
            {foldOthers && (
              <span className="fold-counts">
                <span className="muted small" data-testid="other-rooms-count" title={`${others.length} room${others.length === 1 ? '' : 's'}`}>{others.length}</span>
                <MentionCount n={others.reduce((n, r) => n + (mentions?.[r] ?? 0), 0)} />
              </span>
            )}
          </div>
          {!foldOthers && <div id="other-rooms-list"><RoomList rooms={others} roomData={roomData} active={active} onSelect={onSelect} onLeave={onLeave} mentions={mentions} muted={muted} /></div>}
        </nav>
      )}

      <nav aria-label="Private rooms" className="section">
        <div className="section-title">
          <span>Private rooms</span>
          <button className="icon small" aria-label="Create or join a private room" title="Create a private room, or join one with an invite code" onClick={onNewPrivateRoom}>+</button>
        </div>
        <ul className="rooms">
          {privateRooms.map((r) => {
            const unread = r.room === active ? 0 : roomData[r.room]?.unread ?? 0
            return (
              <li key={r.room} className="room-row">
                <button className={r.room === active ? 'room active' : 'room'} aria-current={r.room === active ? 'page' : undefined} data-private={r.room} onClick={() => onSelect(r.room)}>
                  <span className="lock" role="img" aria-label="Private"><LockIcon /></span>
                  <span className="room-name">{r.name}</span>
                  <MentionCount n={r.room === active ? 0 : mentions?.[r.room] ?? 0} />
                  <Unread count={unread} />
                </button>
                {onLeavePrivate !== undefined && r.creator !== self.id && (
                  <button className="icon small leave" aria-label={`Leave ${r.name}`} title="Leave the private room (asks first)" onClick={() => onLeavePrivate(r)}>×</button>
                )}
              </li>
            )
          })}
        </ul>
      </nav>

      <nav aria-label="Direct messages" className="section" data-testid="dms">
        <div className="section-title">
          <span>Direct messages</span>
        </div>
        {dms.length === 0 ? <p className="muted small empty">Message a peer from the list below: only the two of you can read it.</p> : <DirectList dms={dms} peers={peers} roomData={roomData} active={active} onSelect={onSelect} onCloseDm={onCloseDm} />}
      </nav>

      <section aria-label="Peers" className="section grow">
        <div className="section-title">
          <span>Peers</span>
          <span className="muted small" data-testid="online-count">{onlineCount(peers, presence)} online</span>
        </div>
        {finding && (
          <input
            className="find-peer"
            type="search"
            placeholder="Find a person"
            aria-label="Find a person"
            value={find}
            onChange={(e) => setFind(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Escape' && find !== '') { e.stopPropagation(); setFind('') } }}
          />
        )}
        {sorted.length > 0 && shown.length === 0 && <p className="muted small empty find-none" role="status">Nobody called “{find.trim()}” here.</p>}
        <ul className="peers">
          {sorted.length === 0 && <li className="muted small empty">Nobody yet. Peers on your LAN appear here, or connect by address.</li>}
          {shown.map((peer) => {
            const who = peer.name || shortId(peer.peerId)
            // Peer to peer, someone not linked to us whose address we know (the book): linked on request, now.
            const canConnect = onConnectNow !== undefined && !peer.connected && peer.hub !== true && peer.blocked !== true && (peer.addrs?.length ?? 0) > 0
            const trying = canConnect && connecting.get(peer.peerId) === true
            const failed = canConnect ? connecting.get(peer.peerId) : undefined
            return (
            <li key={peer.peerId} className={`${isHere(peer, presence) ? 'peer online' : 'peer'}${trying || typeof failed === 'string' ? ' connecting' : ''}`} data-testid="peer" title={peer.peerId}>
              <PresenceDot peerId={peer.peerId} connected={peer.connected} />
              <div className="peer-text">
                <span className="peer-name" title={[peer.fingerprint !== undefined ? `key ${peer.fingerprint}` : '', peer.build !== undefined ? buildLabel(peer.build) : ''].filter((t) => t !== '').join(' · ') || undefined}><span className="peer-name-text">{peer.name || shortId(peer.peerId)}</span>{peer.fingerprint !== undefined && shared.has(nameKey(peer.name)) && <span className="author-key" data-testid="peer-key" title="Someone else here goes by this name: this key tells them apart">{peer.fingerprint}</span>}{peer.blocked === true && <span className="tag">blocked</span>}{peer.hub === true && <span className="tag" title="The server: it numbers and relays messages, it is not a person">server</span>}<BuildTag build={peer.build} hub={peer.hub === true} shown={buildShown === peer.peerId} onToggle={() => setBuildShown(buildShown === peer.peerId ? null : peer.peerId)} testId="peer-build" /></span>
                {/* The tag's tooltip is for a mouse: Enter or a click on the tag shows the same words here, for the keyboard and a screen reader. */}
                <BuildWords build={peer.build} hub={peer.hub === true} shown={buildShown === peer.peerId} testId="peer-build-hint" />
                <StatusWords of={presence.get(peer.peerId)} kind="peer-status" />
                <span className="muted small mono peer-addr" title={peerAddress(peer)}>{peerAddress(peer)}</span>
              </div>
              {peer.hub !== true && peer.blocked !== true && (
                <button className="icon small dm-start" aria-label={`Message ${peer.name || shortId(peer.peerId)} privately`} title="Direct message (end-to-end encrypted)" onClick={() => onOpenDm(peer.peerId)}><MailIcon /></button>
              )}
              {canConnect && (
                <button
                  className="icon small connect-now"
                  aria-label={trying ? `Connecting to ${who}…` : `Connect now to ${who}`}
                  aria-disabled={trying}
                  title={trying ? 'Connecting…' : 'Connect now, at the addresses known of them, without waiting for the next try'}
                  onClick={() => connectNow(peer)}
                >
                  <ConnectIcon />
                </button>
              )}
              {/* Under the row, its whole width: what Connect now is doing, or why it did not link. */}
              {trying && <span className="small muted peer-connect-note" role="status" data-testid="connecting">Connecting…</span>}
              {typeof failed === 'string' && <span className="small peer-connect-note" role="alert" data-testid="connect-failed">{failed}</span>}
              {peer.hub !== true && peer.blocked !== true && !peer.connected && !isHere(peer, presence) && onForget !== undefined && (
                <button className="icon small forget" aria-label={`Forget ${peer.name || shortId(peer.peerId)}`} title="Forget: take them off this list until they are online again (their messages stay)" onClick={() => onForget(peer)}><ForgetIcon /></button>
              )}
              {peer.hub !== true && peer.blocked !== true && onBlock !== undefined && (
                <button className="icon small block" aria-label={`Block ${peer.name || shortId(peer.peerId)}`} title="Block: hide their messages and refuse their connection (asks first)" onClick={() => onBlock(peer)}><BlockIcon /></button>
              )}
              {peer.blocked === true && onUnblock !== undefined && (
                <button className="small unblock" aria-label={`Unblock ${peer.name || shortId(peer.peerId)}`} title="Show their messages again and let them connect" onClick={() => onUnblock(peer)}>Unblock</button>
              )}
            </li>
            )
          })}
        </ul>
      </section>

      <button className="connect" onClick={onConnect}>Connect to address…</button>
    </aside>
  )
}
