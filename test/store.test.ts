import { existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_PAGE } from '../main/chat/types.js'
import type { ChatMessage } from '../main/core/message.js'
import { CHECK_AT_OPEN_BYTES, ChatDb } from '../main/store/db.js'
import { KNOWN_PEER_MAX_AGE_MS, MAX_KNOWN_PEERS, PeerStore } from '../main/store/peer-store.js'
import { ClientStore } from '../main/store/client-store.js'
import { cleanupHubs, startClient, startHub } from './helpers/hub.js'
import { cleanup, connect, startPeer, stopPeer, tempDir, texts, until } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

/** Scribble over the header of every page but the first (or every page from `from` on): what a bad disk or a stray write does. */
function damage (file: string, from = 0): void {
  const page = 4096
  const size = statSync(file).size
  const fd = openSync(file, 'r+')
  try {
    for (let at = Math.max(page, Math.floor(from / page) * page); at < size; at += page) writeSync(fd, Buffer.alloc(12, 0xa5), 0, 12, at)
  } finally {
    closeSync(fd)
  }
}

describe('the message database', () => {
  it('notes where the sealed messages of each commit begin until the next one, and keeps what a crash left until it is taken in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-unsettled-'))
    const msg = (id: string, seq: number, sealed: boolean): ChatMessage => ({
      id, room: sealed ? 'pr:0123' : 'lobby', author: '12D3KooWAuthor', name: 'a', text: '', lamport: seq, sentAt: 0, seq, prev: '', deps: [], sig: new Uint8Array(64),
      ...(sealed ? { sealed: new Uint8Array(40) } : {})
    })
    try {
      let { store } = PeerStore.open(dir)
      store.insert([{ message: msg('k1', 1, true) }, { message: msg('p1', 2, false) }])
      store.insert([{ message: msg('k2', 3, true) }])
      // The first batch was announced before the second commit: only the last one's sealed message is noted.
      expect(store.unsettled()).toEqual([])
      store.close()
      // A restart after a crash: what the last commit noted is there to take in, and stays noted through later commits until it is.
      ;({ store } = PeerStore.open(dir))
      expect(store.unsettled()).toEqual(['k2'])
      store.insert([{ message: msg('p2', 4, false) }])
      store.close()
      ;({ store } = PeerStore.open(dir))
      expect(store.unsettled()).toEqual(['k2', 'p2'])
      store.settled()
      expect(store.unsettled()).toEqual([])
      store.insert([{ message: msg('p3', 5, false) }])
      store.close()
      ;({ store } = PeerStore.open(dir))
      expect(store.unsettled()).toEqual([])
      store.close()
      // A client's store notes what its hub delivered alike.
      let client = ClientStore.open(dir, 'me').store
      client.state.serverId = 'the-hub'
      client.addDelivered([{ seq: 1, message: msg('k3', 1, true) }], Date.now(), 'hub')
      client.close()
      client = ClientStore.open(dir, 'me').store
      expect(client.unsettled()).toEqual(['k3'])
      client.settled()
      client.close()
      client = ClientStore.open(dir, 'me').store
      expect(client.unsettled()).toEqual([])
      client.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('whom the user forgot is one list for both modes, and a damaged one reads as nobody', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-forgot-'))
    try {
      let { store } = PeerStore.open(dir)
      expect(store.forgotten()).toEqual({})
      store.setForgotten({ 'peer-a': 1_000, 'peer-b': 2_000 })
      store.close()
      // Switched to client–server: the same people are forgotten there.
      const client = ClientStore.open(dir, 'me').store
      expect(client.forgotten()).toEqual({ 'peer-a': 1_000, 'peer-b': 2_000 })
      client.setForgotten({ 'peer-b': 2_000 })
      client.close()
      ;({ store } = PeerStore.open(dir))
      expect(store.forgotten()).toEqual({ 'peer-b': 2_000 })
      // What is not a map of ids to times, or entries that are not, is left out.
      store.db.setJson('people', 'forgotten', { 'peer-c': 'yesterday', 'peer-d': 5 })
      expect(store.forgotten()).toEqual({ 'peer-d': 5 })
      store.db.setJson('people', 'forgotten', ['peer-e'])
      expect(store.forgotten()).toEqual({})
      store.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('the book of known peers keeps the most recently seen, never a blocked one, and forgets those not seen for half a year', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-book-'))
    try {
      const now = Date.now()
      const id = (i: number): string => `peer-${String(i).padStart(5, '0')}`
      let { store } = PeerStore.open(dir)
      // A year of classes: more peers than the book keeps, the oldest blocked, one not seen for 200 days.
      for (let i = 0; i < MAX_KNOWN_PEERS; i++) store.rememberPeer(id(i), { addrs: [`/ip4/10.0.${i >> 8}.${i & 255}/tcp/4001`], name: `student ${i}`, lastSeen: now - (MAX_KNOWN_PEERS - i) * 60_000 })
      store.setBlocked([id(0)])
      const ancient = 'peer-ancient'
      store.db.sql('INSERT INTO peers (peer_id, addrs, name, last_seen) VALUES (?, ?, ?, ?)').run(ancient, '[]', 'gone', now - KNOWN_PEER_MAX_AGE_MS - 20 * 24 * 3600_000)
      // Newcomers past a tenth over the bound: the least recently seen go, in one batch.
      const extra = Math.ceil(MAX_KNOWN_PEERS * 0.1) + 1
      for (let i = 0; i < extra; i++) store.rememberPeer(`new-${i}`, { addrs: [], name: `new ${i}`, lastSeen: now + i })
      const kept = Object.keys(store.state.peers)
      expect(kept.length).toBe(MAX_KNOWN_PEERS + 1)
      expect(kept).toContain(id(0))
      expect(kept).toContain(`new-${extra - 1}`)
      expect(kept).not.toContain(id(1))
      expect(kept).not.toContain(ancient)
      store.db.close()

      // At a start the database holds what the state said, and the half-year-old one goes too.
      ;({ store } = PeerStore.open(dir))
      expect(Object.keys(store.state.peers).sort()).toEqual([...kept].sort())
      store.db.sql('INSERT INTO peers (peer_id, addrs, name, last_seen) VALUES (?, ?, ?, ?)').run(ancient, '[]', 'gone', now - KNOWN_PEER_MAX_AGE_MS - 1000)
      store.db.close()
      ;({ store } = PeerStore.open(dir))
      expect(store.state.peers[ancient]).toBeUndefined()
      expect(store.state.peers[id(0)]?.name).toBe('student 0')
      expect(store.state.blocked).toEqual([id(0)])
      store.db.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('the book keeps the people who wrote to us, and those linked now, when a thousand new keys link, and lets go of those who never did', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-book-authors-'))
    try {
      const now = Date.now()
      const { store } = PeerStore.open(dir)
      // Ann and Bob linked last month; Ann wrote something, Bob never did. Cat, linked since then, never did either.
      for (const who of ['ann', 'bob', 'cat']) store.rememberPeer(who, { addrs: ['/ip4/10.0.0.7/tcp/4001'], name: who, lastSeen: now - 30 * 86_400_000 })
      store.ageOutHooks = { linked: () => ['cat'], dropped: () => {} }
      store.insert([{ message: { id: 'a1', room: 'lobby', author: 'ann', name: 'ann', text: 'hi', lamport: 1, sentAt: now - 30 * 86_400_000, seq: 1, prev: '', deps: [], sig: new Uint8Array(64) } }])
      // Then one peer links under more fresh keys than the book holds, each seen after them.
      for (let i = 0; i < MAX_KNOWN_PEERS * 1.1; i++) store.rememberPeer(`made-up-${i}`, { addrs: [], name: '', lastSeen: now + i })
      expect(store.state.peers.ann?.name).toBe('ann')
      expect(store.state.peers.bob).toBeUndefined()
      expect(store.state.peers.cat?.name).toBe('cat')
      store.close()
      const again = PeerStore.open(dir).store
      expect(again.state.peers.ann?.name).toBe('ann')
      again.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a store left running ages the book out too: the half-year-old go, never a blocked one nor one linked now', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-age-'))
    try {
      const now = Date.now()
      const { store } = PeerStore.open(dir)
      const old = now - KNOWN_PEER_MAX_AGE_MS + 24 * 3600_000
      for (const id of ['gone', 'blocked', 'linked', 'recent']) store.rememberPeer(id, { addrs: [], name: id, lastSeen: id === 'recent' ? now : old })
      store.setBlocked(['blocked'])
      const told: string[][] = []
      store.ageOutHooks = { linked: () => ['linked'], dropped: ids => { told.push(ids) } }
      // A day later, while still running: only the one neither blocked nor linked goes, from the state and the database.
      expect(store.ageOutPass(now + 2 * 24 * 3600_000)).toEqual(['gone'])
      expect(told).toEqual([['gone']])
      expect(Object.keys(store.state.peers).sort()).toEqual(['blocked', 'linked', 'recent'])
      expect((store.db.sql('SELECT peer_id FROM peers ORDER BY peer_id').all() as Array<{ peer_id: string }>).map(r => r.peer_id)).toEqual(['blocked', 'linked', 'recent'])
      // Nothing more to drop: nobody is told.
      expect(store.ageOutPass(now + 2 * 24 * 3600_000)).toEqual([])
      expect(told.length).toBe(1)
      store.close()
      // Closed, the pass does nothing (its timer is cleared; a late call must not throw).
      expect(store.ageOutPass(now + 400 * 24 * 3600_000)).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an engine left running drops a peer not seen for half a year from its known peers, not only at the next start', async () => {
    // Carol was here once and is gone: her address answers no more.
    const carol = await startPeer('Carol')
    const carolId = carol.engine.peerId
    const carolAddr = carol.addr()
    await stopPeer(carol)
    const bob = await startPeer('Bob')
    // Alice last saw Carol half a year ago, less a few seconds: still in the book when Alice starts.
    const dir = tempDir('lanchat-alice-')
    const { store } = PeerStore.open(dir)
    store.rememberPeer(carolId, { addrs: [carolAddr], name: 'Carol', lastSeen: Date.now() - KNOWN_PEER_MAX_AGE_MS + 8_000 })
    store.close()
    const alice = await startPeer('Alice', { dataDir: dir, bookAgeOutMs: 200 })
    const known = (): string[] => alice.engine.peers().map(p => p.peerId)
    expect(known()).toContain(carolId)
    await connect(alice, bob)
    // Alice keeps running past the half year: Carol leaves her known peers; Bob, linked, stays.
    await until('Carol aged out of the running book', () => !known().includes(carolId), 20_000)
    expect(known()).toContain(bob.engine.peerId)
    expect(alice.engine.peers().find(p => p.peerId === bob.engine.peerId)?.connected).toBe(true)
  })

  it('no page of a room is longer than MAX_PAGE, asked for with a limit or without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-page-'))
    const { db } = ChatDb.open(dir)
    try {
      const table = db.messages('p2p')
      const author = '12D3KooWAuthor'
      const rows = Array.from({ length: MAX_PAGE + 5 }, (_, i) => ({
        message: { id: `${i}`, room: 'lobby', author, name: 'a', text: `m${i}`, lamport: i + 1, sentAt: 0, seq: i + 1, prev: '', deps: [], sig: new Uint8Array(64) } satisfies ChatMessage
      }))
      db.transaction(() => { table.insert(rows) })
      for (const page of [undefined, { limit: MAX_PAGE * 2 }]) {
        const shown = table.page('lobby', '', false, page).map(s => s.message.text)
        expect(shown).toHaveLength(MAX_PAGE)
        expect([shown[0], shown.at(-1)]).toEqual(['m5', `m${MAX_PAGE + 4}`])
      }
    } finally {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a receipt kept twice reads back once, with when it was first kept, also from a database of the schema before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-receipts-'))
    try {
      const first = PeerStore.open(dir).store
      // The schema before kept receipts under a unique index: a database from then still opens and loses it.
      first.db.sql('CREATE UNIQUE INDEX receipts_id ON receipts (id, by_peer)').run()
      first.db.sql('PRAGMA user_version = 3').run()
      first.keepReceipt({ id: 'm1', by: 'bob', lamport: 3, at: 1000 })
      first.keepReceipt({ id: 'm2', by: 'bob', lamport: 4, at: 1001 })
      first.close()
      const again = PeerStore.open(dir).store
      expect(again.db.sql("SELECT name FROM sqlite_master WHERE name = 'receipts_id'").all()).toEqual([])
      again.keepReceipt({ id: 'm1', by: 'bob', lamport: 3, at: 2000 })
      again.keepReceipt({ id: 'm1', by: 'carol', lamport: 5, at: 2001 })
      again.flush()
      expect(again.receipts(100)).toEqual([
        { id: 'm1', by: 'bob', lamport: 3, at: 1000 },
        { id: 'm2', by: 'bob', lamport: 4, at: 1001 },
        { id: 'm1', by: 'carol', lamport: 5, at: 2001 }
      ])
      again.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a damaged database is set aside, the user told where, and peers refill a fresh one', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    for (let i = 0; i < 30; i++) await a.engine.send('lobby', `kept ${i} ${'x'.repeat(300)}`)
    await until('b has them', () => b.delivered().length === 30)
    await stopPeer(b)
    damage(join(b.dataDir, 'lanchat.db'))

    const again = await startPeer('b', { dataDir: b.dataDir })
    const told = again.events.find(e => e.type === 'error')
    expect(told).toMatchObject({ type: 'error', code: 'StoreError' })
    const aside = readdirSync(b.dataDir).find(f => f.startsWith('lanchat.db.damaged-') && !f.endsWith('-wal') && !f.endsWith('-shm'))
    expect(aside).toBeDefined()
    expect(told?.type === 'error' ? told.message : '').toContain(join(b.dataDir, aside!))
    expect(texts(again)).toEqual([])
    await connect(again, a)
    await until('refilled by catch-up', () => texts(again).length === 30)
    expect(texts(again)).toEqual(texts(a))
    expect(existsSync(join(b.dataDir, aside!))).toBe(true)
  })

  it('a large database is checked after the start: damage is told then, and set aside at the next start', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    for (let i = 0; i < 30; i++) await a.engine.send('lobby', `kept ${i}`)
    await until('b has them', () => b.delivered().length === 30)
    await stopPeer(b)
    // Past the size checked before the start: a row the engine never reads, whose pages are then damaged.
    const file = join(b.dataDir, 'lanchat.db')
    const { db } = ChatDb.open(b.dataDir)
    db.sql("INSERT INTO meta (scope, key, value) VALUES ('test', 'ballast', ?)").run('x'.repeat(CHECK_AT_OPEN_BYTES))
    db.close()
    damage(file, statSync(file).size / 2)

    const again = await startPeer('b', { dataDir: b.dataDir })
    // It started on the file as it is (its history shows), and then says what the check found.
    expect(texts(again)).toHaveLength(30)
    await until('told of the damage', () => again.events.some(e => e.type === 'error' && e.code === 'StoreError' && /restart it to repair/.test(e.message)))
    expect(readdirSync(b.dataDir).filter(f => f.startsWith('lanchat.db.damaged-'))).toEqual([])
    await stopPeer(again)

    const third = await startPeer('b', { dataDir: b.dataDir })
    expect(third.events.find(e => e.type === 'error')).toMatchObject({ type: 'error', code: 'StoreError', message: expect.stringContaining('was damaged') })
    expect(readdirSync(b.dataDir).filter(f => f.startsWith('lanchat.db.damaged-') && !f.endsWith('-wal') && !f.endsWith('-shm'))).toHaveLength(1)
    await connect(third, a)
    await until('refilled by catch-up', () => texts(third).length === 30)
    expect(texts(third)).toEqual(texts(a))
  })

  it('search finds words in any room or in one, newest first, and a search with query syntax in it is only words', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    await a.engine.send('lobby', 'the pineapple is ripe')
    await a.engine.send('kitchen', 'Pineapples go on pizza?')
    await a.engine.send('lobby', 'nothing to see here')
    await until('b has all three', () => b.delivered().length === 3)
    const hits = b.engine.search('pineapp')
    expect(hits.map(h => h.room)).toEqual(['kitchen', 'lobby'])
    expect(hits[1]).toMatchObject({ room: 'lobby', author: a.engine.peerId, name: 'a', snippet: 'the [pineapple] is ripe' })
    expect(hits[1]!.id).toBe(b.engine.history('lobby')[0]!.id)
    expect(b.engine.search('pineapple', 'Lobby').map(h => h.room)).toEqual(['lobby'])
    expect(b.engine.search('ripe pineapple').length).toBe(1)
    expect(b.engine.search('banana')).toEqual([])
    expect(b.engine.search('"pine AND (apple OR* ')).toEqual([])
  })

  it('search finds a word of Chinese, Japanese or Thai inside a sentence (no spaces between words), an emoji, c++ and ß, with other words too, in public and in a DM', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    const zh = await a.engine.send('lobby', '明天的会议在三点，请准时参加。')
    const ja = await a.engine.send('kitchen', 'Zoom: 会議は明日の午後三時からです')
    const th = await a.engine.send('lobby', 'สวัสดีครับ ทุกคน')
    const dm = await a.engine.send('', '会议记录在这里', { to: b.engine.peerId })
    await until('b has all four', () => b.delivered().length === 4)
    const found = (q: string, room?: string): Array<{ id: string, snippet: string }> => b.engine.search(q, room).map(h => ({ id: h.id, snippet: h.snippet }))
    expect(found('会议')).toEqual([{ id: dm.id, snippet: '[会议]记录在这里' }, { id: zh.id, snippet: '明天的[会议]在三点，请准时参加。' }])
    expect(found('会議 zoom')).toEqual([{ id: ja.id, snippet: '[Zoom]: [会議]は明日の午後三時からです' }])
    expect(found('会議 teams')).toEqual([])
    expect(found('ครับ')).toEqual([{ id: th.id, snippet: 'สวัสดี[ครับ] ทุกคน' }])
    expect(found('三点', 'lobby').map(h => h.id)).toEqual([zh.id])
    expect(found('三点', 'kitchen')).toEqual([])
    expect(found('会议', dm.room).map(h => h.id)).toEqual([dm.id])
    // An emoji, which the index does not hold at all: found where it is, with or without its emoji-style selector,
    // a skin tone typed finds that one only, and in a DM too.
    const party = await a.engine.send('lobby', 'release done 🎉🎉 thanks ❤️')
    const thumbs = await a.engine.send('lobby', 'ok 👍🏽')
    const dmParty = await a.engine.send('', 'see you at the 🎉', { to: b.engine.peerId })
    await until('b has the emoji', () => b.delivered().length === 7)
    expect(found('🎉').map(h => h.id)).toEqual([dmParty.id, party.id])
    expect(found('🎉 release')).toEqual([{ id: party.id, snippet: '[release] done [🎉🎉] thanks ❤️' }])
    expect(found('❤').map(h => h.id)).toEqual([party.id])
    expect(found('❤️').map(h => h.id)).toEqual([party.id])
    expect(found('👍').map(h => h.id)).toEqual([thumbs.id])
    expect(found('👍🏿')).toEqual([])
    // c++, C#: the index cuts their symbols off (to it both are "c"): the text is read for the whole word, case aside.
    const cpp = await a.engine.send('lobby', 'I write C++ daily, cool')
    const cs = await a.engine.send('lobby', 'C# is nice too')
    const letter = await a.engine.send('lobby', 'c is a letter')
    const dmCpp = await a.engine.send('', 'my c++ homework', { to: b.engine.peerId })
    await until('b has the languages', () => b.delivered().length === 11)
    expect(found('c++')).toEqual([{ id: dmCpp.id, snippet: 'my [c++] homework' }, { id: cpp.id, snippet: 'I write [C++] daily, cool' }])
    expect(found('C++ daily').map(h => h.id)).toEqual([cpp.id])
    expect(found('c#').map(h => h.id)).toEqual([cs.id])
    expect(found('c').map(h => h.id)).toEqual(expect.arrayContaining([cpp.id, cs.id, letter.id, dmCpp.id]))
    // ß and ss find each other (the index folds case and accents, not ß), in public and in a DM; -word leaves out both.
    const street = await a.engine.send('lobby', 'Die Straße ist gesperrt')
    const strasse = await a.engine.send('lobby', 'welche strasse?')
    const dmStreet = await a.engine.send('', 'meet at the Großmarkt', { to: b.engine.peerId })
    await until('b has the streets', () => b.delivered().length === 14)
    expect(found('strasse').map(h => h.id)).toEqual([strasse.id, street.id])
    expect(found('STRAẞE gesperrt')).toEqual([{ id: street.id, snippet: 'Die [Straße] ist [gesperrt]' }])
    expect(found('grossmarkt')).toEqual([{ id: dmStreet.id, snippet: 'meet at the [Großmarkt]' }])
    expect(found('strasse -gesperrt').map(h => h.id)).toEqual([strasse.id])
    expect(found('welche -straße')).toEqual([])
  })

  it('a search of words written without spaces alone reads back only so far: the newest rows, not the whole history', async () => {
    const a = await startPeer('a')
    const early = await a.engine.send('lobby', 'minutes: 上周的会议记录')
    for (let i = 0; i < 60; i++) await a.engine.send('lobby', `later ${i}`)
    const late = await a.engine.send('lobby', '今天的会议取消了')
    await stopPeer(a)
    const { db } = ChatDb.open(a.dataDir)
    try {
      const ids = (scanRows?: number): string[] => db.messages('p2p').search('会议', '', undefined, 20, scanRows).map(h => h.id)
      expect(ids()).toEqual([late.id, early.id])
      // Back 30 rows, the early one is out of reach; with the index's help (another word) it is found however far back.
      expect(ids(30)).toEqual([late.id])
      expect(db.messages('p2p').search('会议 minutes', '', undefined, 20, 30).map(h => h.id)).toEqual([early.id])
    } finally {
      db.close()
    }
  })

  it('history pages from the newest back; without a page it is the newest page', async () => {
    const a = await startPeer('a')
    const sent = []
    for (let i = 0; i < 250; i++) sent.push((await a.engine.send('lobby', `m${i}`)).id)
    expect(a.engine.history('lobby').map(m => m.id)).toEqual(sent)
    const newest = a.engine.history('lobby', { limit: 100 })
    expect(newest.map(m => m.id)).toEqual(sent.slice(150))
    const older = a.engine.history('lobby', { before: newest[0]!.id, limit: 100 })
    expect(older.map(m => m.id)).toEqual(sent.slice(50, 150))
    const oldest = a.engine.history('lobby', { before: older[0]!.id, limit: 100 })
    expect(oldest.map(m => m.id)).toEqual(sent.slice(0, 50))
    expect(a.engine.history('lobby', { before: oldest[0]!.id, limit: 100 })).toEqual([])
    // Forward from a message (scrolling down from a search hit), and a window around one.
    expect(a.engine.history('lobby', { after: sent[10]!, limit: 5 }).map(m => m.id)).toEqual(sent.slice(11, 16))
    expect(a.engine.history('lobby', { after: sent[248]!, limit: 5 }).map(m => m.id)).toEqual(sent.slice(249))
    expect(a.engine.history('lobby', { around: sent[100]!, limit: 11 }).map(m => m.id)).toEqual(sent.slice(95, 106))
    expect(a.engine.history('lobby', { around: sent[1]!, limit: 11 }).map(m => m.id)).toEqual(sent.slice(0, 11))
    // At the newest, what the later side lacks the earlier one gives: still 11.
    expect(a.engine.history('lobby', { around: sent[249]!, limit: 11 }).map(m => m.id)).toEqual(sent.slice(239))
    // An id of another room is no place in this one.
    expect(a.engine.history('kitchen', { around: sent[100]!, limit: 11 })).toEqual([])
  })

  it('what a peer received survives its restart with how it came (via, hops)', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    await a.engine.send('lobby', 'remember me')
    await until('b has it', () => b.delivered().length === 1)
    const live = b.engine.history('lobby')[0]!
    await stopPeer(b)
    const again = await startPeer('b', { dataDir: b.dataDir })
    expect(again.engine.history('lobby')).toEqual([live])
    expect(live).toMatchObject({ via: a.engine.peerId, hops: 0 })
  })

  it('a client keeps each hub\'s history apart: a new hub shows only its own, going back shows the old one again', async () => {
    const one = await startHub()
    const two = await startHub()
    const c = await startClient('c', one.addr())
    await c.engine.send('lobby', 'numbered by hub one')
    await until('hub one numbered it', () => c.engine.history('lobby').some(m => m.seq === 1))
    await c.engine.dial(two.addr())
    await until('on hub two', () => c.engine.stats().failure.serverReachable === true && c.engine.ordering?.extras().server !== undefined &&
      (c.engine.ordering.extras().server as { peerId: string }).peerId === two.hub.peerId)
    expect(c.engine.history('lobby')).toEqual([])
    await c.engine.send('lobby', 'numbered by hub two')
    await until('hub two numbered it', () => c.engine.history('lobby').some(m => m.seq === 1 && m.text === 'numbered by hub two'))
    expect(c.engine.search('numbered').map(h => h.snippet)).toEqual(['[numbered] by hub two'])
    await c.engine.dial(one.addr())
    await until('back on hub one', () => c.engine.history('lobby').some(m => m.text === 'numbered by hub one'))
    expect(c.engine.history('lobby').map(m => `${m.seq}:${m.text}`)).toEqual(['1:numbered by hub one'])
  })
})
