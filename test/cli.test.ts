import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat, type Proc } from './helpers/proc.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

type Ev = Record<string, unknown> & { type: string }
const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
const messages = (p: Proc): Ev[] => p.events.filter(e => e.type === 'message')

/** A loopback port nothing listens on (the OS just gave it out and it was closed). */
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
  const { port } = server.address() as AddressInfo
  await new Promise(resolve => { server.close(resolve) })
  return port
}

function peer (name: string, dataDir = tempDir(`lanchat-${name}-`), extra: string[] = []): Proc {
  return lanchat(['peer', '--json', '--name', name, '--data', dataDir, ...LOOP, ...extra])
}

/** Alice and Bob, two `--json` processes, Bob linked to Alice by her address. */
async function linkedPair (): Promise<{ alice: Proc, bob: Proc }> {
  const alice = peer('alice')
  const ready = await alice.waitFor('ready', e => e.type === 'ready')
  const bob = peer('bob')
  await bob.waitFor('bob ready', e => e.type === 'ready')
  bob.send({ cmd: 'dial', addr: (ready.addrs as string[])[0] })
  await alice.waitFor('alice sees bob', e => e.type === 'peer:connect')
  return { alice, bob }
}

describe('bin/lanchat peer --json: the JSON-lines contract', () => {
  it('speaks the documented commands and events between two processes', async () => {
    const alice = peer('alice')
    const ready = await alice.waitFor('ready', e => e.type === 'ready')
    expect(alice.events[0]).toBe(ready)
    expect(ready).toMatchObject({ name: 'alice', mode: 'p2p' })
    const addr = (ready.addrs as string[])[0]!
    expect(addr).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3Koo/)

    const bob = peer('bob')
    await bob.waitFor('bob ready', e => e.type === 'ready')
    bob.send({ cmd: 'dial', addr })
    const conn = await bob.waitFor('bob connected', e => e.type === 'peer:connect')
    expect(conn).toMatchObject({ peerId: ready.peerId, name: 'alice' })
    expect(conn.local).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(conn.remote).toBe(addr.split('/')[2] + ':' + addr.split('/')[4])
    await alice.waitFor('alice sees bob', e => e.type === 'peer:connect' && e.name === 'bob')

    alice.send({ cmd: 'send', room: 'lobby', text: 'hi' })
    bob.send({ cmd: 'send', room: 'lobby', text: 'hello' })
    await until('both have both', () => [alice, bob].every(p => messages(p).length === 2))
    for (const m of messages(alice)) {
      expect(Object.keys(m)).toEqual(expect.arrayContaining(['id', 'room', 'author', 'name', 'text', 'lamport', 'sentAt']))
    }
    alice.send({ cmd: 'history', room: 'lobby' })
    bob.send({ cmd: 'history', room: 'lobby' })
    const [ha, hb] = await Promise.all([alice, bob].map(async p => await p.waitFor('history', e => e.type === 'history')))
    const order = (h: Ev): string[] => (h.messages as Ev[]).map(m => `${String(m.lamport)}:${String(m.text)}`)
    expect(order(ha!)).toEqual(order(hb!))
    // A window of the history: the newest one, then the one before it.
    const all = ha!.messages as Ev[]
    alice.send({ cmd: 'history', room: 'lobby', limit: 1, ref: 'newest' })
    const newest = await alice.waitFor('the newest page', e => e.type === 'history' && e.ref === 'newest')
    expect((newest.messages as Ev[]).map(m => m.id)).toEqual([all[1]!.id])
    alice.send({ cmd: 'history', room: 'lobby', limit: 1, before: all[1]!.id, ref: 'older' })
    const older = await alice.waitFor('the page before', e => e.type === 'history' && e.ref === 'older')
    expect((older.messages as Ev[]).map(m => m.id)).toEqual([all[0]!.id])
    // Nothing before the first: an empty page. An id the room does not have is an error, not an empty page.
    alice.send({ cmd: 'history', room: 'lobby', before: all[0]!.id, ref: 'oldest' })
    expect(await alice.waitFor('nothing older', e => e.type === 'history' && e.ref === 'oldest')).toMatchObject({ messages: [] })
    const first = String(all[0]!.id)
    const typo = first.slice(0, -1) + (first.endsWith('0') ? '1' : '0')
    alice.send({ cmd: 'history', room: 'lobby', after: typo, ref: 'typo' })
    expect(await alice.waitFor('a wrong id', e => e.ref === 'typo')).toMatchObject({ type: 'error', code: 'UnknownMessageError', message: expect.stringContaining(`no message ${typo} in lobby`) })
    alice.send({ cmd: 'history', room: 'random', around: all[0]!.id, ref: 'elsewhere' })
    expect(await alice.waitFor('another room\'s id', e => e.ref === 'elsewhere')).toMatchObject({ type: 'error', code: 'UnknownMessageError' })

    alice.send({ cmd: 'peers' })
    const peers = await alice.waitFor('peers', e => e.type === 'peers')
    expect(peers.peers).toEqual([expect.objectContaining({ name: 'bob', connected: true, connections: [expect.objectContaining({ remote: conn.local, local: conn.remote })] })])

    // Partition: block hangs up and refuses; unblock lets the peers meet again.
    alice.send({ cmd: 'block', peerId: String(bob.events[0]!.peerId) })
    await alice.waitFor('bob cut off', e => e.type === 'peer:disconnect')
    bob.send({ cmd: 'send', room: 'lobby', text: 'into the void' })
    alice.send({ cmd: 'unblock', peerId: String(bob.events[0]!.peerId) })
    bob.send({ cmd: 'dial', addr })
    await alice.waitFor('healed', e => e.type === 'message' && e.text === 'into the void')

    // Bad lines: a clear error each, and the peer goes on.
    const earlier = alice.events.filter(e => e.type === 'error').length
    alice.send({ cmd: 'send', room: 'lobby', text: 'x'.repeat(64 * 1024 + 1) })
    alice.child.stdin.write('this is not json\n')
    alice.send({ cmd: 'teleport' })
    alice.send({ cmd: 'send' })
    await until('four errors', () => alice.events.filter(e => e.type === 'error').length === earlier + 4)
    const errors = alice.events.filter(e => e.type === 'error').slice(earlier).map(e => String(e.message))
    expect(errors[0]).toMatch(/64 KiB/)
    expect(errors[1]).toMatch(/not JSON/)
    expect(errors[2]).toMatch(/unknown command "teleport"/)
    expect(errors[3]).toMatch(/text/)
    expect(messages(bob).some(m => String(m.text).startsWith('xxx'))).toBe(false)
    alice.send({ cmd: 'send', room: 'lobby', text: 'still here' })
    await bob.waitFor('still works', e => e.type === 'message' && e.text === 'still here')

    // stdout carries JSON events only.
    expect(alice.events.filter(e => e.type === 'not-json')).toEqual([])
    alice.send({ cmd: 'quit' })
    expect(await alice.exited).toBe(0)
    bob.child.stdin.end()
    expect(await bob.exited).toBe(0)
  })

  it('edits, deletes and reacts with {"cmd":"edit"|"delete"|"react"|"unreact"|"versions"}; every peer hears message:updated', async () => {
    const { alice, bob } = await linkedPair()
    alice.send({ cmd: 'send', text: 'frist' })
    alice.send({ cmd: 'send', text: 'oops' })
    await until('bob has both', () => messages(bob).length === 2)
    const [first, second] = messages(bob)
    alice.send({ cmd: 'edit', id: first!.id, text: 'first' })
    bob.send({ cmd: 'react', id: first!.id, emoji: '👍' })
    bob.send({ cmd: 'react', id: first!.id, emoji: '🎉' })
    bob.send({ cmd: 'unreact', id: first!.id, emoji: '🎉' })
    alice.send({ cmd: 'delete', room: 'lobby', id: second!.id })
    bob.send({ cmd: 'edit', id: first!.id, text: 'not mine' })
    const updated = (p: Proc, id: unknown): Ev | undefined => p.events.filter(e => e.type === 'message:updated' && e.id === id).at(-1)
    for (const p of [alice, bob]) {
      await until('the edit, the reaction and the delete', () =>
        updated(p, first!.id)?.text === 'first' && (updated(p, first!.id)?.reactions as Ev[] | undefined)?.length === 1 && updated(p, second!.id)?.deleted === true)
    }
    expect(updated(alice, first!.id)).toMatchObject({ edited: true, deleted: false, reactions: [{ emoji: '👍', by: [bob.events[0]!.peerId] }] })
    expect(updated(bob, second!.id)).toMatchObject({ text: '', deleted: true })
    await bob.waitFor('refused', e => e.type === 'error' && e.code === 'NotAuthorError')
    // Actions are never message events; history shows the messages as they read now.
    expect(messages(bob).map(m => m.text)).toEqual(['frist', 'oops'])
    bob.send({ cmd: 'history' })
    const h = await bob.waitFor('history', e => e.type === 'history')
    expect((h.messages as Ev[]).map(m => [m.text, m.edited, m.deleted])).toEqual([['first', true, false], ['', false, true]])
    bob.send({ cmd: 'versions', id: first!.id })
    const v = await bob.waitFor('versions', e => e.type === 'versions')
    expect((v.versions as Ev[]).map(x => x.text)).toEqual(['frist', 'first'])
    for (const p of [alice, bob]) { p.send({ cmd: 'quit' }); expect(await p.exited).toBe(0) }
  })

  it('a reaction put on is an emoji, not a word, by the rule the terminal and the window keep; any may be taken off', async () => {
    const p = peer('rea')
    await p.waitFor('ready', e => e.type === 'ready')
    p.send({ cmd: 'send', room: 'lobby', text: 'lunch?', ref: 'say' })
    const { id } = await p.waitFor('sent', e => e.ref === 'say')
    for (const emoji of ['a', 'ok', '+1']) {
      p.send({ cmd: 'react', id, emoji, ref: `word-${emoji}` })
      expect(await p.waitFor(`refused ${emoji}`, e => e.ref === `word-${emoji}`)).toMatchObject({ type: 'error', code: 'InvalidRequestError', message: expect.stringContaining('Not an emoji') })
    }
    for (const emoji of ['👍', '❤️', '🇫🇷', '1️⃣']) {
      p.send({ cmd: 'react', id, emoji, ref: `emoji-${emoji}` })
      expect(await p.waitFor(`put ${emoji}`, e => e.ref === `emoji-${emoji}`)).toMatchObject({ type: 'done', cmd: 'react', id })
    }
    // Taking one off is not held to it: a word an older build put on can still go.
    p.send({ cmd: 'unreact', id, emoji: 'a', ref: 'off' })
    expect(await p.waitFor('taken off', e => e.ref === 'off')).toMatchObject({ type: 'done', cmd: 'unreact', id })
    const shown = (): string[] => ((p.events.filter(e => e.type === 'message:updated' && e.id === id).at(-1)?.reactions ?? []) as Array<{ emoji: string }>).map(r => r.emoji)
    await until('the emoji on it', () => shown().length === 4)
    expect(shown().sort()).toEqual(['👍', '❤️', '🇫🇷', '1️⃣'].sort())
    p.send({ cmd: 'quit' })
    expect(await p.exited).toBe(0)
  })

  it('pins with {"cmd":"pin"} (and "on": false) and lists with {"cmd":"pins"}; every peer hears message:updated with "pinned"', async () => {
    const { alice, bob } = await linkedPair()
    alice.send({ cmd: 'send', text: 'the homework link' })
    alice.send({ cmd: 'send', text: 'small talk' })
    await until('bob has both', () => messages(bob).length === 2)
    const [link] = messages(bob)
    const bobId = bob.events[0]!.peerId
    bob.send({ cmd: 'pin', id: link!.id, ref: 'p' })
    expect(await bob.waitFor('pin done', e => e.ref === 'p')).toMatchObject({ type: 'done', cmd: 'pin', id: link!.id })
    const pinned = (p: Proc): Ev | undefined => p.events.filter(e => e.type === 'message:updated' && e.id === link!.id).at(-1)
    for (const p of [alice, bob]) await until('pinned by bob', () => (pinned(p)?.pinned as Ev | undefined)?.by === bobId)
    alice.send({ cmd: 'pins', room: 'lobby' })
    const list = await alice.waitFor('pins', e => e.type === 'pins')
    expect(list).toMatchObject({ type: 'pins', room: 'lobby', messages: [{ id: link!.id, text: 'the homework link', pinned: { by: bobId } }] })
    // The pin is never a message event, and an older build's line for it is never shown.
    expect(messages(alice).map(m => m.text)).toEqual(['the homework link', 'small talk'])
    alice.send({ cmd: 'pin', id: link!.id, on: false })
    for (const p of [alice, bob]) await until('unpinned', () => pinned(p) !== undefined && pinned(p)!.pinned === undefined)
    bob.send({ cmd: 'pins', room: 'lobby', ref: 'after' })
    expect(await bob.waitFor('pins after', e => e.ref === 'after')).toMatchObject({ type: 'pins', room: 'lobby', messages: [] })
    bob.send({ cmd: 'pin', id: 'f'.repeat(64) })
    await bob.waitFor('refused', e => e.type === 'error' && e.code === 'UnknownMessageError')
    for (const p of [alice, bob]) { p.send({ cmd: 'quit' }); expect(await p.exited).toBe(0) }
  })

  it('a kill -9 in the middle of a burst loses no announced message and duplicates none', async () => {
    const dir = tempDir('lanchat-crash-')
    const p = peer('crashy', dir)
    await p.waitFor('ready', e => e.type === 'ready')
    for (let i = 0; i < 3000; i++) p.send({ cmd: 'send', room: 'lobby', text: `line ${i}` })
    await until('writing', () => messages(p).length > 200)
    await p.kill('SIGKILL')
    const announced = messages(p).length

    const again = peer('crashy', dir)
    await again.waitFor('ready again', e => e.type === 'ready')
    again.send({ cmd: 'history', room: 'lobby' })
    const h = await again.waitFor('history', e => e.type === 'history')
    const texts = (h.messages as Ev[]).map(m => String(m.text))
    // Committed before announced: every announced message is there, once, in order.
    expect(texts.length).toBeGreaterThanOrEqual(announced)
    expect(texts).toEqual(texts.map((_, i) => `line ${i}`))
    // The clock and the author's chain go on from there.
    again.send({ cmd: 'send', room: 'lobby', text: 'after the crash' })
    const m = await again.waitFor('sent', e => e.type === 'message' && e.text === 'after the crash')
    expect(Number(m.lamport)).toBeGreaterThan(texts.length)
    expect(existsSync(join(dir, 'lanchat.db'))).toBe(true)
  })

  it('a receiver killed -9 mid-stream reopens with every message it announced', async () => {
    const alice = peer('alice')
    const ready = await alice.waitFor('ready', e => e.type === 'ready')
    const dir = tempDir('lanchat-receiver-')
    const bob = peer('bob', dir)
    await bob.waitFor('bob ready', e => e.type === 'ready')
    bob.send({ cmd: 'dial', addr: (ready.addrs as string[])[0] })
    await bob.waitFor('connected', e => e.type === 'peer:connect')
    for (let i = 0; i < 3000; i++) alice.send({ cmd: 'send', room: 'lobby', text: `line ${i}` })
    await until('bob receiving', () => messages(bob).length > 300)
    await bob.kill('SIGKILL')
    const announced = messages(bob).map(m => String(m.id))
    // Alice goes too: bob must not get anything back by catch-up.
    await alice.kill('SIGKILL')

    const again = peer('bob', dir)
    await again.waitFor('ready again', e => e.type === 'ready')
    again.send({ cmd: 'history', room: 'lobby' })
    const h = await again.waitFor('history', e => e.type === 'history')
    const stored = new Set((h.messages as Ev[]).map(m => String(m.id)))
    expect(announced.filter(id => !stored.has(id))).toEqual([])
    expect(stored.size).toBe((h.messages as Ev[]).length)
  })

  it('--dial at start takes ip:port and keeps trying a peer that is not up yet; --listen takes ip:port', async () => {
    const port = await freePort()
    const bob = peer('bob', undefined, ['--dial', `127.0.0.1:${port}`])
    const refused = await bob.waitFor('the dial refused', e => e.type === 'error')
    expect(refused.message).toBe(`dial 127.0.0.1:${port}: Nothing is listening at 127.0.0.1:${port}. Is LAN Chat running there, and is the port right? Trying again until it answers.`)
    // A code as a command's error has (a {"cmd":"dial"} refused the same way is a ConnectError too).
    expect(refused.code).toBe('ConnectError')
    const alice = lanchat(['peer', '--json', '--name', 'alice', '--data', tempDir('lanchat-alice-'), '--no-mdns', '--listen', `/ip4/127.0.0.1/tcp/${port}`])
    await bob.waitFor('bob reaches alice once she is up', e => e.type === 'peer:connect' && e.name === 'alice', 20_000)
    alice.send({ cmd: 'send', room: 'lobby', text: 'you found me' })
    await bob.waitFor('her message', e => e.type === 'message' && e.text === 'you found me')
    // Told once, not at every try.
    expect(bob.events.filter(e => e.type === 'error')).toHaveLength(1)
    // Something that answers and is not LAN Chat to us is not said to be waited on "until it answers": it did.
    const ssh = createServer(socket => { socket.end('SSH-2.0-OpenSSH_9.6\r\n') })
    await new Promise<void>(resolve => ssh.listen(0, '127.0.0.1', resolve))
    try {
      const where = `127.0.0.1:${(ssh.address() as AddressInfo).port}`
      const eve = peer('eve', undefined, ['--dial', where])
      const odd = await eve.waitFor('the dial answered oddly', e => e.type === 'error')
      expect(odd.message).toMatch(new RegExp(`^dial ${where}: ${where} answered, but the two could not talk: .* Trying again now and then, in case that changes\\.$`))
      expect(odd.code).toBe('ConnectError')
    } finally {
      ssh.close()
    }
    // An address that is none: said at start, not tried; --listen reads ip:port too.
    const bad = peer('carol', undefined, ['--dial', 'not an address'])
    expect(await bad.exited).toBe(2)
    expect(bad.stderr.join('\n')).toMatch(/--dial: .*not an address/)
    const badListen = lanchat(['peer', '--json', '--name', 'dan', '--data', tempDir('lanchat-dan-'), '--no-mdns', '--listen', '127.0.0.1:99999'])
    expect(await badListen.exited).toBe(2)
    expect(badListen.stderr.join('\n')).toMatch(/--listen: "127\.0\.0\.1:99999" has port 99999/)
    // A mistyped option: refused, with the one it most likely meant; one like none is refused alone.
    const typo = lanchat(['peer', '--lisen', '127.0.0.1:0'])
    expect(await typo.exited).toBe(2)
    expect(typo.stderr[0]).toBe("lanchat: Unknown option '--lisen' (did you mean --listen?)")
    const other = lanchat(['server', '--frobnicate'])
    expect(await other.exited).toBe(2)
    expect(other.stderr[0]).toMatch(/^lanchat: Unknown option '--frobnicate'/)
    expect(other.stderr[0]).not.toMatch(/did you mean/)
    const eve = lanchat(['peer', '--json', '--name', 'eve', '--data', tempDir('lanchat-eve-'), '--no-mdns', '--listen', '127.0.0.1:0'])
    expect((await eve.waitFor('eve ready', e => e.type === 'ready')).addrs).toEqual([expect.stringMatching(/^\/ip4\/127\.0\.0\.1\/tcp\/[1-9]\d*\/p2p\//)])
  })

  it('--help after a subcommand, and help, print the usage and exit 0; the peer\'s first line names every option', async () => {
    const out = (p: Proc): string => p.events.map(e => String(e.line)).join('\n')
    for (const args of [['peer', '--help'], ['peer', '-h'], ['help', 'peer'], ['peer', '--json', '--help']]) {
      const p = lanchat(args)
      expect(await p.exited).toBe(0)
      expect(out(p)).toMatch(/^usage:\n {2}lanchat peer \[--json\]/)
      expect(out(p)).not.toMatch(/lanchat server/)
      expect(p.stderr).toEqual([])
    }
    const peerHelp = lanchat(['peer', '--help'])
    await peerHelp.exited
    // The synopsis, before the option list, has them all (client mode, the key, files).
    const synopsis = out(peerHelp).split('\n\n')[0]!
    for (const flag of ['--mode', '--server', '--network-key', '--network-key-file', '--downloads', '--max-file-mb', '--keep-others-gb']) expect(synopsis).toContain(flag)
    // A peer keeps last run's port, as the server does: the help does not promise a new free one each start.
    expect(out(peerHelp)).toMatch(/--listen ADDR .*\(default: the last run's port on all interfaces, else a\s+free one; port 0 too\)/)
    for (const args of [['server', '--help'], ['help', 'server']]) {
      const p = lanchat(args)
      expect(await p.exited).toBe(0)
      expect(out(p)).toMatch(/^usage:\n {2}lanchat server \[--json\] \[--name NAME\]/)
      expect(out(p)).toContain('--keep-files-gb N')
    }
    const all = lanchat(['help'])
    expect(await all.exited).toBe(0)
    expect(out(all)).toMatch(/lanchat peer[\s\S]*lanchat server[\s\S]*lanchat network-key/)
    // The README's synopsis takes the same options as the help's, for each subcommand.
    const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8')
    const block = /## The headless peer: `bin\/lanchat`\n\n```\n([\s\S]*?)```/.exec(readme)![1]!
    const flags = (text: string): string[] => [...new Set(text.match(/--[a-z-]+/g))].sort()
    for (const sub of ['peer', 'server']) {
      const help = lanchat([sub, '--help'])
      await help.exited
      const documented = block.split(/\n(?=bin\/lanchat )/).find(part => part.startsWith(`bin/lanchat ${sub} `))!
      expect(flags(documented)).toEqual(flags(out(help).split('\n\n')[0]!))
    }
    const none = lanchat(['frob'])
    expect(await none.exited).toBe(2)
    expect(none.stderr[0]).toBe('lanchat: unknown subcommand "frob" (peer, server, network-key or help)')
  })

  it('cancel of a file not downloading is an error a script can branch on, and a line a person reads', async () => {
    const p = peer('cy')
    await p.waitFor('ready', e => e.type === 'ready')
    p.send({ cmd: 'cancel', id: 'ab'.repeat(32), ref: 1 })
    expect(await p.waitFor('refused', e => e.type === 'error' && e.ref === 1)).toMatchObject({ code: 'NotDownloadingError', message: 'abababab is not downloading: nothing to cancel' })
    // A file this peer knows is named by its name, not by its id.
    const path = join(tempDir('lanchat-cy-file-'), 'minutes.txt')
    writeFileSync(path, 'what was said')
    p.send({ cmd: 'file', room: 'lobby', path })
    await until('shared', () => messages(p).length === 1)
    p.send({ cmd: 'cancel', id: String(messages(p)[0]!.id), ref: 2 })
    expect(await p.waitFor('refused again', e => e.type === 'error' && e.ref === 2)).toMatchObject({ code: 'NotDownloadingError', message: 'minutes.txt is not downloading: nothing to cancel' })
    const t = lanchat(['peer', '--name', 'cy2', '--data', tempDir('lanchat-cy2-'), ...LOOP])
    const said = (): string[] => t.events.filter(e => e.type === 'not-json').map(e => String(e.line))
    await until('banner', () => said().some(l => l.startsWith('LAN Chat peer')))
    t.child.stdin.write(`/cancel ${'cd'.repeat(32)}\n`)
    await until('told', () => said().includes('! cdcdcdcd is not downloading: nothing to cancel'))
  })

  it('a download of a file saved already is answered first, then file:done, as any download is: a script waiting for its answer and then for file:done is not left waiting', async () => {
    const p = peer('dee', undefined, ['--downloads', tempDir('lanchat-dee-dl-')])
    await p.waitFor('ready', e => e.type === 'ready')
    const path = join(tempDir('lanchat-dee-file-'), 'minutes.txt')
    writeFileSync(path, 'what was said')
    p.send({ cmd: 'file', room: 'lobby', path })
    await until('shared', () => messages(p).length === 1)
    const id = String(messages(p)[0]!.id)
    for (const ref of [1, 2]) {
      const from = p.events.length
      p.send({ cmd: 'download', id, ref })
      await until(`saved (${ref})`, () => p.events.slice(from).some(e => e.type === 'file:done'))
      await until(`answered (${ref})`, () => p.events.slice(from).some(e => e.ref === ref))
      expect(p.events.slice(from).filter(e => e.ref === ref || e.type === 'file:done').map(e => e.type)).toEqual(['download', 'file:done'])
    }
  })

  it('searches with {"cmd":"search"} and answers {"type":"search", hits}', async () => {
    const p = peer('finder')
    await p.waitFor('ready', e => e.type === 'ready')
    p.send({ cmd: 'send', room: 'lobby', text: 'where is the pineapple' })
    p.send({ cmd: 'send', room: 'garden', text: 'a pineapple plant' })
    await until('sent', () => messages(p).length === 2)
    p.send({ cmd: 'search', q: 'pineapple', room: 'garden' })
    const found = await p.waitFor('search', e => e.type === 'search')
    expect(found).toEqual({ type: 'search', q: 'pineapple', room: 'garden', hits: [expect.objectContaining({ room: 'garden', id: messages(p)[1]!.id, snippet: 'a [pineapple] plant' })] })
    p.send({ cmd: 'search', q: '  ' })
    const bad = await p.waitFor('error', e => e.type === 'error')
    expect(bad.code).toBe('InvalidRequestError')
    p.send({ cmd: 'quit' })
    expect(await p.exited).toBe(0)
  })

  it('a string with a lone surrogate (invalid UTF-16, "\\ud800" in JSON) is sent as what every peer reads: U+FFFD, the same for the sender', async () => {
    const alice = peer('alice')
    const ready = await alice.waitFor('ready', e => e.type === 'ready')
    const bob = peer('bob', tempDir('lanchat-bob-'), ['--dial', (ready.addrs as string[])[0]!])
    await bob.waitFor('bob connected', e => e.type === 'peer:connect')
    alice.send({ cmd: 'send', room: 'lobby', text: 'bad \ud800 half \udc00 pair 😀' })
    await until('both have it', () => messages(alice).length === 1 && messages(bob).length === 1)
    expect(messages(alice)[0]!.text).toBe('bad \ufffd half \ufffd pair 😀')
    expect(messages(bob)[0]!.text).toBe(messages(alice)[0]!.text)
    expect(messages(bob)[0]!.id).toBe(messages(alice)[0]!.id)
    for (const p of [alice, bob]) p.send({ cmd: 'quit' })
    expect(await alice.exited).toBe(0)
  })

  it('gives a command\'s "ref" back on its answer and on its error, so a script tells them from what arrives meanwhile', async () => {
    const p = peer('scripted')
    await p.waitFor('ready', e => e.type === 'ready')
    p.send({ cmd: 'send', room: 'lobby', text: 'one' })
    await until('sent', () => messages(p).length === 1)
    p.send({ cmd: 'history', room: 'lobby', ref: 'h1' })
    p.send({ cmd: 'search', q: '  ', ref: 7 })
    p.send({ cmd: 'frobnicate', ref: 'bad-cmd' })
    p.send({ cmd: 'history', ref: { not: 'a ref' } })
    p.send({ cmd: 'peers' })
    const history = await p.waitFor('history h1', e => e.type === 'history' && e.ref === 'h1')
    expect((history.messages as Ev[]).map(m => m.text)).toEqual(['one'])
    expect(await p.waitFor('search error', e => e.type === 'error' && e.ref === 7)).toMatchObject({ code: 'InvalidRequestError' })
    expect(await p.waitFor('unknown command', e => e.type === 'error' && e.ref === 'bad-cmd')).toMatchObject({ code: 'CommandError', message: 'unknown command "frobnicate": {"cmd":"help"} lists the commands' })
    const refused = await p.waitFor('a bad ref', e => e.type === 'error' && /"ref"/.test(String(e.message)))
    expect(refused).not.toHaveProperty('ref')
    // Without a ref, an answer is as it always was.
    expect(await p.waitFor('peers', e => e.type === 'peers')).not.toHaveProperty('ref')
    // A command with no answer of its own is answered "done" when it has a ref: a send, with its message's id.
    p.send({ cmd: 'send', room: 'lobby', text: 'two', ref: 'say' })
    const done = await p.waitFor('send done', e => e.ref === 'say')
    expect(done).toEqual({ type: 'done', cmd: 'send', id: expect.stringMatching(/^[0-9a-f]{64}$/), room: 'lobby', ref: 'say' })
    // Help lists every command with the fields it takes; each one it lists is one the peer knows.
    p.send({ cmd: 'help', ref: 'help' })
    const help = await p.waitFor('help', e => e.type === 'help' && e.ref === 'help')
    const commands = help.commands as Record<string, string[]>
    expect(commands.send).toEqual(['room', 'to', 'text', 'replyTo'])
    expect(commands.quit).toEqual([])
    for (const cmd of Object.keys(commands)) {
      p.send({ cmd, ref: `try-${cmd}`, unheardOf: 1 })
    }
    for (const cmd of Object.keys(commands)) {
      const said = await p.waitFor(`${cmd} known`, e => e.ref === `try-${cmd}`)
      expect(said.message, cmd).toMatch(new RegExp(`^"${cmd}" does not take "unheardOf"`))
    }
    await until('its message', () => messages(p).some(m => m.id === done.id && m.text === 'two'))
    p.send({ cmd: 'react', id: done.id, emoji: '👍', ref: 'like' })
    expect(await p.waitFor('react done', e => e.ref === 'like')).toMatchObject({ type: 'done', cmd: 'react', id: done.id })
    p.send({ cmd: 'status', text: 'scripting', ref: 'st' })
    expect(await p.waitFor('status done', e => e.ref === 'st')).toEqual({ type: 'done', cmd: 'status', ref: 'st' })
    // Without a ref, a send is told by its message event alone, as before.
    p.send({ cmd: 'send', room: 'lobby', text: 'three' })
    await until('three', () => messages(p).some(m => m.text === 'three'))
    expect(p.events.filter(e => e.type === 'done')).toHaveLength(3)
    // The server's JSON takes refs alike.
    const hub = lanchat(['server', '--json', '--data', tempDir('lanchat-ref-hub-'), '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'])
    await hub.waitFor('hub ready', e => e.type === 'ready')
    hub.send({ cmd: 'stats', ref: 's' })
    hub.send({ cmd: 'send', text: 'no', ref: 'peer-only' })
    expect(await hub.waitFor('stats', e => e.type === 'stats')).toMatchObject({ ref: 's' })
    expect(await hub.waitFor('refused', e => e.type === 'error')).toMatchObject({ ref: 'peer-only', code: 'CommandError' })
    // A quit asked with a ref is answered once everything has stopped, and the process ends.
    for (const x of [p, hub]) x.send({ cmd: 'quit', ref: 'bye' })
    for (const x of [p, hub]) {
      expect(await x.exited).toBe(0)
      expect(x.events.at(-1)).toMatchObject({ type: 'done', cmd: 'quit', ref: 'bye' })
    }
  })

  it('the terminal chat prints messages with their Lamport stamps', async () => {
    const p = lanchat(['peer', '--name', 'tess', '--data', tempDir('lanchat-tty-'), ...LOOP])
    await until('banner', () => p.events.some(e => e.type === 'not-json' && /LAN Chat peer "tess"/.test(String(e.line))))
    p.child.stdin.write('hello there\n')
    await until('echoed', () => p.events.some(e => e.type === 'not-json' && /\[L1 .*\] you: hello there/.test(String(e.line))))
    p.child.stdin.write('/quit\n')
    expect(await p.exited).toBe(0)
  })

  it('runs its engine with a 128 MiB floor under V8\'s old-generation limit and heap flags its V8 knows (BENCHMARKS.md, "The engine\'s heap")', async () => {
    const p = peer('heap')
    await p.waitFor('ready', e => e.type === 'ready')
    // bin/lanchat execs Node: the script's process is the engine's. Node's own flags come before the script.
    const argv = readFileSync(`/proc/${String(p.child.pid)}/cmdline`, 'utf8').split('\0')
    expect(argv.slice(1, argv.findIndex(a => a.endsWith('out/main/cli.js')))).toContain('--initial-old-space-size=128')
    // The flags the engine sets on itself at start (main/app/heap.ts) are all ones this V8 knows: it names any it does not.
    expect(p.stderr.join('\n')).not.toMatch(/unrecognized flag|arguments were ignored/)
    p.send({ cmd: 'quit' })
    expect(await p.exited).toBe(0)
  })
})

// procfs answers ENOENT to a mkdir in a directory that is there (as an automounter's directory does):
// Node's own recursive mkdir then loops forever at full CPU, deaf to SIGTERM.
describe.runIf(existsSync('/proc/self'))('bin/lanchat peer: a directory that cannot be made', () => {
  it('--data there stops the start with what is wrong, exit 1, not a peer spinning forever', async () => {
    const p = lanchat(['peer', '--json', '--data', `/proc/lanchat-${process.pid}/data`, ...LOOP])
    const exited = await Promise.race([p.exited, new Promise(resolve => setTimeout(() => { resolve('still running') }, 20_000))])
    if (exited === 'still running') p.child.kill('SIGKILL')
    expect(exited).toBe(1)
    expect(p.stderr.join('\n')).toBe(`lanchat: Cannot create the data directory /proc/lanchat-${process.pid}/data: ENOENT: no such file or directory, mkdir '/proc/lanchat-${process.pid}'`)
  })

  it('--downloads there fails the download with what is wrong, and the peer answers on', async () => {
    const alice = peer('alice')
    const ready = await alice.waitFor('ready', e => e.type === 'ready')
    const bob = peer('bob', undefined, ['--downloads', `/proc/lanchat-${process.pid}/downloads`, '--dial', (ready.addrs as string[])[0]!])
    await bob.waitFor('linked', e => e.type === 'peer:connect')
    const path = join(tempDir('lanchat-alice-file-'), 'minutes.txt')
    writeFileSync(path, 'what was said')
    alice.send({ cmd: 'file', room: 'lobby', path })
    const shared = await bob.waitFor('the file', e => e.type === 'message')
    bob.send({ cmd: 'download', id: shared.id, ref: 'get' })
    expect(await bob.waitFor('failed', e => e.type === 'file:failed', 20_000)).toMatchObject({ code: 'FileWriteError' })
    bob.send({ cmd: 'rooms', ref: 'after' })
    expect(await bob.waitFor('still answering', e => e.ref === 'after')).toMatchObject({ type: 'rooms' })
  })
})

describe('bin/lanchat: a --name that is no display name', () => {
  it('stops the start of a peer or a hub with what is wrong with it (exit 2, as any bad option), not the engine\'s stack', async () => {
    for (const [name, said] of [['', 'A display name cannot be empty'], ['x'.repeat(65), 'A display name is at most 64 characters'], ['two\nlines', 'A display name cannot contain control characters']]) {
      for (const sub of ['peer', 'server']) {
        const p = lanchat([sub, '--json', '--name', name!, '--data', tempDir('lanchat-badname-'), ...LOOP])
        expect(await p.exited).toBe(2)
        expect(p.stderr[0]).toBe(`lanchat: --name: ${said}`)
        expect(p.stderr.join('\n')).not.toMatch(/\n\s+at /)
      }
    }
  })
})

describe('bin/lanchat peer: an empty --downloads', () => {
  it('stops the start saying a folder is needed (exit 2), not a peer saving files wherever it was started', async () => {
    const p = peer('dan', undefined, ['--downloads', ''])
    expect(await p.exited).toBe(2)
    expect(p.stderr[0]).toBe('lanchat: --downloads needs a folder, not an empty one (without --downloads, files go to ~/Downloads)')
  })
})

describe('bin/lanchat peer: an address that could never be dialed', () => {
  it('--dial with a peer id that is none, or a transport LAN Chat does not run, stops the start (exit 2), not retried forever', async () => {
    for (const [addr, said] of [
      ['/ip4/127.0.0.1/tcp/4001/p2p/notapeerid', 'ends in "notapeerid", which is not a peer id'],
      ['/ip4/127.0.0.1/tcp/4001/ws', 'goes on after its port with /ws']
    ]) {
      const p = peer('dan', undefined, ['--dial', addr!])
      expect(await p.exited).toBe(2)
      expect(p.stderr[0]).toContain(`lanchat: --dial: "${addr}" ${said}`)
    }
  })
})


describe('bin/lanchat help SUBCOMMAND', () => {
  it('names a subcommand there is none of, exit 2, not some other usage (or a JavaScript function\'s source); network-key takes nothing after it', async () => {
    for (const word of ['bogus', 'constructor', 'toString']) {
      const p = lanchat(['help', word])
      expect(await p.exited).toBe(2)
      expect(p.stderr[0]).toBe(`lanchat: help: there is no subcommand "${word}" (peer, server or network-key)`)
      expect(p.events).toEqual([])
    }
    const key = lanchat(['network-key', '--json'])
    expect(await key.exited).toBe(2)
    expect(key.stderr[0]).toBe('lanchat: network-key takes nothing after it, not "--json"')
    const server = lanchat(['help', 'server'])
    expect(await server.exited).toBe(0)
    expect(server.events.map(e => String(e.line))[1]).toMatch(/^ {2}lanchat server /)
  })
})
