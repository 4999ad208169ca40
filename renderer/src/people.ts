/**
 * What is live about people, kept apart from the chat state: who is typing
 * where (gone after a few seconds of silence, or when their message comes),
 * everyone's presence, and our own idle/away. None of it is history: the
 * engine never stores it, so the window keeps it only in memory.
 *
 *   const typing = useTyping(active)           // ['Bob']
 *   typingText(typing)                          // 'Bob is typing…'
 *   const people = usePresence(running)         // Map peerId → PresenceView
 *   const { away, setAway } = useOwnPresence(running)
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { AppEvent, PeerView, PresenceView } from '../../preload/contract'
import { bridge, call } from './api'

/** A "typing" shows this long after the last frame (peers repeat it every 3 s while they type). */
export const TYPING_SHOWN_MS = 5_000
/** We go away after this long without input (unless away by hand already). */
export const IDLE_AFTER_MS = 5 * 60_000
/** We tell the engine we type at most this often (it sends at most one frame per 3 s anyway). */
const TYPING_SAID_MS = 1_000

interface Typist { peer: string; name: string; until: number }

/** Who is typing in `room`, by name, newest first; never one of `hidden` (the peers blocked). */
export function useTyping(room: string, hidden: ReadonlySet<string> = NOBODY): string[] {
  const [typists, setTypists] = useState<Record<string, Typist[]>>({})
  useEffect(() => {
    const off = bridge().onEvent((event: AppEvent) => {
      if (event.type === 'peer:typing') {
        const t: Typist = { peer: event.peer, name: event.name, until: Date.now() + TYPING_SHOWN_MS }
        setTypists((all) => ({ ...all, [event.room]: [t, ...(all[event.room] ?? []).filter((x) => x.peer !== event.peer)] }))
      } else if (event.type === 'message') {
        // Their message is here: they are done typing it.
        setTypists((all) => (all[event.room]?.some((x) => x.peer === event.author) === true ? { ...all, [event.room]: all[event.room]!.filter((x) => x.peer !== event.author) } : all))
      }
    })
    return off
  }, [])
  const here = typists[room] ?? []
  // Silence: each one fades when its time is up.
  useEffect(() => {
    if (here.length === 0) return
    const next = Math.min(...here.map((t) => t.until)) - Date.now()
    const timer = window.setTimeout(() => {
      const now = Date.now()
      setTypists((all) => ({ ...all, [room]: (all[room] ?? []).filter((t) => t.until > now) }))
    }, Math.max(0, next) + 10)
    return () => window.clearTimeout(timer)
  }, [here, room])
  return here.filter((t) => !hidden.has(t.peer)).map((t) => t.name || 'Someone')
}

const NOBODY: ReadonlySet<string> = new Set()

/** "Bob is typing…", "Bob and Carol are typing…", "Several people are typing…"; '' for nobody. */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return ''
  if (names.length === 1) return `${names[0]} is typing…`
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`
  return 'Several people are typing…'
}

/** A typing callback for the composer: tells the engine, at most once a second. */
export function useTypingSignal(room: string, enabled: boolean): () => void {
  const last = useRef(0)
  return useCallback(() => {
    if (!enabled || Date.now() - last.current < TYPING_SAID_MS) return
    last.current = Date.now()
    call('typing', { room }).catch(() => undefined)
  }, [room, enabled])
}

/**
 * Everyone's presence the engine knows, kept current by `peer:presence` events; `drop` takes one
 * out (someone the user forgot: the engine lists them again only with news that they are here).
 */
export function usePresence(running: boolean, key: string): { people: Map<string, PresenceView>; drop: (peerId: string) => void } {
  const [people, setPeople] = useState<Map<string, PresenceView>>(new Map())
  const drop = useCallback((peerId: string) => setPeople((all) => {
    if (!all.has(peerId)) return all
    const next = new Map(all)
    next.delete(peerId)
    return next
  }), [])
  useEffect(() => {
    if (!running) return
    let live = true
    const off = bridge().onEvent((event: AppEvent) => {
      if (event.type !== 'peer:presence') return
      const { type: _type, ...view } = event
      setPeople((all) => new Map(all).set(view.peerId, view))
    })
    call('presence').then((list) => {
      if (live) setPeople((all) => new Map([...list.map((p) => [p.peerId, p] as const), ...all]))
    }, () => undefined)
    return () => {
      live = false
      off()
      setPeople(new Map())
    }
  }, [running, key])
  return { people, drop }
}

/** While away for want of input, how often the computer's idle time is asked again: input to another program brings us back. */
export const IDLE_RECHECK_MS = 15_000

/**
 * Our own presence: away by hand (until set back), or by being idle for
 * IDLE_AFTER_MS (back at the next key press or pointer move). Idle means the
 * whole computer: where the host can tell (the desktop app, from the system),
 * input to another program counts too, so someone writing in another window
 * all afternoon is not away, and is back as soon as they touch any program.
 */
export function useOwnPresence(running: boolean, key: string): { away: boolean; byHand: boolean; setAway: (away: boolean) => void } {
  const [byHand, setByHand] = useState(false)
  const [idle, setIdle] = useState(false)
  const away = byHand || idle
  useEffect(() => {
    if (!running) return
    let timer = 0
    let gone = false
    // No input to this window for `after` ms: ask the computer. Input elsewhere since then puts the check off.
    const check = (after: number): void => {
      window.clearTimeout(timer)
      timer = window.setTimeout(() => {
        call('systemIdle').then((answer) => {
          if (gone) return
          if (answer === null) { setIdle(true); return }
          const idleFor = answer.idleMs
          if (idleFor >= IDLE_AFTER_MS) {
            setIdle(true)
            check(IDLE_RECHECK_MS)
          } else {
            setIdle(false)
            check(Math.max(IDLE_RECHECK_MS, IDLE_AFTER_MS - idleFor))
          }
        }, () => { if (!gone) setIdle(true) })
      }, after)
    }
    const active = (): void => {
      setIdle(false)
      check(IDLE_AFTER_MS)
    }
    check(IDLE_AFTER_MS)
    const events = ['keydown', 'pointermove', 'pointerdown', 'focus'] as const
    for (const e of events) window.addEventListener(e, active, { passive: true })
    return () => {
      gone = true
      window.clearTimeout(timer)
      for (const e of events) window.removeEventListener(e, active)
    }
  }, [running])
  useEffect(() => {
    if (running) call('setPresence', { state: away ? 'away' : 'online' }).catch(() => undefined)
  }, [running, away, key])
  return { away, byHand, setAway: setByHand }
}

/**
 * How many of these are online or away: by their presence, else by a live link
 * (a server with no presence of its own is not a person). People reached through
 * another peer count: a header saying "1 online" beside two green dots misleads.
 */
export function onlineCount(list: readonly PeerView[], people: ReadonlyMap<string, PresenceView>): number {
  return list.filter((p) => (people.get(p.peerId)?.state ?? (p.connected && p.hub !== true ? 'online' : 'offline')) !== 'offline').length
}

const RANK = { online: 1, away: 2, offline: 3 } as const

/** Online or away, as their dot says (a link alone counts while no presence was heard). */
export function isHere(p: PeerView, people: ReadonlyMap<string, PresenceView>): boolean {
  return (people.get(p.peerId)?.state ?? (p.connected ? 'online' : 'offline')) !== 'offline'
}

/** The Peers list gets a box to find someone by name from this many people on. */
export const PEER_FIND_FROM = 10

/**
 * Those whose name holds what was typed, case and accents aside (or whose peer id ends with it,
 * as the list shows an unnamed one); everyone when nothing was typed.
 */
export function findPeers(list: readonly PeerView[], typed: string): readonly PeerView[] {
  const fold = (text: string): string => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  const q = fold(typed.trim())
  if (q === '') return list
  return list.filter((p) => fold(p.name).includes(q) || p.peerId.toLowerCase().endsWith(q))
}

/**
 * The Peers list's order: the server first, then who is online, away, offline, as their dots
 * say, each by name. Presence, not our links: in a mesh bigger than a peer's links most of the
 * people online are heard of through others, and belong with those online, not among those gone.
 */
export function peersInOrder(list: readonly PeerView[], people: ReadonlyMap<string, PresenceView>): PeerView[] {
  const rank = (p: PeerView): number => (p.hub === true ? 0 : RANK[people.get(p.peerId)?.state ?? (p.connected ? 'online' : 'offline')])
  return [...list].sort((a, b) => rank(a) - rank(b) || (a.name || a.peerId).localeCompare(b.name || b.peerId))
}

/**
 * An invite-only room's header: "only you so far" (nobody joined yet), "only you" (the others were
 * removed or left), or "3 members · 2 online" (`othersOnline` of the others, and us).
 */
export function membersLabel(members: number, othersOnline: number, othersWent = false): string {
  if (members <= 1) return othersWent ? 'only you' : 'only you so far'
  return `${members} members · ${othersOnline + 1} online`
}

/** "online", "away", or "offline, last seen 10:42" / "last seen 3 Mar" for the dot's label. */
export function presenceLabel(p: Pick<PresenceView, 'state' | 'lastSeen'> | undefined, connected: boolean): string {
  const state = p?.state ?? (connected ? 'online' : 'offline')
  if (state !== 'offline') return state
  if (p?.lastSeen === undefined || p.lastSeen === 0) return 'offline'
  const when = new Date(p.lastSeen)
  const today = new Date().toDateString() === when.toDateString()
  return `offline, last seen ${today ? when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : when.toLocaleDateString([], { day: 'numeric', month: 'short' })}`
}

/**
 * The peers, and the people only presence knows of (in client–server mode a
 * client's peer list is the hub: its fellow clients are known by presence),
 * not us: whom the sidebar lists, and whom a private room can invite.
 */
export function everyone(peers: PeerView[], people: ReadonlyMap<string, PresenceView> | undefined, self: string): PeerView[] {
  const known = new Set(peers.map((p) => p.peerId))
  const more = [...(people?.values() ?? [])].filter((p) => !known.has(p.peerId) && p.peerId !== self).map((p): PeerView => ({ peerId: p.peerId, name: p.name, connected: p.state !== 'offline', connections: [], ...(p.fingerprint !== undefined ? { fingerprint: p.fingerprint } : {}), ...(p.build !== undefined ? { build: p.build } : {}) }))
  return [...peers, ...more]
}
