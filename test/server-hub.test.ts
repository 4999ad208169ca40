import { cpSync, rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../main/core/message.js'
import type { MessageView } from '../main/chat/types.js'
import { hubLine } from '../main/app/hub-cli.js'
import type { HubFrame } from '../main/net/hub-codec.js'
import { cleanupHubs, startClient, startHub, stopClient, stopHub } from './helpers/hub.js'
import { rawHubClient, stopRawHubClients } from './helpers/raw-hub-client.js'
import { cleanup, connect, startPeer, stopPeer, tempDir, until } from './helpers/peers.js'

afterEach(async () => {
  await stopRawHubClients()
  await cleanupHubs()
  await cleanup()
})

const delivered = (frames: HubFrame[]): Array<{ seq: number, text: string }> =>
  frames.flatMap(f => f.type === 'deliver' ? f.items.map(i => ({ seq: i.seq, text: i.message.text })) : [])

describe('the hub', () => {
  it('numbers a resent message once: a resend after an outage is idempotent', async () => {
    const { addr, hub } = await startHub()
    const raw = await rawHubClient(addr())
    const m = await raw.make('once', 1)
    raw.link.send({ type: 'submit', messages: [m] })
    await until('numbered', () => delivered(raw.frames).length === 1)
    raw.link.send({ type: 'submit', messages: [m] })
    // The resend is answered with the message's old number, not refused and not renumbered.
    await until('resend acknowledged', () => delivered(raw.frames).length === 2)
    expect(delivered(raw.frames)).toEqual([{ seq: 1, text: 'once' }, { seq: 1, text: 'once' }])
    expect(raw.frames.some(f => f.type === 'rejected')).toBe(false)
    const next = await raw.make('twice?', 2, m.id)
    raw.link.send({ type: 'submit', messages: [next] })
    await until('second message numbered', () => hub.lastSeq === 2)
    expect(hub.history('lobby').map(v => [v.seq, v.text])).toEqual([[1, 'once'], [2, 'twice?']])
  })

  it('refuses a replayed sequence number (equivocation) and tells the author why', async () => {
    const { addr, hub } = await startHub()
    const raw = await rawHubClient(addr())
    raw.link.send({ type: 'submit', messages: [await raw.make('first', 1)] })
    await until('numbered', () => hub.lastSeq === 1)
    const other = await raw.make('another first', 1)
    raw.link.send({ type: 'submit', messages: [other] })
    await until('rejected', () => raw.frames.some(f => f.type === 'rejected'))
    expect(raw.frames.find(f => f.type === 'rejected')).toMatchObject({ id: other.id })
    expect(hub.lastSeq).toBe(1)
  })

  it('drops a client that sends junk bytes, a forged signature or someone else\'s message, and serves the others on', async () => {
    const { addr, hub } = await startHub()
    const good = await startClient('good', addr())
    await until('good joined', () => good.engine.connected)

    const junk = await rawHubClient(addr())
    junk.link.stream.send(new Uint8Array([5, 1, 2, 3, 4, 5]))
    await until('junk sender dropped', () => junk.closed())

    const forger = await rawHubClient(addr())
    const m = await forger.make('forged', 1)
    forger.link.send({ type: 'submit', messages: [{ ...m, sig: new Uint8Array(64).fill(7) }] })
    await until('forger dropped', () => forger.closed())

    const thief = await rawHubClient(addr())
    await good.engine.send('lobby', 'mine')
    await until('good has its own', () => good.delivered().length === 1)
    const stolen = hub.history('lobby')[0]!
    expect(stolen.author).toBe(good.engine.peerId)
    const replay = await forger.make('x', 1)
    thief.link.send({ type: 'submit', messages: [{ ...replay, author: good.engine.peerId }] })
    await until('thief dropped', () => thief.closed())

    await good.engine.send('lobby', 'still served')
    await until('good served', () => good.delivered().some(e => e.text === 'still served'))
    expect(hub.history('lobby').map(v => v.text)).toEqual(['mine', 'still served'])
    expect(hub.stats().droppedClients).toBe(3)
  })

  it('cuts off a client that does not read once what waits for it passes 32 MiB, rather than hold it without end', async () => {
    const { addr, hub } = await startHub()
    const good = await startClient('good', addr())
    await until('good joined', () => good.engine.connected)
    const deaf = await rawHubClient(addr(), { read: false })
    const big = await deaf.make('x'.repeat(60 * 1024), 1)
    deaf.link.send({ type: 'submit', messages: [big] })
    await until('numbered', () => hub.lastSeq === 1)
    // Each resend is answered with the message again (a resend costs no rate token): 900 KiB a frame, never read.
    for (let i = 0; i < 60 && !deaf.closed(); i++) {
      deaf.link.send({ type: 'submit', messages: Array.from({ length: 15 }, () => big) })
      await deaf.link.drain()
      await new Promise(resolve => setTimeout(resolve, 10))
    }
    await until('the deaf client cut off', () => deaf.closed(), 20_000)
    await good.engine.send('lobby', 'still served')
    await until('good served', () => good.delivered().some(e => e.text === 'still served'))
  }, 60_000)

  it('passes on a flood of presence changes and renames as a few, the newest kept, not each one to every client', async () => {
    const { addr } = await startHub()
    const flooder = await rawHubClient(addr())
    const watcher = await rawHubClient(addr())
    const about = (): Array<Extract<HubFrame, { type: 'presence' }>> => watcher.frames.filter((f): f is Extract<HubFrame, { type: 'presence' }> => f.type === 'presence' && f.peer === flooder.author)
    await until('the watcher knows the flooder', () => about().length === 1)
    for (let i = 0; i <= 1000; i++) {
      if (i % 100 === 0) flooder.link.send({ type: 'hello', name: `raw ${i}`, version: 1, seq: 0 })
      flooder.link.send({ type: 'presence', state: i % 2 === 0 ? 'away' : 'online', status: `busy ${i}` })
    }
    await until('the newest told', () => about().at(-1)?.status === 'busy 1000' && about().at(-1)?.name === 'raw 1000')
    await new Promise(resolve => setTimeout(resolve, 600))
    expect(about().at(-1)).toMatchObject({ state: 'away', status: 'busy 1000', name: 'raw 1000' })
    expect(about().length).toBeLessThan(10)
  })

  it('throttles a flooding client without holding up the others', async () => {
    const { addr, hub } = await startHub({ ratePerSecond: 100, rateBurst: 10 })
    const raw = await rawHubClient(addr())
    const quiet = await startClient('quiet', addr())
    await until('quiet joined', () => quiet.engine.connected)
    const flood: ChatMessage[] = []
    let prev = ''
    for (let i = 1; i <= 200; i++) { const m = await raw.make(`flood ${i}`, i, prev); flood.push(m); prev = m.id }
    for (let i = 0; i < flood.length; i += 10) raw.link.send({ type: 'submit', messages: flood.slice(i, i + 10) })
    await until('flood under way', () => hub.lastSeq >= 10)
    await quiet.engine.send('lobby', 'me too')
    await until('quiet delivered', () => quiet.delivered().some(e => e.text === 'me too'))
    const mine = quiet.delivered().find(e => e.text === 'me too')!
    // The flooder is paused by its token bucket, so the quiet client got in before the flood ended.
    expect(mine.seq).toBeLessThan(200)
    await until('flood done', () => hub.lastSeq === 201, 15_000)
  })

  it('does not refill a client\'s rate budget when it hangs up and comes back', async () => {
    const { addr, hub } = await startHub({ ratePerSecond: 2, rateBurst: 10 })
    const first = await rawHubClient(addr())
    const flood: ChatMessage[] = []
    let prev = ''
    for (let i = 1; i <= 20; i++) { const m = await first.make(`flood ${i}`, i, prev); flood.push(m); prev = m.id }
    first.link.send({ type: 'submit', messages: flood.slice(0, 10) })
    await until('its burst numbered', () => hub.lastSeq === 10)
    await first.stop()
    await until('the hub saw it go', () => hub.stats().clients === 0)
    // Back at once with the same key: the budget it spent is still spent, 2 a second from here.
    const again = await rawHubClient(addr(), { key: first.key })
    for (const m of flood.slice(10)) again.link.send({ type: 'submit', messages: [m] })
    await until('it goes on', () => hub.lastSeq > 10)
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect(hub.lastSeq).toBeLessThan(16)
    await until('the rest numbered at its pace', () => hub.lastSeq === 20, 15_000)
  })

  it('keeps its history and identity across a restart, and a late joiner gets everything', async () => {
    const first = await startHub()
    const a = await startClient('a', first.addr())
    await until('a joined', () => a.engine.connected)
    for (const t of ['one', 'two', 'three']) await a.engine.send('lobby', t)
    await until('three numbered', () => a.delivered().length === 3)
    const { dataDir } = first
    const peerId = first.hub.peerId
    await stopHub(first)
    const again = await startHub({ dataDir })
    expect(again.hub.peerId).toBe(peerId)
    expect(again.hub.history('lobby').map(m => [m.seq, m.text])).toEqual([[1, 'one'], [2, 'two'], [3, 'three']])
    const late = await startClient('late', again.addr())
    await until('late joiner caught up', () => late.delivered().length === 3)
    expect(late.engine.history('lobby').map(m => m.text)).toEqual(['one', 'two', 'three'])
  })

  it('prints on its console each message it numbers, an edit, a reaction and a delete as such; its history shows them applied, as clients do', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const b = await startClient('ben', h.addr())
    await until('both joined', () => a.engine.connected && b.engine.connected)
    const m = await a.engine.send('lobby', 'morning')
    await until('ben has it', () => b.delivered().some(d => d.id === m.id))
    await a.engine.edit('lobby', m.id, 'good morning')
    await b.engine.react('lobby', m.id, '👍', true)
    const lines = (): string[] => h.events.filter(e => e.type === 'message').map(e => hubLine(e))
    await until('the reaction numbered', () => lines().length === 3)
    // Its history (the console's `history`, the JSON command) shows the room as every client does:
    // the edit and the reaction applied to their message, not lines of their own; a page counts messages.
    const shown = (views: MessageView[]): unknown[] => views.map(v => [v.id, v.text, v.edited, v.deleted, v.reactions])
    const ben = b.engine.peerId
    // His own reaction shows at once, before the hub's number; the edit numbered before it is awaited too.
    await until('ben shows the edit and the reaction', () => b.engine.history('lobby')[0]?.reactions?.length === 1 && b.engine.history('lobby')[0]?.edited === true)
    expect(shown(h.hub.history('lobby'))).toEqual([[m.id, 'good morning', true, false, [{ emoji: '👍', by: [ben] }]]])
    expect(shown(h.hub.history('lobby'))).toEqual(shown(b.engine.history('lobby')))
    const later = await b.engine.send('lobby', 'and to you')
    await until('four numbered', () => lines().length === 4)
    expect(h.hub.history('lobby', { limit: 1 }).map(v => v.id)).toEqual([later.id])
    expect(h.hub.history('lobby', { limit: 2 }).map(v => v.id)).toEqual([m.id, later.id])
    await a.engine.delete('lobby', m.id)
    await until('five numbered', () => lines().length === 5)
    await until('the hub shows it deleted', () => h.hub.history('lobby')[0]?.deleted === true)
    expect(shown(h.hub.history('lobby'))).toEqual([[m.id, '', false, true, [{ emoji: '👍', by: [ben] }]], [later.id, 'and to you', false, false, []]])
    await until('ben shows it deleted', () => b.engine.history('lobby')[0]?.deleted === true)
    expect(shown(h.hub.history('lobby'))).toEqual(shown(b.engine.history('lobby')))
    const t = m.id.slice(0, 8)
    expect(lines()).toEqual([
      expect.stringMatching(new RegExp(`^\\[#1 L\\d+ ${t}\\] ann: morning$`)),
      expect.stringMatching(new RegExp(`^\\[#2 L\\d+ [0-9a-f]{8}\\] ann edited \\[${t}\\]: good morning$`)),
      expect.stringMatching(new RegExp(`^\\[#3 L\\d+ [0-9a-f]{8}\\] ben reacted 👍 to \\[${t}\\]$`)),
      expect.stringMatching(new RegExp(`^\\[#4 L\\d+ [0-9a-f]{8}\\] ben: and to you$`)),
      expect.stringMatching(new RegExp(`^\\[#5 L\\d+ [0-9a-f]{8}\\] ann deleted \\[${t}\\]$`))
    ])
  })

  it('a client lists its hub by name while it cannot reach it, also after a restart', async () => {
    const h = await startHub({ name: 'Room 101 server' })
    const ann = await startClient('ann', h.addr())
    const hubRow = (c: { engine: { peers: () => Array<{ name: string, hub?: boolean, connected: boolean }> } }) => c.engine.peers().find(p => p.hub === true)
    await until('ann on the hub', () => hubRow(ann)?.connected === true)
    expect(hubRow(ann)?.name).toBe('Room 101 server')
    await stopHub(h)
    await until('the hub gone', () => hubRow(ann)?.connected === false)
    expect(hubRow(ann)?.name).toBe('Room 101 server')
    // Started again while the hub is still down: its last name, not its peer id alone.
    await stopClient(ann)
    const again = await startClient('ann', h.addr(), { dataDir: ann.dataDir })
    expect(hubRow(again)).toMatchObject({ name: 'Room 101 server', connected: false })
  })

  it('someone blocked peer to peer who never wrote is listed by name in client mode, not as a nameless row', async () => {
    const ann = await startPeer('ann')
    const ben = await startPeer('ben')
    await connect(ann, ben)
    await ann.engine.block(ben.engine.peerId)
    await stopPeer(ann)
    const h = await startHub()
    const again = await startClient('ann', h.addr(), { dataDir: ann.dataDir })
    expect(again.engine.peers().find(p => p.peerId === ben.engine.peerId)).toMatchObject({ name: 'ben', blocked: true })
  })

  it('a client blocks another client: kept in the data directory, listed with the mark, a bad id refused', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr())
    const ben = await startClient('ben', h.addr())
    await until('ann hears of ben', () => ann.engine.presence().some(p => p.peerId === ben.engine.peerId && p.state === 'online'))
    await ben.engine.send('lobby', 'hi all')
    await until('ann has it', () => ann.engine.history('lobby').some(m => m.text === 'hi all'))
    await ben.engine.send('deals', 'cheap phones')
    await ann.engine.send('quiet', 'anyone?')
    await ben.engine.send('quiet', 'me')
    await until('ann has them', () => ann.engine.history('deals').length === 1 && ann.engine.history('quiet').length === 2)
    expect(ann.engine.writtenOnlyByBlocked('deals')).toBe(false)
    await ann.engine.block(ben.engine.peerId)
    expect(ann.engine.isBlocked(ben.engine.peerId)).toBe(true)
    // A room only Ben wrote in is one the window need not offer; a room Ann wrote in too, and one nobody did, are not.
    expect(ann.engine.writtenOnlyByBlocked('deals')).toBe(true)
    expect(ann.engine.writtenOnlyByBlocked('quiet')).toBe(false)
    expect(ann.engine.writtenOnlyByBlocked('empty')).toBe(false)
    expect(ann.engine.peers().find(p => p.peerId === ben.engine.peerId)).toMatchObject({ name: 'ben', blocked: true, connected: false })
    await expect(ann.engine.block('not-a-peer')).rejects.toMatchObject({ name: 'BadPeerIdError' })
    await stopClient(ann)
    // Started again with the hub away: blocked still, and named by what Ben last wrote.
    await stopClient(ben)
    await stopHub(h)
    const again = await startClient('ann', h.addr(), { dataDir: ann.dataDir })
    expect(again.engine.isBlocked(ben.engine.peerId)).toBe(true)
    expect(again.engine.peers().find(p => p.peerId === ben.engine.peerId)).toMatchObject({ name: 'ben', blocked: true })
    expect(again.engine.writtenOnlyByBlocked('deals')).toBe(true)
    await again.engine.unblock(ben.engine.peerId)
    expect(again.engine.isBlocked(ben.engine.peerId)).toBe(false)
    expect(again.engine.writtenOnlyByBlocked('deals')).toBe(false)
    expect(again.engine.peers().some(p => p.peerId === ben.engine.peerId)).toBe(false)
  })

  it('a client forgets a client that left: the hub\'s word that it is offline does not list it again, its return does', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr())
    const cat = await startClient('cat', h.addr())
    const known = (p: typeof ann, state?: string): boolean => p.engine.presence().some(x => x.peerId === cat.engine.peerId && (state === undefined || x.state === state))
    await until('ann hears of cat', () => known(ann, 'online'))
    await stopClient(cat)
    await until('cat offline for ann', () => known(ann, 'offline'))
    await ann.engine.forget(cat.engine.peerId)
    expect(known(ann)).toBe(false)
    // Ann's app restarts and the hub tells her everyone it knows, Cat offline among them: still forgotten.
    await stopClient(ann)
    const again = await startClient('ann', h.addr(), { dataDir: ann.dataDir })
    const ben = await startClient('ben', h.addr())
    await until('ann hears of ben', () => again.engine.presence().some(x => x.peerId === ben.engine.peerId && x.state === 'online'))
    expect(known(again)).toBe(false)
    // Cat comes back: listed again, online.
    const back = await startClient('cat', h.addr(), { dataDir: cat.dataDir })
    await until('ann lists cat again', () => known(again, 'online'))
    await stopClient(back)
  })

  it('sends a returning client only what it missed', async () => {
    const { addr } = await startHub()
    const a = await startClient('a', addr())
    const b = await startClient('b', addr())
    await until('joined', () => a.engine.connected && b.engine.connected)
    await a.engine.send('lobby', 'before')
    await until('b has it', () => b.delivered().length === 1)
    await stopClient(b)
    await a.engine.send('lobby', 'while b was away')
    const back = await startClient('b', addr(), { dataDir: b.dataDir })
    await until('b caught up', () => back.delivered().length === 1)
    expect(back.delivered().map(e => [e.seq, e.text])).toEqual([[2, 'while b was away']])
    expect(back.engine.history('lobby').map(m => m.text)).toEqual(['before', 'while b was away'])
  })
  it('what a client missed counts as received, not in its latency figures; what comes live does', async () => {
    const { addr } = await startHub()
    const a = await startClient('a', addr())
    await until('joined', () => a.engine.connected)
    for (let i = 0; i < 3; i++) await a.engine.send('lobby', `old ${i}`)
    await until('numbered', () => a.engine.history('lobby').every(m => m.pending !== true))
    await new Promise(resolve => setTimeout(resolve, 1_500))
    const b = await startClient('b', addr())
    await until('b caught up', () => b.delivered().length === 3)
    expect(b.engine.stats()).toMatchObject({ received: 3, latencyMs: { count: 0 } })
    await a.engine.send('lobby', 'live')
    await until('b has it', () => b.delivered().length === 4)
    expect(b.engine.stats().latencyMs.count).toBe(1)
    expect(b.engine.stats().latencyMs.max).toBeLessThan(1_500)
  })
  it('a client restored from an old backup of its data directory goes on after the numbers the hub accepted (issue 13)', async () => {
    const { addr } = await startHub()
    const a = await startClient('a', addr())
    const b = await startClient('b', addr())
    await until('joined', () => a.engine.connected && b.engine.connected)
    await a.engine.send('lobby', 'in the backup')
    await until('b has it', () => b.delivered().length === 1)
    await stopClient(a)
    const backup = tempDir('lanchat-backup-')
    cpSync(a.dataDir, backup, { recursive: true })
    const again = await startClient('a', addr(), { dataDir: a.dataDir })
    await until('joined again', () => again.engine.connected)
    for (const t of ['after the backup 1', 'after the backup 2']) await again.engine.send('lobby', t)
    await until('b has them', () => b.delivered().length === 3)
    await stopClient(again)
    // The backup comes back: its chain ends at message 1, the hub's at 3.
    rmSync(a.dataDir, { recursive: true, force: true })
    cpSync(backup, a.dataDir, { recursive: true })
    const restored = await startClient('a', addr(), { dataDir: a.dataDir })
    const sent = await restored.engine.send('lobby', 'from the restored directory')
    await until('b has it', () => b.delivered().some(e => e.text === 'from the restored directory'))
    expect(restored.events.filter(e => e.type === 'error')).toEqual([])
    await until('numbered for the restored client too', () => restored.delivered().some(e => e.id === sent.id))
    expect(b.engine.history('lobby').map(m => m.text)).toEqual(['in the backup', 'after the backup 1', 'after the backup 2', 'from the restored directory'])
  })
  it('a hub restored from an older backup of its data directory: its clients take what it numbers from then on, their own pending messages too, and submit again their own it lost; one back after its count passed theirs too', async () => {
    const first = await startHub()
    const listen = [`/ip4/127.0.0.1/tcp/${/\/tcp\/(\d+)/.exec(first.addr())![1]!}`]
    const a = await startClient('a', first.addr())
    const b = await startClient('b', first.addr())
    const late = await startClient('c', first.addr())
    await until('joined', () => a.engine.connected && b.engine.connected && late.engine.connected)
    await a.engine.send('lobby', 'in the backup')
    await until('b and c have it', () => b.delivered().length === 1 && late.delivered().length === 1)
    await stopHub(first)
    const backup = tempDir('lanchat-hub-backup-')
    cpSync(first.dataDir, backup, { recursive: true })
    const second = await startHub({ listen, dataDir: first.dataDir })
    await until('joined again', () => a.engine.connected && b.engine.connected && late.engine.connected, 20_000)
    for (const t of ['lost 1', 'lost 2']) await b.engine.send('lobby', t)
    const secret = await b.engine.send('', 'lost secret', { to: a.engine.peerId })
    await until('a has them', () => a.delivered().length === 4)
    const l2 = a.engine.history('lobby').find(m => m.text === 'lost 2')!
    await a.engine.react('lobby', l2.id, '👍', true)
    await until('b sees it', () => b.engine.history('lobby').some(m => m.reactions?.length === 1))
    await a.engine.send('lobby', 'lost of a')
    const ofC = await late.engine.send('lobby', 'lost of c')
    await until('b and c have them', () => [b, late].every(x => x.delivered().some(e => e.id === ofC.id)))
    await stopClient(b)
    await stopClient(late)
    await stopHub(second)
    await until('a sees it gone', () => !a.engine.connected)
    // The backup comes back: the hub has message 1, its clients up to 7.
    rmSync(first.dataDir, { recursive: true, force: true })
    cpSync(backup, first.dataDir, { recursive: true })
    const pending = await a.engine.send('lobby', 'written while it was away')
    // And a reaction to b's message the hub lost: the restored hub refuses it, and it shows on nothing; not an error.
    await a.engine.react('lobby', a.engine.history('lobby').find(m => m.text === 'lost 1')!.id, '🎉', true)
    const restored = await startHub({ listen, dataDir: first.dataDir })
    // a submits again what the hub lost of its own, before what it wrote after.
    await until('a numbered by the restored hub', () => restored.hub.lastSeq === 3 && a.delivered().some(e => e.id === pending.id), 20_000)
    // Its reaction among them is not told waiting: no row shows it, and a window would count it waiting for good.
    expect(a.events.some(e => e.type === 'pending' && e.action?.emoji === '👍')).toBe(false)
    // The one written while the hub was away was told waiting: refused, quietly, it is told waiting no more, or a
    // window would say 'sending 1 pending' for good.
    const party = a.events.flatMap(e => e.type === 'pending' && e.action?.emoji === '🎉' ? [e.id] : [])[0]
    await until('the reaction the hub refused waits no more', () => a.events.some(e => e.type === 'pending:dropped' && e.id === party), 20_000)
    // b comes back after (its app started again): under number 2 the hub now has a's message, where b holds its own the hub lost.
    const back = await startClient('b', restored.addr(), { dataDir: b.dataDir })
    const live = await back.engine.send('lobby', 'after the restore')
    await until('b has what a wrote', () => back.delivered().some(e => e.id === pending.id), 20_000)
    await until('a has what b wrote', () => a.delivered().some(e => e.id === live.id), 20_000)
    await until('b has its own numbered', () => back.delivered().some(e => e.id === live.id), 20_000)
    // Both show the restored hub's history, each message once: what the others lost is set aside, what they wrote
    // submitted again. a's reaction to b's message, submitted again before b was back, the hub refused (it had no such
    // message): shown by nobody, not by a alone.
    for (const c of [a, back]) {
      expect(c.engine.history('lobby').map(m => [m.seq, m.text, m.pending === true, m.reactions?.length])).toEqual([[1, 'in the backup', false, 0], [2, 'lost of a', false, 0],
        [3, 'written while it was away', false, 0], [4, 'lost 1', false, 0], [5, 'lost 2', false, 0], [7, 'after the restore', false, 0]])
      // b's direct message to a, sealed, is submitted again as it was: both read it.
      expect(c.engine.history(secret.room).map(m => [m.seq, m.text, m.pending === true])).toEqual([[6, 'lost secret', false]])
      expect(c.events.filter(e => e.type === 'error')).toEqual([])
    }
    // c comes back last, after the hub's count passed its own (7): under those numbers the hub now has other messages.
    // c shows the hub's history, not what it held, and its own message the hub lost is numbered again.
    const past = await a.engine.send('lobby', 'past where c was')
    await until('numbered 8', () => back.delivered().some(e => e.id === past.id && e.seq === 8), 20_000)
    const c2 = await startClient('c', restored.addr(), { dataDir: late.dataDir })
    await until('c has its own numbered again', () => c2.delivered().some(e => e.id === ofC.id && e.seq === 9), 20_000)
    await until('a and b have it', () => [a, back].every(x => x.delivered().some(e => e.id === ofC.id)), 20_000)
    for (const x of [a, back, c2]) {
      expect(x.engine.history('lobby').map(m => [m.seq, m.text, m.pending === true])).toEqual([[1, 'in the backup', false], [2, 'lost of a', false],
        [3, 'written while it was away', false], [4, 'lost 1', false], [5, 'lost 2', false], [7, 'after the restore', false], [8, 'past where c was', false],
        [9, 'lost of c', false]])
    }
    // Each shown once, as the hub numbers it now: not what c held under the same numbers.
    expect(c2.delivered().filter(e => e.room === 'lobby').map(e => [e.seq, e.text])).toEqual([[2, 'lost of a'], [3, 'written while it was away'], [4, 'lost 1'], [5, 'lost 2'],
      [7, 'after the restore'], [8, 'past where c was'], [9, 'lost of c']])
    expect(c2.events.filter(e => e.type === 'error')).toEqual([])
  }, 60_000)
  it('a hub restored from an older backup: its client shows waiting what it lost of its own and, started again before the hub numbered it, submits it again; and it is not sent the whole history again at each return, nor told again of one the hub refused again', async () => {
    const first = await startHub()
    const listen = [`/ip4/127.0.0.1/tcp/${/\/tcp\/(\d+)/.exec(first.addr())![1]!}`]
    const a = await startClient('a', first.addr())
    await until('joined', () => a.engine.connected)
    const kept = await a.engine.send('lobby', 'in the backup')
    await until('numbered', () => a.delivered().some(e => e.id === kept.id))
    await stopHub(first)
    const backup = tempDir('lanchat-hub-backup-')
    cpSync(first.dataDir, backup, { recursive: true })
    const second = await startHub({ listen, dataDir: first.dataDir })
    await until('joined again', () => a.engine.connected, 20_000)
    const lost = await a.engine.send('lobby', 'lost with the restore')
    await until('numbered 2', () => a.delivered().some(e => e.id === lost.id))
    await stopHub(second)
    await until('a sees it gone', () => !a.engine.connected)
    rmSync(first.dataDir, { recursive: true, force: true })
    cpSync(backup, first.dataDir, { recursive: true })
    // The restored hub has message 1, a up to 2: a is sent the hub's history again, and holds all of it. The hub
    // takes no message in yet (its log held up): a shows its own it lost waiting for the hub, not gone.
    const restored = await startHub({ listen, dataDir: first.dataDir, maxUncommitted: 0 })
    await until('the history sent again', () => restored.hub.stats().relayed === 1, 20_000)
    await until('a waits for the hub to number its own again', () => a.engine.history('lobby').some(m => m.id === lost.id && m.pending === true), 20_000)
    expect(a.engine.history('lobby').map(m => [m.text, m.pending === true])).toEqual([['in the backup', false], ['lost with the restore', true]])
    // And says so as it happens: a window showing it numbered marks it waiting.
    expect(a.events.some(e => e.type === 'pending' && e.id === lost.id)).toBe(true)
    // The hub stopped, a's app closed: what a submits again is on its disk.
    await stopHub(restored)
    await stopClient(a)
    // Nobody wrote meanwhile. Both come back: a says it has message 1.
    const again = await startHub({ listen, dataDir: first.dataDir })
    const a2 = await startClient('a', again.addr(), { dataDir: a.dataDir })
    const next = await a2.engine.send('lobby', 'after the restore')
    await until('numbered', () => a2.delivered().some(e => e.id === next.id), 20_000)
    // Only what it numbered now went to a, not the whole history before it once more.
    expect(again.hub.stats().relayed).toBe(2)
    expect(a2.engine.history('lobby').map(m => [m.seq, m.text, m.pending === true])).toEqual([[1, 'in the backup', false], [2, 'lost with the restore', false], [3, 'after the restore', false]])
    expect(a2.events.filter(e => e.type === 'error')).toEqual([])
    // Someone else writes, a answers; the backup comes back once more. What a answered only its author can submit again:
    // a's answer, refused again, is told Not sent once, not again at each return of a's link or start of its app.
    const raw = await rawHubClient(again.addr())
    const theirs = await raw.make('not in the backup', 1)
    raw.link.send({ type: 'submit', messages: [theirs] })
    await until('a has it', () => a2.delivered().some(e => e.id === theirs.id), 20_000)
    const answer = await a2.engine.send('lobby', 'answer', { replyTo: theirs.id })
    await until('answer numbered', () => a2.delivered().some(e => e.id === answer.id), 20_000)
    await stopRawHubClients()
    await stopHub(again)
    rmSync(first.dataDir, { recursive: true, force: true })
    cpSync(backup, first.dataDir, { recursive: true })
    const twice = await startHub({ listen, dataDir: first.dataDir })
    await until('the answer refused again', () => a2.events.some(e => e.type === 'error'), 20_000)
    expect(a2.events.filter(e => e.type === 'error')).toMatchObject([{ id: answer.id }])
    await stopClient(a2)
    const a3 = await startClient('a', twice.addr(), { dataDir: a.dataDir })
    const last = await a3.engine.send('lobby', 'still here')
    await until('numbered', () => a3.delivered().some(e => e.id === last.id), 20_000)
    expect(a3.engine.history('lobby').map(m => [m.seq, m.text, m.pending === true])).toEqual([[1, 'in the backup', false], [2, 'lost with the restore', false],
      [3, 'after the restore', false], [4, 'still here', false]])
    expect(a3.events.filter(e => e.type === 'error')).toEqual([])
  }, 60_000)
  it('a hub restored from an older backup: a client back after another\'s lost message came under the number of its own shows it, though the history comes in several deliveries', async () => {
    const first = await startHub()
    const listen = [`/ip4/127.0.0.1/tcp/${/\/tcp\/(\d+)/.exec(first.addr())![1]!}`]
    const b = await startClient('b', first.addr())
    const c = await startClient('c', first.addr())
    await until('joined', () => b.engine.connected && c.engine.connected)
    // Four long messages in the backup: with the fifth, the hub's catch-up fills a delivery (DELIVER_BATCH_BYTES).
    for (let i = 1; i <= 4; i++) await b.engine.send('lobby', `${i} ${'x'.repeat(63 * 1024)}`)
    await until('c has them', () => c.delivered().length === 4)
    await stopHub(first)
    const backup = tempDir('lanchat-hub-backup-')
    cpSync(first.dataDir, backup, { recursive: true })
    const second = await startHub({ listen, dataDir: first.dataDir })
    await until('joined again', () => b.engine.connected && c.engine.connected, 20_000)
    const ofC = await c.engine.send('lobby', 'lost of c')
    await until('b has it', () => b.delivered().some(e => e.id === ofC.id))
    const ofB = await b.engine.send('lobby', `lost of b ${'y'.repeat(63 * 1024)}`)
    await until('c has it', () => c.delivered().some(e => e.id === ofB.id))
    await stopClient(b)
    await stopClient(c)
    await stopHub(second)
    rmSync(first.dataDir, { recursive: true, force: true })
    cpSync(backup, first.dataDir, { recursive: true })
    const restored = await startHub({ listen, dataDir: first.dataDir })
    // b back first: its message the hub lost comes under number 5, where c holds its own; then b writes on.
    const b2 = await startClient('b', restored.addr(), { dataDir: b.dataDir })
    const next = await b2.engine.send('lobby', 'after the restore')
    await until('numbered', () => b2.delivered().some(e => e.id === next.id) && b2.delivered().some(e => e.id === ofB.id), 20_000)
    // c comes back holding its own under 5 (it takes it back: none there) and b's under 6, where the hub has b's next.
    // The hub started again since: its history comes from its database, in deliveries of up to DELIVER_BATCH_BYTES,
    // the first ending with b's message under 5; the parting at 6 shows only in the second.
    await stopHub(restored)
    const again = await startHub({ listen, dataDir: first.dataDir })
    const c2 = await startClient('c', again.addr(), { dataDir: c.dataDir })
    await until('c has its own numbered again', () => c2.delivered().some(e => e.id === ofC.id), 20_000)
    await until('b has it', () => b2.delivered().some(e => e.id === ofC.id), 20_000)
    const shown = (x: typeof b2): unknown[] => x.engine.history('lobby').map(m => [m.seq, m.text.slice(0, 9), m.pending === true])
    expect(shown(c2)).toEqual(shown(b2))
    expect(shown(c2).slice(4)).toEqual([[5, 'lost of b', false], [6, 'after the', false], [7, 'lost of c', false]])
    expect(c2.delivered().map(e => e.seq)).toEqual([5, 6, 7])
  }, 60_000)
  // mDNS discovery of the hub is tested in mdns.test.ts, inside an isolated network namespace.
})
