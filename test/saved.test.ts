/**
 * Saved for later over real engines on loopback, real SQLite: a person saves messages of a public
 * room, a DM and an invite-only room for themselves; nothing of it reaches anyone, the list opens
 * the sealed ones as history does (and keeps no words of them on disk), survives a restart, shows
 * a message its author deleted since as deleted, and lists at most MAX_SAVED, those this mode
 * cannot list never counting.
 */
import { DatabaseSync } from 'node:sqlite'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../main/chat/engine.js'
import { MAX_SAVED, MAX_SAVED_KEPT } from '../main/core/limits.js'
import { DB_FILE } from '../main/store/db.js'
import { capture, filesOf, holds } from './helpers/plaintext.js'
import { cleanup, connect, lineUp, startPeer, stopPeer, tempDir, until } from './helpers/peers.js'
import { cleanupHubs, startClient, startHub, stopClient, stopHub } from './helpers/hub.js'
import { IDENTITY_FILE } from '../main/store/identity.js'
import { Terminal } from '../main/app/terminal.js'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { answerOf } from '../main/app/lines.js'
import type { OperationName } from '../preload/contract.js'

afterEach(async () => {
  await cleanupHubs()
  await cleanup()
})

const savedIds = (e: Engine): string[] => e.saved().map(m => m.id)
const pause = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('saved for later', () => {
  it('saves in a room, a DM and an invite-only room for oneself alone, newest first, sealed ones opened and never kept in words; kept after a restart; a deleted one shows deleted', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    await lineUp(a, b, c)
    const lobby = await b.engine.send('lobby', 'the homework link: example.org/hw')
    const dm = await c.engine.send('', 'the gate code is 8812', { to: a.engine.peerId })
    const { room } = await c.engine.createPrivateRoom('Board')
    await a.engine.joinInvite(c.engine.invite(room))
    await until('cat sees ann join', () => c.engine.privateRoom(room).members.length === 2)
    const board = await c.engine.send(room, 'the board meets on Tuesday')
    await until('ann has all three', () => a.engine.history('lobby').some(m => m.id === lobby.id) && a.engine.history(dm.room).some(m => m.id === dm.id) && a.engine.history(room).some(m => m.id === board.id))

    // What the others receive from now on, and what ann's own history holds.
    const wires = [capture(b), capture(c)]
    const updatesBefore = [b, c].map(p => p.events.filter(e => e.type === 'message:updated').length)
    const rows = a.engine.ordering!.history('lobby').length + a.engine.ordering!.history(dm.room).length + a.engine.ordering!.history(room).length

    const first = a.engine.save(lobby.id)!
    expect(first).toMatchObject({ id: lobby.id, text: 'the homework link: example.org/hw' })
    expect(first.savedAt).toBeGreaterThan(0)
    await pause(5)
    a.engine.save(dm.id)
    await pause(5)
    expect(a.engine.save(board.id, true)).toMatchObject({ text: 'the board meets on Tuesday', room })
    // Saving it again keeps its time (and its place in the list).
    expect(a.engine.save(lobby.id)!.savedAt).toBe(first.savedAt)

    const list = a.engine.saved()
    expect(list.map(m => m.id)).toEqual([board.id, dm.id, lobby.id])
    // The same by id and when alone, for a count or a row's mark: none of the words.
    expect(a.engine.savedIds()).toEqual(list.map(m => ({ id: m.id, savedAt: m.savedAt })))
    expect(JSON.stringify(a.engine.savedIds())).not.toContain('the gate code')
    expect(list.map(m => m.text)).toEqual(['the board meets on Tuesday', 'the gate code is 8812', 'the homework link: example.org/hw'])
    expect(list.every(m => typeof m.savedAt === 'number')).toBe(true)
    expect(list[1]).toMatchObject({ room: dm.room, author: c.engine.peerId, private: true })

    // Nothing was written into any conversation, nothing went to anyone, nobody else's list has it.
    await pause(1500)
    expect(a.engine.ordering!.history('lobby').length + a.engine.ordering!.history(dm.room).length + a.engine.ordering!.history(room).length).toBe(rows)
    expect([b, c].map(p => p.events.filter(e => e.type === 'message:updated').length)).toEqual(updatesBefore)
    for (const p of [b, c]) expect(p.engine.saved()).toEqual([])
    for (const w of wires) for (const id of [lobby.id, dm.id, board.id]) expect(w.some(f => holds(f, id)), 'an id of a saved message on the wire').toBe(false)
    // The sealed words are opened from the history when listed: no copy of them rests on disk.
    expect(holds(filesOf(a.dataDir), 'the gate code is 8812')).toBe(false)
    expect(holds(filesOf(a.dataDir), 'the board meets on Tuesday')).toBe(false)

    // After a restart the list is read back from the data directory.
    const dir = a.dataDir
    await stopPeer(a)
    const again = await startPeer('ann', { dataDir: dir })
    expect(savedIds(again.engine)).toEqual([board.id, dm.id, lobby.id])
    expect(again.engine.saved()[1]!.text).toBe('the gate code is 8812')

    // Cat deletes the DM for everyone: ann's list keeps it, deleted, with no words; taking it off works.
    await lineUp(again, b, c)
    await c.engine.delete(dm.room, dm.id)
    await until('ann\'s list shows it deleted', () => again.engine.saved().find(m => m.id === dm.id)?.deleted === true, 15_000)
    expect(again.engine.saved().find(m => m.id === dm.id)?.text).toBe('')
    again.engine.save(dm.id, false)
    expect(savedIds(again.engine)).toEqual([board.id, lobby.id])
    // Nor is a deleted message saved anew.
    await expect(async () => again.engine.save(dm.id)).rejects.toThrow(expect.objectContaining({ name: 'MessageDeletedError' }))
    // Unsaving what is not saved is refused by name (nothing to take off); so is an id nobody wrote.
    await expect(async () => again.engine.save(dm.id, false)).rejects.toThrow(expect.objectContaining({ name: 'NotSavedError' }))
    expect(savedIds(again.engine)).toEqual([board.id, lobby.id])
    await expect(async () => again.engine.save('0'.repeat(64))).rejects.toThrow(expect.objectContaining({ name: 'UnknownMessageError' }))
    await expect(async () => again.engine.save('0'.repeat(64), false)).rejects.toThrow(expect.objectContaining({ name: 'UnknownMessageError' }))
  }, 90_000)

  it(`lists at most ${MAX_SAVED.toLocaleString('en-US')}: the next is refused by name until one is taken off`, async () => {
    const a = await startPeer('ann')
    const sent: string[] = []
    for (let i = 0; i < MAX_SAVED; i++) sent.push((await a.engine.send('lobby', `note ${i}`)).id)
    const m = await a.engine.send('lobby', 'one more')
    for (const id of sent) a.engine.save(id)
    expect(a.engine.saved().length).toBe(MAX_SAVED)
    await expect(async () => a.engine.save(m.id)).rejects.toThrow(expect.objectContaining({ name: 'SavedLimitError' }))
    // The limit said as people read a number, from the constant.
    await expect(async () => a.engine.save(m.id)).rejects.toThrow(`You have ${MAX_SAVED.toLocaleString('en-US')} saved messages`)
    expect(a.engine.savedIds().length).toBe(MAX_SAVED)
    a.engine.save(sent[0]!, false)
    expect(a.engine.save(m.id)!.savedAt).toBeGreaterThan(0)
    expect(a.engine.saved().length).toBe(MAX_SAVED)
  }, 120_000)

  it(`saved messages this mode cannot list never stand in the way: ${MAX_SAVED.toLocaleString('en-US')} of them, and one is still saved here; past ${MAX_SAVED_KEPT.toLocaleString('en-US')} kept, the oldest of them goes`, async () => {
    const a = await startPeer('ann')
    const first = await a.engine.send('lobby', 'saved with the list full of the other mode\'s')
    const second = await a.engine.send('lobby', 'saved with all the room taken')
    // As the other mode's history (or an invite-only room left, or a message the hub refused) leaves them:
    // kept, listed nowhere here, so nothing here can take them off.
    const hide = (from: number, to: number): void => {
      const db = new DatabaseSync(join(a.dataDir, DB_FILE))
      try {
        db.exec('PRAGMA busy_timeout = 5000')
        const put = db.prepare('INSERT INTO saved (id, at) VALUES (?, ?)')
        db.exec('BEGIN')
        for (let i = from; i < to; i++) put.run(i.toString(16).padStart(64, '0'), i)
        db.exec('COMMIT')
      } finally { db.close() }
    }
    const kept = (): number => {
      const db = new DatabaseSync(join(a.dataDir, DB_FILE), { readOnly: true })
      try { return (db.prepare('SELECT count(*) AS n FROM saved').get() as { n: number }).n } finally { db.close() }
    }
    hide(1, MAX_SAVED + 1)
    expect(a.engine.saved()).toEqual([])
    expect(a.engine.save(first.id)!.savedAt).toBeGreaterThan(0)
    expect(savedIds(a.engine)).toEqual([first.id])
    // All the room taken: the oldest saved of the unlisted ones makes way, the listed one stays.
    hide(MAX_SAVED + 1, MAX_SAVED_KEPT)
    expect(kept()).toBe(MAX_SAVED_KEPT)
    a.engine.save(second.id)
    expect(savedIds(a.engine)).toEqual([second.id, first.id])
    expect(kept()).toBe(MAX_SAVED_KEPT)
    const db = new DatabaseSync(join(a.dataDir, DB_FILE), { readOnly: true })
    try {
      expect(db.prepare('SELECT 1 FROM saved WHERE id = ?').get((1).toString(16).padStart(64, '0'))).toBeUndefined()
      expect(db.prepare('SELECT 1 FROM saved WHERE id = ?').get((2).toString(16).padStart(64, '0'))).toBeDefined()
    } finally { db.close() }
  }, 60_000)

  it('one list for both modes: what one mode\'s history has is listed there, the rest kept for the mode that has it', async () => {
    // Peer to peer, ann saves ben's message.
    const ann = await startPeer('ann')
    const ben = await startPeer('ben')
    await connect(ann, ben)
    const mesh = await ben.engine.send('lobby', 'said on the mesh')
    const dropped = await ben.engine.send('lobby', 'saved on the mesh, taken off as a client')
    await until('ann has them', () => ann.engine.history('lobby').some(m => m.id === mesh.id) && ann.engine.history('lobby').some(m => m.id === dropped.id))
    ann.engine.save(mesh.id)
    ann.engine.save(dropped.id)
    const dir = ann.dataDir
    await stopPeer(ann)

    // The same data directory as a hub's client: the hub's history lacks it, so it is not listed (nor taken off here), only kept.
    const h = await startHub()
    const xena = await startClient('xena', h.addr())
    let client = await startClient('ann', h.addr(), { dataDir: dir })
    await until('both connected', () => xena.engine.connected && client.engine.connected)
    expect(client.engine.saved()).toEqual([])
    expect(client.engine.savedIds()).toEqual([])
    // Taking one off works all the same (it is in the saved table); there is no view of it here to answer.
    expect(client.engine.save(dropped.id, false)).toBeNull()
    // An id neither kept nor known is still refused by name.
    await expect(async () => client.engine.save('0'.repeat(64), false)).rejects.toThrow(expect.objectContaining({ name: 'UnknownMessageError' }))
    const hubbed = await xena.engine.send('lobby', 'said through the hub')
    await until('ann has it', () => client.engine.history('lobby').some(m => m.id === hubbed.id))
    client.engine.save(hubbed.id)
    expect(client.engine.saved().map(m => m.text)).toEqual(['said through the hub'])
    await stopClient(client)
    client = await startClient('ann', h.addr(), { dataDir: dir })
    expect(client.engine.saved().map(m => m.text)).toEqual(['said through the hub'])
    await stopClient(client)

    // Back to peer to peer: the mesh's message is listed again, the hub's kept.
    const back = await startPeer('ann', { dataDir: dir })
    expect(back.engine.saved().map(m => m.text)).toEqual(['said on the mesh'])
  }, 60_000)

  it('a pending message the hub refuses is told with its id, so a host can take it from its saved list; its words are kept, with why, until sent again or discarded', async () => {
    const first = await startHub()
    const addr = first.addr()
    const listen = [`/ip4/127.0.0.1/tcp/${/\/tcp\/(\d+)/.exec(addr)![1]!}`]
    const ben = await startClient('ben', first.addr())
    const ann = await startClient('ann', first.addr())
    await until('both linked', () => ben.engine.connected && ann.engine.connected)
    const question = await ben.engine.send('lobby', 'who has the key?')
    const asked = await ben.engine.send('lobby', 'the plan?', { to: ann.engine.peerId })
    await until('ann has them', () => ann.engine.history('lobby').some(m => m.id === question.id) && ann.engine.history(asked.room).some(m => m.id === asked.id))
    await stopHub(first)
    await until('ann sees the hub gone', () => !ann.engine.connected)
    // A reply, pending while the hub is away, saved.
    const reply = await ann.engine.send('lobby', 'I have it', { replyTo: question.id })
    const secret = await ann.engine.send(asked.room, 'meet at the north gate', { to: ben.engine.peerId, replyTo: asked.id })
    expect(ann.engine.save(reply.id)!.savedAt).toBeGreaterThan(0)
    expect(ann.engine.savedIds().map(s => s.id)).toEqual([reply.id])
    // The hub comes back with its key but not its history (restored without it): it lacks what the reply answers, and refuses it.
    const dir = tempDir('lanchat-hub-')
    copyFileSync(join(first.dataDir, IDENTITY_FILE), join(dir, IDENTITY_FILE))
    await startHub({ listen, dataDir: dir })
    await ann.engine.dial(addr)
    await until('refused', () => ann.events.filter(e => e.type === 'error' && e.code === 'SequenceError').length === 2, 20_000)
    expect(ann.events.find(e => e.type === 'error' && e.code === 'SequenceError')).toMatchObject({ id: reply.id })
    expect(ann.engine.savedIds()).toEqual([])
    // Nothing of it in the history, but its words and why are kept, through a restart, for the window's Not sent row.
    expect(ann.engine.history('lobby').some(m => m.id === reply.id)).toBe(false)
    const kept = { id: reply.id, room: 'lobby', text: 'I have it', replyTo: question.id, sentAt: reply.sentAt, unsent: expect.stringMatching(/^the hub refused your message "I have it": /) }
    // The direct one opened as its history is, its words never on disk in the clear (nor in the reason).
    const keptDm = { id: secret.id, room: asked.room, text: 'meet at the north gate', replyTo: asked.id, unsent: expect.stringMatching(/^the hub refused your private message [0-9a-f]{12}: /) }
    expect(ann.engine.unsent()).toEqual([expect.objectContaining(kept), expect.objectContaining(keptDm)])
    await stopClient(ann)
    expect(holds(filesOf(ann.dataDir), 'north gate')).toBe(false)
    const back = await startClient('ann', addr, { dataDir: ann.dataDir })
    expect(back.engine.unsent()).toEqual([expect.objectContaining(kept), expect.objectContaining(keptDm)])
    // At the terminal: its start says they are kept, /unsent lists them with why, and /unsent drop ID forgets one, through the dispatch every host uses.
    const banner = (c: typeof back): string | undefined => new Terminal(() => c.engine.peerId, () => 'ann', { unsent: () => c.engine.unsent().length }).format(c.events.find(e => e.type === 'ready')!)
    expect(banner(back)).toMatch(/\/help lists the commands\n2 messages a server refused are kept: \/unsent lists them$/)
    const term = new Terminal(() => back.engine.peerId)
    const dispatch = dispatchOver(headlessOperations(back.engine))
    const typed = async (line: string): Promise<string | undefined> => {
      const t = term.command(line)
      if ('say' in t) return t.say
      const result = await dispatch(t.run.operation as OperationName, t.run.payload as never)
      const answer = answerOf(t.run, result)
      return result.ok ? term.confirm(t.run, 'ann', result.value) ?? (answer !== undefined ? term.format(answer) : undefined) : result.error.message
    }
    const listed = await typed('/unsent')
    expect(listed).toMatch(new RegExp(`^\\* not sent \\[${reply.id.slice(0, 8)}\\] #lobby: I have it\n  \\(the hub refused your message "I have it": .+; /unsent drop ${reply.id.slice(0, 8)} forgets it\\)\n\\* not sent \\[${secret.id.slice(0, 8)}\\] .+: meet at the north gate\n`))
    expect(await typed(`/unsent drop ${reply.id.slice(0, 8)}`)).toBe(`* [${reply.id.slice(0, 8)}] is no longer kept`)
    expect(back.engine.unsent().map(m => m.id)).toEqual([secret.id])
    // Sent again or discarded: no longer kept, then or after another restart.
    expect(back.engine.dropUnsent(reply.id)).toBe(false)
    expect(back.engine.dropUnsent(secret.id)).toBe(true)
    await stopClient(back)
    const none = await startClient('ann', addr, { dataDir: ann.dataDir })
    expect(none.engine.unsent()).toEqual([])
    expect(banner(none)).toMatch(/\/help lists the commands$/)
  }, 60_000)
})
