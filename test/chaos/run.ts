/**
 * A seeded chaos run of real `bin/lanchat` processes: a sparse mesh, random
 * kill -9 and restarts, partitions (block/unblock), pauses (SIGSTOP/SIGCONT)
 * and sends; then a heal, a bounded wait for convergence, and the checkers.
 * In client-server (`architecture: 'client-server'`) the processes are one
 * hub and `peers` clients, and the hub is killed, restarted and paused like
 * any of them. There are no partitions there: a client's only link is to the
 * hub, and `block` is a P2P command (a pause cuts a process off instead).
 * Between the sends, peers edit and delete their own messages and react to
 * any they have, and some sends are direct messages to another peer or go
 * to an invite-only room every peer joined at the start (drawn from a second
 * stream of the seed, so a seed's faults and sends stay what they were);
 * every peer must end showing each message alike: its text, edited, deleted
 * and its reactions, and each direct conversation the same on both its ends,
 * the invite-only room the same on every member (never on the hub, which
 * cannot read either). Halfway through the faults the room's creator removes
 * its last member (with 3 peers or more), and three quarters through the one
 * before it leaves (with 4 or more): the others must still agree on the room,
 * keep whatever those two wrote before (in Lamport order), all hold the
 * creator's newest key (made after each change), and, once they wrote with
 * it, nothing of theirs may show on the removed member, which must show the
 * rest in the same order. Now and then (a third stream of the seed) a peer pins or unpins a
 * message it has, of the lobby or of the invite-only room while it is a member: every peer must
 * show the same `pinned` (by whom) on each message, and each process of a conversation answer
 * `pins` with the same list in the same order, agreeing with its own history.
 *
 * const r = await runChaos({ seed: 7, peers: 5, faults: 25 })
 * const cs = await runChaos({ seed: 7, peers: 5, faults: 25, architecture: 'client-server' })
 * r.verdict.lost      // [] when nothing confirmed was lost
 * r.convergenceMs     // from the start of the heal to identical histories
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkHistories, checkPins, duplicateDeliveries, type HeldMessage, type PinnedEntry, type Verdict } from './check.js'
import { ChaosPeer } from './cluster.js'
import { Rng } from './prng.js'
import { dmRoom } from '../../main/chat/private.js'
import { MAX_PINNED } from '../../main/core/edits.js'

export const FAULTS = ['kill', 'restart', 'partition', 'split', 'unblock', 'pause'] as const
export type FaultKind = typeof FAULTS[number]
const WEIGHTS: Record<FaultKind, number> = { kill: 3, restart: 2, partition: 2, split: 1, unblock: 2, pause: 3 }

export interface ChaosOptions {
  seed: number
  /** P2P peers, or the clients of the hub in client-server. */
  peers: number
  faults: number
  architecture?: 'p2p' | 'client-server'
  /** Bound on the wait for convergence after the heal. */
  convergeMs?: number
  log?: (line: string) => void
}

export interface ChaosReport {
  seed: number
  peers: number
  architecture: 'p2p' | 'client-server'
  faults: Record<FaultKind, number>
  sent: number
  /** Edits, deletes, reactions, pins and unpins asked of the peers (some land on a process killed before it takes them). */
  actions: { edit: number, delete: number, react: number, pin: number, unpin: number }
  /** How many messages each process of a conversation lists pinned at the end (its `pins`), the lobby, the invite-only room and the direct conversations together. */
  pinned: { lobby: number, privateRoom: number, direct: number }
  /** Where the `pins` answers of a conversation's processes differ, or one differs from its own history (checkPins). */
  pinDiffs: string[]
  /** Confirmed: announced back to its author, or (client-server) gone pending on its author's disk. */
  confirmed: number
  /**
   * Sends never confirmed by a process that was not killed after taking them (it ran on to the
   * end): a message a running app accepted and then lost. (A send just before a kill -9 may
   * be lost with the process, as words typed into an app that crashes before Enter.)
   */
  lostByLiveProcess: string[]
  /** Direct messages refused because their sender had blocked the recipient (a partition's block). */
  refusedAsBlocked: number
  /** Client-server: messages taken while the hub was away (pending), each to be delivered after. */
  pending: number
  /** Direct messages confirmed (counted in `confirmed` too), and in how many conversations. */
  directs: { messages: number, conversations: number }
  /** Messages of the invite-only room confirmed (counted in `confirmed` too). */
  privateRoom: number
  /**
   * Changes of the invite-only room's members: the creator removes the last member halfway through
   * the faults (absent: the creator was never usable from then on, or fewer than 3 peers), and the
   * one before it leaves three quarters through (absent: it was never usable then, or fewer than 4
   * peers). `findings`: what the removed member shows that it must not (a message written with the
   * new key, one the members do not show, the members' messages in another order), members that
   * never read the new key or do not hold the creator's newest, a change with no new key after it.
   */
  membership: { removed?: { name: string, atFault: number }, left?: { name: string, atFault: number }, findings: string[] }
  verdict: Verdict
  /** The error events every process told, by code (a refused message, a rejected edit…), over every run. */
  errors: Record<string, number>
  /** Of those, the hub refusing a client's own message (`SequenceError`): it is then dropped, a loss if it was a room's new key. */
  refusedByHub: string[]
  /** Delivered twice by one process run (a failure) and again after a restart (reported). */
  duplicateDeliveries: string[]
  reannouncedAfterRestart: number
  converged: boolean
  convergenceMs: number
  historyLength: number
  /** How many (message, dep) pairs the causal checker saw on one peer: 0 would mean it checked nothing. */
  depsChecked: number
  durationMs: number
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

export async function runChaos (opts: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now()
  const log = opts.log ?? (() => {})
  const rng = new Rng(opts.seed)
  const actionRng = new Rng(opts.seed + 0x5eed)
  // Pins from a third stream: a seed's faults, sends, edits and reactions stay what they were.
  const pinRng = new Rng(opts.seed + 0x9111)
  const actions = { edit: 0, delete: 0, react: 0, pin: 0, unpin: 0 }
  const pinAsked = new Map<string, Set<string>>()
  const deleted = new Set<string>()
  const architecture = opts.architecture ?? 'p2p'
  const root = mkdtempSync(join(tmpdir(), `lanchat-chaos-${opts.seed}-`))
  const hub = architecture === 'client-server' ? new ChaosPeer('hub', join(root, 'hub'), { role: 'hub' }) : undefined
  // The peers that send (every P2P peer; the hub's clients), and every process (the hub first).
  const peers = Array.from({ length: opts.peers }, (_, i) => hub !== undefined
    ? new ChaosPeer(`c${i}`, join(root, `c${i}`), { role: 'client', server: () => hub.addr() })
    : new ChaosPeer(`p${i}`, join(root, `p${i}`)))
  const all = hub !== undefined ? [hub, ...peers] : peers
  const faults = Object.fromEntries(FAULTS.map(k => [k, 0])) as Record<FaultKind, number>
  const blocks = new Set<string>() // "a>b": peer a blocks peer b
  // `run`: which process run of the peer took the send (it was killed if the peer has had another since);
  // `to`: a direct message's other end.
  const sends: Send[] = []
  try {
    await hub?.start()
    await Promise.all(peers.map(async p => { await p.start() }))
    const edges = hub !== undefined ? [] : sparseMesh(rng, peers.length)
    for (const [a, b] of edges) peers[a]!.command({ cmd: 'dial', addr: peers[b]!.addr() })
    await waitFor(hub !== undefined ? 'every client on the hub' : 'the mesh', () => peers.every(p => p.runs[0]!.some(e => e.type === 'peer:connect')), 20_000)
    log(hub !== undefined ? `hub and ${peers.length} clients` : `mesh of ${peers.length}: ${edges.map(([a, b]) => `p${a}-p${b}`).join(' ')}`)
    // An invite-only room the first peer creates and every other joins with its code, before the faults.
    const made = await peers[0]!.request({ cmd: 'create-private', name: 'Board' }, 'private-room')
    const board = String(made.room)
    for (const p of peers.slice(1)) p.command({ cmd: 'accept', code: made.invite })
    await waitFor('every peer in the invite-only room', () => peers.every(p => p.runs.at(-1)!.some(e => e.type === 'private-room' && e.room === board)), 20_000)
    // And the creator has heard each join: one it hears of only after a change of members, from a code it did
    // not send that member, it cannot tell from a code a removed member passed on, and is asked about.
    await waitFor('the creator lists every member', () => {
      const seen = peers[0]!.runs.at(-1)!.filter(e => e.type === 'private-room' && e.room === board).at(-1)
      return Array.isArray(seen?.members) && seen.members.length === peers.length
    }, 20_000)

    // The creator removes the last member halfway through, the one before it leaves three quarters through
    // (neither drawn from the seed's streams, so its faults stay as they were).
    const victim = peers.length >= 3 ? peers[peers.length - 1]! : undefined
    const leaver = peers.length >= 4 ? peers[peers.length - 2]! : undefined
    let removal: Removal | undefined
    let leave: Leave | undefined
    for (let f = 0; f < opts.faults; f++) {
      if (victim !== undefined && removal === undefined && f >= Math.floor(opts.faults / 2) && peers[0]!.usable) {
        removal = await removeMember(peers[0]!, victim, board, f, sends.length)
        const named = removal.members.map(id => peers.find(p => p.peerId === id)?.name ?? id.slice(-6))
        log(`${peers[0]!.name} removes ${victim.name} from the invite-only room (its members now: ${named.join(', ')})`)
      }
      if (leaver !== undefined && leave === undefined && f >= Math.floor(opts.faults * 3 / 4) && leaver.usable) {
        await leaver.request({ cmd: 'leave', room: board }, 'private-rooms')
        leave = { leaver, atFault: f, sendsBefore: sends.length }
        log(`${leaver.name} leaves the invite-only room`)
      }
      // A fault with nothing to act on (no open block, no one to pause) is drawn again, a few times at most.
      for (let tries = 0; tries < 5; tries++) {
        const kind = chooseFault(rng, all)
        const what = await applyFault(kind, rng, all, blocks)
        if (what === undefined) continue
        faults[kind]++
        log(`fault ${f + 1}/${opts.faults}: ${what}`)
        break
      }
      // Mostly a few sends; now and then a burst from one peer with no pause after it, so the next fault
      // (a kill -9 above all) lands while messages are being written, relayed and announced.
      const burst = rng.next() < 0.15
      for (let s = burst ? rng.between(10, 40) : rng.int(4); s > 0; s--) {
        const ready = peers.filter(p => p.usable)
        if (ready.length === 0) break
        const p = burst && sends.length > 0 && sends[sends.length - 1]!.peer.usable ? sends[sends.length - 1]!.peer : rng.pick(ready)
        const text = `s${opts.seed}-${sends.length} from ${p.name}`
        const where = actionRng.next()
        // Not to someone it blocks (a partition's block): that is refused, and would test nothing.
        const open = peers.filter(q => q !== p && !blocks.has(`${p.name}>${q.name}`))
        const to = where < 0.15 && open.length > 0 ? actionRng.pick(open) : undefined
        const room = to !== undefined ? dmRoom(p.peerId, to.peerId) : where < 0.3 ? board : 'lobby'
        // Its ref says which send an error is about (one to someone blocked would be refused).
        p.command(to === undefined ? { cmd: 'send', room, text } : { cmd: 'send', to: to.peerId, text, ref: text })
        sends.push({ peer: p, text, run: p.runs.length, room, ...(to !== undefined ? { to, toBlocked: blocks.has(`${p.name}>${to.name}`) } : {}) })
      }
      for (let a = actionRng.int(3); a > 0; a--) {
        const what = act(actionRng, peers, deleted, actions)
        if (what !== undefined) log(`  ${what}`)
      }
      if (pinRng.next() < PIN_CHANCE) {
        // In the invite-only room only while a member: what the removed one writes there after is refused, by design.
        const member = (p: ChaosPeer): boolean => p !== removal?.victim && p !== leave?.leaver
        // And in the direct conversations it is in: a pin there is sealed for the other end, as its text is.
        const direct = (p: ChaosPeer): string[] => [...new Set(sends.flatMap(s => s.to !== undefined && (s.peer === p || s.to === p) ? [s.room] : []))]
        const what = pin(pinRng, peers, deleted, pinAsked, p => [...(member(p) ? ['lobby', board] : ['lobby']), ...direct(p)], actions)
        if (what !== undefined) log(`  ${what}`)
      }
      await sleep(burst ? rng.int(30) : rng.between(50, 400))
    }

    // Heal: resume, restart (the hub first), unblock every pair, redial the mesh (a client redials its hub itself).
    const healStart = Date.now()
    for (const p of all) p.resume()
    await hub?.start()
    await Promise.all(peers.map(async p => { await p.start() }))
    if (hub === undefined) for (const a of peers) for (const b of peers) if (a !== b) a.command({ cmd: 'unblock', peerId: b.peerId })
    blocks.clear()
    for (const [a, b] of edges) peers[a]!.command({ cmd: 'dial', addr: peers[b]!.addr() })
    // Whichever of the removal and the leave found its peer down (killed or paused) for the rest of the faults
    // happens now, with everyone back: a run always checks both (which faults fall where varies with timing).
    if (victim !== undefined && removal === undefined) {
      removal = await removeMember(peers[0]!, victim, board, opts.faults, sends.length)
      log(`${peers[0]!.name} removes ${victim.name} from the invite-only room after the faults (${peers[0]!.name} was down from halfway on)`)
    }
    if (leaver !== undefined && leave === undefined) {
      await leaver.request({ cmd: 'leave', room: board }, 'private-rooms')
      leave = { leaver, atFault: opts.faults, sendsBefore: sends.length }
      log(`${leaver.name} leaves the invite-only room after the faults (it was down from three quarters on)`)
    }
    log(`healed in ${Date.now() - healStart} ms; waiting for convergence`)

    const confirmed = new Map<string, string>()
    // Each conversation checked: the lobby on every process, a direct one on its two ends, the invite-only room on
    // every peer (the hub cannot read either).
    const conversations = new Map<string, ChaosPeer[]>([['lobby', all], [board, peers.filter(p => p !== removal?.victim && p !== leave?.leaver)]])
    for (const s of sends) if (s.to !== undefined) conversations.set(s.room, [s.peer, s.to])
    let must = new Map<string, Set<string>>()
    const end = healStart + (opts.convergeMs ?? 60_000)
    let histories = new Map<string, Map<string, HeldMessage[]>>()
    let verdict = emptyVerdict()
    let converged = false
    let lastStill = ''
    let asked = healStart
    for (;;) {
      const own = new Map(peers.map(p => [p, p.ownMessages()]))
      for (const s of sends) {
        const id = own.get(s.peer)!.get(s.text)?.id
        if (id !== undefined) confirmed.set(s.text, id)
      }
      // A message that went pending was taken and kept on its client's disk: it must arrive, whatever came after.
      // What the removed member wrote after its removal (by its own chain, or the hub's numbers) is refused by the members, by design.
      const refusable = refusedAfterRemoval(removal, board, hub !== undefined ? peers[0]! : undefined)
      must = new Map([...conversations].map(([room, ends]) => [room, new Set([
        ...sends.filter(s => s.room === room && !refusable(s)).flatMap(s => confirmed.has(s.text) ? [confirmed.get(s.text)!] : []),
        ...ends.flatMap(p => p.pendingIds(room)),
        // What the one who left had written there, on its disk, when it left: it reaches the members all the same.
        ...(room === board && leave !== undefined ? leave.leaver.pendingIds(room) : [])
      ])]))
      // Not before every end announced every message it must have (free to check, from the events), or a
      // second after the last try: asking for every history costs the processes a busy second or more while
      // they still catch up. (The events are a hint only: what a kill -9 caught between its commit and its
      // announcement is in the history of that peer and was never announced.)
      const unheard = [...conversations].flatMap(([room, ends]) => ends.flatMap(p => {
        const known = new Set(p.knownIds(room))
        return [...must.get(room)!].filter(id => !known.has(id)).map(id => `${id.slice(0, 8)}@${p.name}`)
      }))
      if (unheard.length > 0 && Date.now() - asked < 1_000 && Date.now() <= end) { await sleep(50); continue }
      // Every peer's every conversation asked at once (each answer known by its ref): the snapshot is of one moment.
      asked = Date.now()
      histories = new Map(await Promise.all([...conversations].map(async ([room, ends]) => [room, await allHistories(ends, room)] as const)))
      verdict = mergeVerdicts([...conversations.keys()].map(room => [room, checkHistories(histories.get(room)!, must.get(room)!)]))
      const waiting = unconfirmedByLive(sends, confirmed, excused(removal, leave, board))
      if (verdict.lost.length === 0 && verdict.orderDiffs.length === 0 && verdict.stateDiffs.length === 0 && waiting.length === 0) { converged = true; break }
      // What convergence still waits for, each time that changes (a slow heal names its cause).
      const still = `unannounced ${unheard.length}${unheard.length > 0 ? ` (${unheard[0]!})` : ''}, lost ${verdict.lost.length}${verdict.lost.length > 0 ? ` (${verdict.lost[0]!.split('@')[1]!})` : ''}, order ${verdict.orderDiffs.length}, shown otherwise ${verdict.stateDiffs.length}, unconfirmed ${waiting.length}${waiting.length > 0 ? ` (${waiting[0]!})` : ''}`
      if (still !== lastStill) log(`  +${asked - healStart} ms: ${still}`)
      lastStill = still
      if (Date.now() > end) break
      await sleep(100)
    }
    // When the histories that agreed were asked for (or when it gave up).
    const convergenceMs = (converged ? asked : Date.now()) - healStart
    // Each process's `pins` of each conversation (the hub answers none: it only numbers), before anything more is written.
    const pinLists = converged ? await allPins(conversations, histories) : { lists: new Map<string, Map<string, PinnedEntry[]>>(), findings: ['not checked: the run did not converge'] }
    // What the one who left wrote there before it left and never saw numbered (its process went on, so it was taken).
    const leftUnseen = leave === undefined ? [] : sends.filter((s, i) => s.peer === leave!.leaver && s.room === board && i < leave!.sendsBefore && !confirmed.has(s.text) && s.peer.alive && s.peer.runs.length === s.run).map(s => s.text)
    const membership = converged ? await afterMembership(removal, leave, peers, board, histories.get(board)!, leftUnseen) : ['not checked: the run did not converge']
    const deliveries = all.map(p => duplicateDeliveries(p.name, p.deliveries()))
    const first = histories.get('lobby')?.get(peers[0]!.name) ?? []
    const directRooms = [...must].filter(([room]) => room !== 'lobby' && room !== board)
    return {
      seed: opts.seed,
      peers: opts.peers,
      architecture,
      faults,
      sent: sends.length,
      actions,
      pinned: {
        lobby: pinLists.lists.get('lobby')?.values().next().value?.length ?? 0,
        privateRoom: pinLists.lists.get(board)?.values().next().value?.length ?? 0,
        direct: directRooms.reduce((n, [room]) => n + (pinLists.lists.get(room)?.values().next().value?.length ?? 0), 0)
      },
      pinDiffs: pinLists.findings,
      confirmed: [...must.values()].reduce((n, ids) => n + ids.size, 0),
      lostByLiveProcess: unconfirmedByLive(sends, confirmed, excused(removal, leave, board)),
      refusedAsBlocked: sends.filter(refusedAsBlocked).length,
      pending: new Set(peers.flatMap(p => p.pendingIds())).size,
      directs: { messages: directRooms.reduce((n, [, ids]) => n + ids.size, 0), conversations: directRooms.length },
      privateRoom: must.get(board)?.size ?? 0,
      membership: {
        ...(removal !== undefined ? { removed: { name: removal.victim.name, atFault: removal.atFault } } : {}),
        ...(leave !== undefined ? { left: { name: leave.leaver.name, atFault: leave.atFault } } : {}),
        findings: membership
      },
      verdict,
      errors: errorCounts(all),
      refusedByHub: all.flatMap(p => p.runs.flat().flatMap(e => e.type === 'error' && e.code === 'SequenceError' ? [`${p.name}: ${String(e.message)}`] : [])),
      duplicateDeliveries: deliveries.flatMap(d => d.withinRun),
      reannouncedAfterRestart: deliveries.reduce((n, d) => n + d.acrossRuns.length, 0),
      converged,
      convergenceMs,
      historyLength: first.length,
      depsChecked: first.reduce((n, m) => n + m.deps.length, 0),
      durationMs: Date.now() - started
    }
  } finally {
    await Promise.all(all.map(async p => { await p.kill() }))
    rmSync(root, { recursive: true, force: true })
  }
}

/**
 * One edit, delete or reaction by a usable peer, on a lobby message it has: a delete of one of its
 * own confirmed ones one time in ten, an edit of one four in ten, else a reaction, on or off, on any.
 * Nothing on a message the run deleted (the engine refuses that, and says so).
 */
function act (rng: Rng, peers: ChaosPeer[], deleted: Set<string>, count: { edit: number, delete: number, react: number }): string | undefined {
  const ready = peers.filter(p => p.usable)
  if (ready.length === 0) return undefined
  const p = rng.pick(ready)
  const own = [...p.ownMessages().values()].flatMap(m => m.room === 'lobby' && !deleted.has(m.id) ? [m.id] : [])
  const r = rng.next()
  if (own.length > 0 && r < 0.1) {
    const id = rng.pick(own)
    deleted.add(id)
    p.command({ cmd: 'delete', room: 'lobby', id })
    count.delete++
    return `${p.name} deletes ${id.slice(0, 8)}`
  }
  if (own.length > 0 && r < 0.5) {
    const id = rng.pick(own)
    p.command({ cmd: 'edit', room: 'lobby', id, text: `edit ${count.edit} by ${p.name}` })
    count.edit++
    return `${p.name} edits ${id.slice(0, 8)}`
  }
  const known = p.knownIds('lobby').filter(id => !deleted.has(id))
  if (known.length === 0) return undefined
  const id = rng.pick(known)
  const emoji = rng.pick(['👍', '🎉', '👀'])
  const on = rng.next() < 0.7
  p.command({ cmd: 'react', room: 'lobby', id, emoji, on })
  count.react++
  return `${p.name} ${on ? 'reacts' : 'takes back'} ${emoji} on ${id.slice(0, 8)}`
}

/** The chance, after each fault's sends and actions, of one pin or unpin (a few percent of what the peers are asked). */
const PIN_CHANCE = 0.25

/**
 * One pin or unpin by a usable peer, of a message it has in the lobby or (a third of the time) in
 * another of `rooms` (the invite-only room while it is a member, a direct conversation it has had):
 * six times in ten, when there is
 * one, a message the run pinned or unpinned there before, turned the other way from what this
 * peer shows, so peers cut from each other pin and unpin the same messages; else a pin of any
 * (pinning what it shows pinned sends nothing). Nothing on a message the run deleted (refused).
 */
function pin (rng: Rng, peers: ChaosPeer[], deleted: Set<string>, asked: Map<string, Set<string>>, rooms: (p: ChaosPeer) => string[], count: { pin: number, unpin: number }): string | undefined {
  const ready = peers.filter(p => p.usable)
  if (ready.length === 0) return undefined
  const p = rng.pick(ready)
  const others = rooms(p).filter(r => r !== 'lobby')
  const room = others.length > 0 && rng.next() < 1 / 3 ? rng.pick(others) : 'lobby'
  const known = lines(p, room).filter(id => !deleted.has(id))
  if (known.length === 0) return undefined
  const touched = asked.get(room) ?? new Set<string>()
  asked.set(room, touched)
  const hot = known.filter(id => touched.has(id))
  const again = hot.length > 0 && rng.next() < 0.6
  const id = rng.pick(again ? hot : known)
  // Again: the other way from what it shows, so each is a change where it is asked (and a conflict where others were cut off).
  const on = again ? !shownPinned(p, id) : true
  touched.add(id)
  p.command({ cmd: 'pin', room, id, on })
  if (on) count.pin++
  else count.unpin++
  return `${p.name} ${on ? 'pins' : 'unpins'} ${id.slice(0, 8)}${room === 'lobby' ? '' : room.startsWith('pr:') ? ' in the invite-only room' : ' in a direct conversation'}`
}

/** Whether the peer's last word on a message (its `message` or a `message:updated`, over every run) showed it pinned. */
function shownPinned (p: ChaosPeer, id: string): boolean {
  const last = p.runs.flat().findLast(e => (e.type === 'message' || e.type === 'message:updated') && e.id === id)
  return last?.pinned !== undefined
}

/** Ids of the chat lines of `room` a peer announced, over every run: not the notes of an invite-only room (joins, removals). */
function lines (p: ChaosPeer, room: string): string[] {
  return [...new Set(p.runs.flatMap(evs => evs.flatMap(e => e.type === 'message' && e.room === room && e.note === undefined ? [String(e.id)] : [])))]
}

interface Send {
  peer: ChaosPeer
  text: string
  run: number
  room: string
  to?: ChaosPeer
  /** The sender blocked `to` when it sent: the send is refused (BlockedRecipientError), nothing is lost. */
  toBlocked?: boolean
}

function emptyVerdict (): Verdict {
  return { lost: [], duplicates: [], orderDiffs: [], causal: [], stateDiffs: [] }
}

/** One verdict of every conversation's, each finding of a direct one naming it. */
function mergeVerdicts (verdicts: Array<[string, Verdict]>): Verdict {
  const out = emptyVerdict()
  for (const [room, v] of verdicts) {
    const where = room === 'lobby' ? '' : ` in ${room.slice(0, 12)}`
    for (const k of Object.keys(out) as Array<keyof Verdict>) out[k].push(...v[k].map(f => `${f}${where}`))
  }
  return out
}

/** The sends whose process is still the run that took them, and never confirmed them (but those `excuse`d). */
function unconfirmedByLive (sends: readonly Send[], confirmed: ReadonlyMap<string, string>, excuse: (s: Send, i: number) => boolean): string[] {
  return sends.filter((s, i) => !confirmed.has(s.text) && s.peer.alive && s.peer.runs.length === s.run && !excuse(s, i))
    .map(s => `${s.text} ${s.to !== undefined ? `to ${s.to.name}` : s.room === 'lobby' ? 'in the lobby' : 'in the invite-only room'}`)
}

/**
 * Sends a peer may refuse: the removed member's and the one who left's to the room after that (the
 * one who left forgot the room; the removed one is told it is no member once it has heard). And
 * those the one who left never saw numbered: it forgot the room's keys, so its own messages there
 * no longer show to it; the members must have them all the same (`leftUnseen`, afterMembership).
 */
function excused (removal: Removal | undefined, leave: Leave | undefined, board: string): (s: Send, i: number) => boolean {
  return (s, i) => (s.room === board && ((removal !== undefined && s.peer === removal.victim && i >= removal.sendsBefore) ||
    (leave !== undefined && s.peer === leave.leaver))) || refusedAsBlocked(s)
}

/** A direct message its sender was told it could not send, to someone it blocked (a refusal anywhere else stays a finding). */
function refusedAsBlocked (s: Send): boolean {
  return s.toBlocked === true && (s.peer.runs[s.run - 1] ?? []).some(e => e.type === 'error' && e.ref === s.text && e.code === 'BlockedRecipientError')
}

interface Leave {
  leaver: ChaosPeer
  atFault: number
  /** How many sends came before it. */
  sendsBefore: number
}

interface Removal {
  victim: ChaosPeer
  atFault: number
  /** How many sends came before it. */
  sendsBefore: number
  /**
   * P2P: the highest number of the removed member's own chain among the messages the creator had
   * shown when it removed. The removal names at least that number (the creator has every message of
   * that chain below one it shows), so whatever the removed member wrote at or below it came before
   * the removal and must stay; above it, the members refuse, whatever its Lamport time.
   */
  below: number
  /** The members the creator listed after the removal (those it handed the new key). */
  members: string[]
}

/** The creator removes `victim` from the room (which also hands the others a new key, in direct messages). */
async function removeMember (creator: ChaosPeer, victim: ChaosPeer, board: string, atFault: number, sendsBefore: number): Promise<Removal> {
  const below = Math.max(0, ...creator.runs.flat().flatMap(e => e.type === 'message' && e.author === victim.peerId && e.authorSeq !== undefined ? [Number(e.authorSeq)] : []))
  const view = await creator.request({ cmd: 'remove', room: board, peerId: victim.peerId }, 'private-room')
  if ((view.members as string[]).includes(victim.peerId)) throw new Error(`chaos: ${victim.name} is still a member after its removal`)
  return { victim, atFault, sendsBefore, below, members: view.members as string[] }
}

/**
 * Whether the members may refuse a send: the removed member's to the room, unless it was confirmed
 * at or below the number of its chain the creator had shown when it removed (P2P), or numbered before
 * the removal by the hub (client–server, where `creator` is given: its note of the removal carries the
 * number, once the hub gave one).
 */
function refusedAfterRemoval (removal: Removal | undefined, board: string, creator?: ChaosPeer): (s: Send) => boolean {
  if (removal === undefined) return () => false
  const { victim } = removal
  const mine = victim.runs.flat().filter(e => e.type === 'message' && e.author === victim.peerId && e.room === board)
  if (creator !== undefined) {
    const numbered = creator.runs.flat().find(e => e.type === 'note' && e.room === board && (e.note as { t?: string, peer?: string } | undefined)?.peer === victim.peerId && e.seq !== undefined)
    const removalSeq = numbered === undefined ? -Infinity : Number(numbered.seq)
    const seqs = new Map(mine.flatMap(e => e.seq !== undefined ? [[String(e.text), Number(e.seq)] as const] : []))
    return s => s.peer === victim && s.room === board && !((seqs.get(s.text) ?? Infinity) < removalSeq)
  }
  const own = new Map(mine.flatMap(e => e.authorSeq !== undefined ? [[String(e.text), Number(e.authorSeq)] as const] : []))
  return s => s.peer === victim && s.room === board && !((own.get(s.text) ?? Infinity) <= removal.below)
}

/**
 * After the heal: every remaining member must come to hold the creator's newest key, made after the
 * removal and after the leave (a key per change at least). Then the creator writes in the room, and
 * each remaining member once it has read that (so it seals with the new key), each followed by a
 * lobby message; once the removed member shows every lobby one, it has had each room message before
 * it (each author's messages come in the order written) and must show none. The rest of what it
 * shows of the room must be what the members show, in their order, but for its own messages the
 * members refused.
 */
async function afterMembership (removal: Removal | undefined, leave: Leave | undefined, peers: ChaosPeer[], board: string, members: ReadonlyMap<string, HeldMessage[]>, leftUnseen: readonly string[]): Promise<string[]> {
  const creator = peers[0]!
  const stayed = peers.filter(p => p !== removal?.victim && p !== leave?.leaver)
  const findings: string[] = []
  for (const text of leftUnseen) {
    for (const [name, held] of members) if (!held.some(m => m.state?.startsWith(`[${JSON.stringify(text)},`) === true)) findings.push(`${name} does not show "${text}", written before its author left`)
  }
  const changes = (removal !== undefined ? 1 : 0) + (leave !== undefined ? 1 : 0)
  try {
    await waitFor('every member holding the creator\'s newest key', () => keysHeld(creator, board) > changes && stayed.every(p => newestKey(p, board) === newestKey(creator, board)), 20_000)
  } catch {
    findings.push(`after ${changes} changes of members the creator holds ${keysHeld(creator, board)} keys of the room; ` +
      stayed.filter(p => newestKey(p, board) !== newestKey(creator, board)).map(p => `${p.name} holds ${keysHeld(p, board)} without the newest`).join(', '))
  }
  if (leave !== undefined && keysHeld(leave.leaver, board) > 0) findings.push(`${leave.leaver.name} left the room and still holds its keys`)
  if (removal !== undefined && newestKey(removal.victim, board) === newestKey(creator, board)) findings.push(`${removal.victim.name} was removed and holds the room's newest key`)
  if (removal === undefined) return findings
  const { victim } = removal
  const posted: string[] = []
  const lobby: string[] = []
  for (const p of stayed) {
    const text = `after the removal, by ${p.name}`
    if (posted.length > 0) {
      try {
        await waitFor(`${p.name} reading the new key's messages`, () => posted.every(id => p.knownIds(board).includes(id)), 20_000)
      } catch {
        findings.push(`${p.name} never read ${peers[0]!.name}'s message written with the new key (it holds ${keysHeld(p, board)} of the room's keys, ${peers[0]!.name} ${keysHeld(peers[0]!, board)})`)
        continue
      }
    }
    p.command({ cmd: 'send', room: board, text })
    await waitFor(`${p.name}'s message after the removal`, () => p.ownMessages().has(text), 10_000)
    posted.push(p.ownMessages().get(text)!.id)
    p.command({ cmd: 'send', room: 'lobby', text: `${text}, in the lobby` })
    lobby.push(`${text}, in the lobby`)
  }
  try {
    await waitFor(`${victim.name} showing the lobby messages after the removal`, () => lobby.every(t => victim.runs.flat().some(e => e.type === 'message' && e.text === t)), 20_000)
  } catch {
    findings.push(`${victim.name} never showed the lobby messages written after the removal`)
  }
  const shown = (await allHistories([victim], board)).get(victim.name)!
  for (const id of posted) {
    if (victim.knownIds(board).includes(id) || shown.some(m => m.id === id)) findings.push(`${victim.name} shows ${id.slice(0, 8)}, written with the key made after its removal`)
  }
  const reference = members.values().next().value ?? []
  const theirs = new Set(reference.map(m => m.id))
  // Its own by the author its history names, not by its events: a send a kill -9 caught between its commit and its
  // announcement is in the history unannounced (written after the removal, the members refuse it, and it shows so).
  const own = new Set(shown.flatMap(m => m.author === victim.peerId ? [m.id] : []))
  for (const m of shown) {
    if (!theirs.has(m.id) && !own.has(m.id) && !posted.includes(m.id)) findings.push(`${victim.name} shows ${m.id.slice(0, 8)} by ${peers.find(p => p.peerId === m.author)?.name ?? m.author ?? 'no one'}, which no member shows`)
    // Its own that the members refused must say so on its side, and only those.
    if (own.has(m.id) && theirs.has(m.id) === (m.refused === true)) findings.push(`${victim.name} shows its ${m.id.slice(0, 8)} as ${m.refused === true ? 'refused, which the members show' : 'sent, which no member shows'}`)
  }
  const mine = new Set(shown.map(m => m.id))
  const a = shown.map(m => m.id).filter(id => theirs.has(id))
  const b = reference.map(m => m.id).filter(id => mine.has(id))
  if (a.join() !== b.join()) findings.push(`${victim.name} shows the room's messages in another order than its members`)
  findings.push(...await invitedBack(creator, victim, stayed, board, posted))
  return findings
}

/**
 * Last, the creator invites the removed member back: it joins with the code it is sent, every member
 * lists it again and shows what it writes, and it still shows none of what was written while it was out
 * (`posted`: sealed with the key made after its removal, which its invite back does not carry).
 */
async function invitedBack (creator: ChaosPeer, victim: ChaosPeer, stayed: ChaosPeer[], board: string, posted: readonly string[]): Promise<string[]> {
  const findings: string[] = []
  let code: string
  try {
    code = String((await creator.request({ cmd: 'invite', room: board, to: victim.peerId }, 'invite')).code)
    await victim.request({ cmd: 'accept', code }, 'private-room')
  } catch (err) {
    return [`${victim.name} could not be invited back: ${(err as Error).message}`]
  }
  const listed = (p: ChaosPeer): boolean => {
    const seen = p.runs.at(-1)!.filter(e => e.type === 'private-room' && e.room === board).at(-1)
    return Array.isArray(seen?.members) && (seen.members as string[]).includes(victim.peerId)
  }
  try {
    await waitFor(`every member listing ${victim.name} again`, () => stayed.every(listed), 20_000)
  } catch {
    findings.push(`${stayed.filter(p => !listed(p)).map(p => p.name).join(', ')} never listed ${victim.name} again after its invite back`)
  }
  const text = `back in the room, ${victim.name}`
  victim.command({ cmd: 'send', room: board, text })
  try {
    await waitFor(`${victim.name}'s message after its return`, () => victim.ownMessages().has(text), 10_000)
    const id = victim.ownMessages().get(text)!.id
    await waitFor(`every member showing ${victim.name}'s message after its return`, () => stayed.every(p => p.knownIds(board).includes(id)), 20_000)
  } catch {
    findings.push(`${stayed.filter(p => !p.knownIds(board).some(id => victim.ownMessages().get(text)?.id === id)).map(p => p.name).join(', ')} never showed what ${victim.name} wrote after its invite back`)
  }
  const shown = (await allHistories([victim], board)).get(victim.name)!
  for (const id of posted) if (shown.some(m => m.id === id)) findings.push(`${victim.name}, invited back, shows ${id.slice(0, 8)}, written while it was out`)
  return findings
}

/** A connected sparse mesh: a random spanning tree, then one or two more edges per peer (2–3 each on average). */
function sparseMesh (rng: Rng, n: number): Array<[number, number]> {
  const order = rng.sample([...Array(n).keys()], n)
  const edges: Array<[number, number]> = []
  const has = (a: number, b: number): boolean => edges.some(([x, y]) => (x === a && y === b) || (x === b && y === a))
  for (let i = 1; i < n; i++) edges.push([order[i]!, order[rng.int(i)]!])
  for (let a = 0; a < n; a++) {
    for (let k = rng.int(2); k >= 0 && n > 3; k--) {
      const b = rng.int(n)
      if (b !== a && !has(a, b) && edges.length < n * 3 / 2) edges.push([a, b])
    }
  }
  return edges
}

function chooseFault (rng: Rng, all: ChaosPeer[]): FaultKind {
  const dead = all.filter(p => !p.alive).length
  const total = FAULTS.reduce((s, k) => s + WEIGHTS[k], 0)
  let r = rng.int(total)
  let kind: FaultKind = 'pause'
  for (const k of FAULTS) {
    if (r < WEIGHTS[k]) { kind = k; break }
    r -= WEIGHTS[k]
  }
  // At most all but two down at once, so there is someone to talk to (in client-server: the hub may be one of them).
  if (kind === 'kill' && dead >= all.length - 2) return 'restart'
  if (kind === 'restart' && dead === 0) return 'kill'
  return kind
}

/**
 * `a` blocks or unblocks `b`, and the fault waits for its answer: a command still in a process's
 * stdin when a kill -9 follows is never taken, and the harness would then believe in a block that
 * is not there (or miss one that is), and count what that refuses against the app.
 */
async function settle (a: ChaosPeer, cmd: 'block' | 'unblock', b: ChaosPeer): Promise<void> {
  await a.request({ cmd, peerId: b.peerId }, 'done')
}

async function applyFault (kind: FaultKind, rng: Rng, peers: ChaosPeer[], blocks: Set<string>): Promise<string | undefined> {
  const usable = peers.filter(p => p.usable)
  const hub = peers.find(p => p.role === 'hub')
  switch (kind) {
    case 'kill': {
      const p = rng.pick(peers.filter(q => q.alive))
      await p.kill()
      return `kill -9 ${p.name}`
    }
    case 'restart': {
      const p = rng.pick(peers.filter(q => !q.alive))
      await p.start()
      return `restart ${p.name}`
    }
    case 'partition': {
      if (usable.length < 2 || hub !== undefined) return undefined
      const [a, b] = rng.sample(usable, 2) as [ChaosPeer, ChaosPeer]
      await settle(a, 'block', b)
      blocks.add(`${a.name}>${b.name}`)
      return `${a.name} blocks ${b.name}`
    }
    case 'split': {
      if (hub !== undefined) return undefined
      const side = rng.sample(peers, rng.between(1, Math.floor(peers.length / 2)))
      for (const a of peers.filter(p => p.usable)) {
        for (const b of peers) {
          if (side.includes(a) === side.includes(b)) continue
          await settle(a, 'block', b)
          blocks.add(`${a.name}>${b.name}`)
        }
      }
      return `split {${side.map(p => p.name).join(',')}} from the rest`
    }
    case 'unblock': {
      const open = [...blocks].filter(k => peers.find(p => p.name === k.split('>')[0])!.usable)
      if (open.length === 0) return undefined
      const [an, bn] = rng.pick(open).split('>') as [string, string]
      const a = peers.find(p => p.name === an)!
      const b = peers.find(p => p.name === bn)!
      await settle(a, 'unblock', b)
      blocks.delete(`${an}>${bn}`)
      return `${an} unblocks ${bn}`
    }
    case 'pause': {
      if (usable.length === 0) return undefined
      const p = rng.pick(usable)
      const ms = rng.between(200, 3000)
      p.pause(ms)
      return `SIGSTOP ${p.name} for ${ms} ms`
    }
    default: {
      const never: never = kind
      throw new Error(`unknown fault ${String(never)}`)
    }
  }
}

/** Each peer's history of `room`; an invite-only room's with its notes (joins, leaves, the removal), which every member must show alike. */
async function allHistories (peers: ChaosPeer[], room: string): Promise<Map<string, HeldMessage[]>> {
  const notes = room.startsWith('pr:') ? { notes: true } : {}
  const answers = await Promise.all(peers.map(async p => await p.request({ cmd: 'history', room, ...notes }, 'history')))
  const out = new Map<string, HeldMessage[]>()
  for (const [i, p] of peers.entries()) {
    const h = answers[i]!
    out.set(p.name, (h.messages as Array<{ id: string, author: string, deps?: string[], text?: string, edited?: boolean, deleted?: boolean, refused?: boolean, reactions?: Array<{ emoji: string, by: string[] }>, pinned?: { by: string, at: number, lamport: number }, note?: unknown }>).map(m => ({
      id: m.id,
      author: m.author,
      deps: m.deps ?? [],
      ...(m.refused === true ? { refused: true } : {}),
      ...(m.pinned !== undefined ? { pinnedBy: m.pinned.by } : {}),
      // What a person sees of the message: its words, whether it was edited or deleted, who reacted with what, who pinned it (by which pin).
      state: JSON.stringify([m.text ?? '', m.edited === true, m.deleted === true, (m.reactions ?? []).map(r => [r.emoji, [...r.by].sort()]).sort(), m.pinned === undefined ? null : [m.pinned.by, m.pinned.at, m.pinned.lamport], ...(m.note !== undefined ? [m.note] : [])])
    })))
  }
  return out
}

/**
 * Every peer's `pins` of every conversation, asked at once (the hub, which answers no `pins`, left
 * out), and what checkPins finds in them. A difference is asked again a few times, a second apart:
 * an action still on its way when the histories were asked would change them all alike.
 */
async function allPins (conversations: ReadonlyMap<string, ChaosPeer[]>, histories: ReadonlyMap<string, ReadonlyMap<string, HeldMessage[]>>): Promise<{ lists: Map<string, Map<string, PinnedEntry[]>>, findings: string[] }> {
  for (let tries = 0; ; tries++) {
    const lists = new Map(await Promise.all([...conversations].map(async ([room, ends]) => {
      const asking = ends.filter(p => p.role !== 'hub')
      const answers = await Promise.all(asking.map(async p => await p.request({ cmd: 'pins', room }, 'pins')))
      return [room, new Map(asking.map((p, i) => [p.name, (answers[i]!.messages as Array<{ id: string, pinned?: PinnedEntry }>).map(m => ({
        id: m.id, by: m.pinned?.by ?? '', at: m.pinned?.at ?? 0, lamport: m.pinned?.lamport ?? 0
      }))]))] as const
    })))
    const findings = [...lists].flatMap(([room, byPeer]) => checkPins(byPeer, histories.get(room) ?? new Map(), MAX_PINNED).map(f => room === 'lobby' ? f : `${f} in ${room.slice(0, 12)}`))
    if (findings.length === 0 || tries >= 4) return { lists, findings }
    await sleep(1_000)
  }
}

function errorCounts (all: ChaosPeer[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const e of all.flatMap(p => p.runs.flat())) if (e.type === 'error') out[String(e.code)] = (out[String(e.code)] ?? 0) + 1
  return out
}

/** The keys of `room` a peer's data directory keeps, oldest first. */
function keysOf (p: ChaosPeer, room: string): string[] {
  try {
    return (JSON.parse(readFileSync(join(p.dataDir, 'private-rooms.json'), 'utf8')) as Record<string, { keys: string[] } | undefined>)[room]?.keys ?? []
  } catch { return [] }
}
const keysHeld = (p: ChaosPeer, room: string): number => keysOf(p, room).length
const newestKey = (p: ChaosPeer, room: string): string | undefined => keysOf(p, room).at(-1)

async function waitFor (what: string, check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`chaos: timed out waiting for ${what}`)
    await sleep(50)
  }
}
