import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { cleanup, connect, startPeer, tempDir, until } from './helpers/peers.js'
import { forge } from './helpers/forge.js'
import { PIN_TEXT } from '../main/core/edits.js'
import { ensureBuilt, killAll, lanchat as startLanchat, type Proc } from './helpers/proc.js'
import { ASLEEP_MS } from '../main/app/terminal.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

type Ev = Record<string, unknown> & { type: string }
const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
const lines = (p: Proc): string[] => p.events.filter(e => e.type === 'not-json').map(e => String(e.line))
const saw = (p: Proc, re: RegExp): boolean => lines(p).some(l => re.test(l))

/**
 * `cmd` on a real terminal (a pseudo-terminal), as a person's shell runs it: util-linux `script` runs it with
 * $SHELL -c. Ended after the test whether it passed or not: `script`'s child leads a session and process group
 * of its own (the pty's), so killing `script` alone left it, and bin/lanchat under it, running through the rest
 * of the file. The group goes first (its id is that child's pid), then `script`.
 */
function atTerminal (cmd: string): ChildProcessWithoutNullStreams {
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: 'pipe' })
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise(resolve => { child.once('exit', resolve) })
    let leaders: number[] = []
    // ps exits 1 when there is none.
    try { leaders = execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)]).toString().split('\n').map(Number).filter(pid => pid > 0) } catch { /* none */ }
    for (const pid of leaders) {
      try { process.kill(-pid, 'SIGKILL') } catch {
        try { process.kill(pid, 'SIGKILL') } catch { /* gone */ }
      }
    }
    child.kill('SIGKILL')
    await exited
  })
  return child
}

/**
 * bin/lanchat through pipes (a --json peer or hub, or one whose lines are for a person), ended with the test
 * that started it, passed, failed or timed out, as atTerminal's processes are: not left running through the
 * rest of the file. One that ended on its own, or that the test killed, is left alone.
 */
function lanchat (args: string[]): Proc {
  const p = startLanchat(args)
  onTestFinished(async () => { await p.kill() })
  return p
}

/**
 * Ann, a --json peer, and Pat at a real terminal (a pseudo-terminal: `script`) linked to her: `out()` is
 * all Pat's terminal showed so far. Both are ended after the test if they did not quit.
 */
async function patAtTerminalLinkedToAnn (): Promise<{ ann: Proc, child: ChildProcessWithoutNullStreams, out: () => string }> {
  const ann = lanchat(['peer', '--json', '--name', 'ann', '--data', tempDir('lanchat-ann-'), ...LOOP])
  const ready = await ann.waitFor('ann ready', e => e.type === 'ready')
  const bin = join(resolve(import.meta.dirname, '..'), 'bin/lanchat')
  // exec: script runs the command with $SHELL -c, and a dash (/bin/sh, the shell when SHELL is not set, as in
  // CI) forks for it where bash execs; exec'd, script's child is always the process that reads the keys.
  const cmd = ['exec', bin, 'peer', '--name', 'pat', '--data', tempDir('lanchat-pty-'), ...LOOP, '--dial', String((ready.addrs as string[])[0])].join(' ')
  const child = atTerminal(cmd)
  let out = ''
  child.stdout.on('data', (b: Buffer) => { out += b.toString() })
  await until('linked', () => out.includes('* ann joined'), 20_000)
  return { ann, child, out: () => out }
}

/** Ann at a terminal, and Ben and Cat, each given her address: she prints both joining. */
async function threeTerminals (): Promise<{ ann: Proc, ben: Proc, cat: Proc }> {
  const ann = terminalPeer('ann')
  await until('address', () => saw(ann, /^ {2}127\.0\.0\.1:\d+$/))
  const addr = lines(ann).find(l => /^ {2}127\.0\.0\.1:\d+$/.test(l))!.trim()
  const ben = lanchat(['peer', '--name', 'ben', '--data', tempDir('lanchat-ben-'), ...LOOP, '--dial', addr])
  const cat = lanchat(['peer', '--name', 'cat', '--data', tempDir('lanchat-cat-'), ...LOOP, '--dial', addr])
  await until('both joined ann', () => saw(ann, /^\* ben joined/) && saw(ann, /^\* cat joined/))
  return { ann, ben, cat }
}

/** A terminal peer (no --json): stdout is lines for a person. */
function terminalPeer (name: string, dataDir = tempDir(`lanchat-${name}-`), extra: string[] = []): Proc {
  return lanchat(['peer', '--name', name, '--data', dataDir, ...LOOP, ...extra])
}

describe('bin/lanchat peer in a terminal', () => {
  it('a second peer on a data directory in use stops with an error naming the other process and --name', async () => {
    const dir = tempDir('lanchat-shared-')
    const first = lanchat(['peer', '--json', '--data', dir, ...LOOP])
    const ready = await first.waitFor('first ready', e => e.type === 'ready')
    const second = lanchat(['peer', '--json', '--data', dir, ...LOOP])
    expect(await second.exited).toBe(1)
    const said = second.stderr.join('\n')
    expect(said).toContain(`in use by process ${first.child.pid!}`)
    expect(said).toMatch(/--name NAME/)
    expect(said).not.toMatch(/\n\s+at /)
    expect(second.events.filter(e => e.type === 'ready')).toEqual([])
    // The first one is untouched, and once it is gone the directory can be used again (same identity).
    first.send({ cmd: 'quit' })
    expect(await first.exited).toBe(0)
    const third = lanchat(['peer', '--json', '--data', dir, ...LOOP])
    expect(await third.waitFor('third ready', e => e.type === 'ready')).toMatchObject({ peerId: ready.peerId })
    third.send({ cmd: 'quit' })
    expect(await third.exited).toBe(0)
  })

  it('with stdin from /dev/null (systemd, a container without -i, nohup at a terminal) runs until SIGTERM, a hangup ignored; the end of a pipe ends it, a hangup too', async () => {
    /** bin/lanchat with stdin from /dev/null: read-only as systemd and `< /dev/null` give it, or write-only as nohup does. */
    const service = (args: string[], mode: 'r' | 'w') => {
      const input = openSync('/dev/null', mode)
      const child = spawn(resolve('bin/lanchat'), args, { stdio: [input, 'pipe', 'pipe'] })
      closeSync(input)
      const io = { out: '', err: '' }
      child.stdout!.on('data', (b: Buffer) => { io.out += b.toString() })
      child.stderr!.on('data', (b: Buffer) => { io.err += b.toString() })
      const exited = new Promise<number | null>(done => { child.on('exit', code => { done(code) }) })
      onTestFinished(() => { if (child.exitCode === null) child.kill('SIGKILL') })
      return { child, io, exited }
    }
    const addrOf = (out: string): string => (JSON.parse(out.split('\n').find(l => l.includes('"type":"ready"'))!) as { addrs: string[] }).addrs[0]!
    const peer = service(['peer', '--json', '--data', tempDir('lanchat-service-'), ...LOOP], 'r')
    const hub = service(['server', '--json', '--data', tempDir('lanchat-service-hub-'), '--no-mdns', '--listen', '127.0.0.1:0'], 'w')
    await until('both ready', () => peer.io.out.includes('"type":"ready"') && hub.io.out.includes('"type":"ready"'))
    await until('the peer says how it runs', () => peer.io.err.includes('reading commands from /dev/null: running until stopped'))
    // A hangup (the ssh session that started them ends) changes nothing.
    peer.child.kill('SIGHUP')
    hub.child.kill('SIGHUP')
    // Still there after that, the end of their input long read: a peer and a client reach them.
    const other = lanchat(['peer', '--json', '--data', tempDir('lanchat-other-'), ...LOOP, '--dial', addrOf(peer.io.out)])
    const client = lanchat(['peer', '--json', '--data', tempDir('lanchat-client-'), '--no-mdns', '--mode', 'client', '--server', addrOf(hub.io.out)])
    await other.waitFor('linked', e => e.type === 'peer:connect')
    await client.waitFor('linked to the hub', e => e.type === 'peer:connect')
    for (const x of [peer, hub]) {
      expect(x.child.exitCode).toBeNull()
      expect(x.io.err).not.toMatch(/EBADF|Unhandled|\n\s+at /)
      x.child.kill('SIGTERM')
      expect(await x.exited).toBe(0)
    }
    // A pipe's end is a script's last command: the peer quits (as before). A hangup of one at a terminal stops it gracefully.
    other.child.stdin.end()
    expect(await other.exited).toBe(0)
    await client.kill('SIGHUP')
    expect(await client.exited).toBe(0)
  })

  it('a script that stops reading its output ends the peer gracefully, no stack trace; a hub whose output is gone keeps serving', async () => {
    const peer = lanchat(['peer', '--json', '--data', tempDir('lanchat-pipe-'), ...LOOP])
    await peer.waitFor('ready', e => e.type === 'ready')
    peer.child.stdout.destroy()
    // Something to say: the peer's next event meets the closed pipe.
    peer.send({ cmd: 'peers' })
    expect(await peer.exited).toBe(0)
    expect(peer.stderr.join('\n')).not.toMatch(/EPIPE|Unhandled|\n\s+at /)

    const hubDir = tempDir('lanchat-pipe-hub-')
    const hub = lanchat(['server', '--json', '--data', hubDir, '--no-mdns', '--listen', '127.0.0.1:0'])
    const up = await hub.waitFor('hub ready', e => e.type === 'ready')
    hub.child.stdout.destroy()
    // A client joins (the hub tells of it on the closed stdout) and is served.
    const client = lanchat(['peer', '--json', '--data', tempDir('lanchat-pipe-client-'), '--no-mdns', '--mode', 'client', '--server', String((up.addrs as string[])[0])])
    await client.waitFor('linked to the hub', e => e.type === 'peer:connect')
    client.send({ cmd: 'send', text: 'still served' })
    await client.waitFor('numbered by the hub', e => e.type === 'message' && e.text === 'still served' && typeof e.seq === 'number')
    expect(hub.child.exitCode).toBeNull()
    await hub.kill('SIGTERM')
    expect(await hub.exited).toBe(0)
    expect(hub.stderr.join('\n')).not.toMatch(/EPIPE|Unhandled|\n\s+at /)
  })

  it('has /help, /join, /room, /rooms, /leave, /reply; an unknown /command is refused, not sent', async () => {
    const a = terminalPeer('ann')
    await until('banner', () => saw(a, /LAN Chat peer "ann"/))
    // Its address as people type it (/dial, the app's Connect dialog), not the multiaddr.
    await until('address', () => saw(a, /^ {2}127\.0\.0\.1:\d+$/))
    a.child.stdin.write('/help\n')
    await until('help', () => saw(a, /\/join ROOM/))
    a.child.stdin.write('/frobnicate now\n')
    await until('refused', () => saw(a, /^! unknown command \/frobnicate, try \/help/))
    a.child.stdin.write('/join Design\n')
    await until('joined', () => saw(a, /^\* typing in #design/))
    a.child.stdin.write('in design\n')
    await until('said in design', () => saw(a, /\] you: in design$/))
    a.child.stdin.write('/rooms\n')
    await until('listed', () => saw(a, /^\* #design$/) && saw(a, /^ {2}#lobby$/))
    a.child.stdin.write('/leave\n')
    await until('left', () => saw(a, /^\* left #design; typing in #lobby/))
    a.child.stdin.write('back in the lobby\n')
    await until('said in the lobby', () => saw(a, /\] you: back in the lobby$/))
    a.child.stdin.write('/history lobby\n')
    await until('history', () => saw(a, /\] you: back in the lobby$/))
    // Each message line ends its [brackets] with a short id; /reply answers that message.
    const short = lines(a).map(l => /([0-9a-f]{8})\] you: back in the lobby$/.exec(l)?.[1]).find(id => id !== undefined)!
    a.child.stdin.write(`/reply ${short} an answer\n`)
    await until('replied', () => saw(a, new RegExp(`\\] you: \\(re ${short}\\) an answer$`)))
    a.child.stdin.write('/reply 00000000 lost\n')
    await until('unknown id refused', () => saw(a, /^! no message 00000000 seen yet/))
    // Neither the unknown command nor /help went out as chat text.
    expect(lines(a).filter(l => /you: \//.test(l))).toEqual([])
    a.child.stdin.write('/quit\n')
    expect(await a.exited).toBe(0)
  })

  it('/block, /unblock, /forget and /remove typed without a NAME say how they are typed, not that nobody called "" was seen; /close of no conversation closes none; a file over --max-file-mb names it', async () => {
    const a = terminalPeer('ned', undefined, ['--max-file-mb', '1'])
    await until('banner', () => saw(a, /LAN Chat peer "ned"/))
    for (const word of ['/block', '/unblock', '/forget']) {
      a.child.stdin.write(`${word}\n`)
      await until(`${word} refused`, () => saw(a, new RegExp(`^! usage: ${word} NAME \\(a display name from /peers, or a peer id\\)$`)))
    }
    a.child.stdin.write('/private Crew\n')
    await until('in the room', () => saw(a, /Crew/))
    a.child.stdin.write('/remove\n')
    await until('/remove refused', () => saw(a, /^! usage: \/remove NAME \(a member of this invite-only room; \/members lists them\)$/))
    expect(lines(a).filter(l => l.includes('no peer called ""'))).toEqual([])
    // Someone one never wrote with: no conversation is listed, so none is said to be closed.
    const nobody = '12D3KooWGzBrr2BHXcvJvhRhXcC1Y8GoJbWxvBpVfcjpFVJiVbTJ'
    a.child.stdin.write(`/close ${nobody}\n`)
    await until('nothing to close', () => saw(a, new RegExp(`^you have no conversation with ${nobody} listed: nothing to close \\(/dms lists yours\\)$`)))
    expect(lines(a).filter(l => l.startsWith('* closed the conversation'))).toEqual([])
    // Over this peer's own limit (by one byte: said in bytes, not "1.0 MiB; the limit is 1.0 MiB"): said to be its --max-file-mb, with the limit now and how to raise it.
    const big = join(tempDir('lanchat-ned-file-'), 'big.bin')
    writeFileSync(big, Buffer.alloc(2 ** 20 + 1))
    a.child.stdin.write(`/file ${big}\n`)
    await until('too large', () => saw(a, /^! The file is 1,048,577 bytes; the limit is 1,048,576 bytes \(1\.0 MiB\)$/))
    await until('whose limit', () => saw(a, /^\(that limit is this peer's own --max-file-mb, now 1: start lanchat with a larger --max-file-mb N, up to 65536, to send it\)$/))
    a.child.stdin.write('/quit\n')
    expect(await a.exited).toBe(0)
  })

  it('/edit, /delete, /react and /unreact take a short id or N (the Nth newest shown), print each change; /search finds what it reads now', async () => {
    const a = terminalPeer('eve')
    await until('banner', () => saw(a, /LAN Chat peer "eve"/))
    a.child.stdin.write('teh first\n')
    await until('said', () => saw(a, /\] you: teh first$/))
    a.child.stdin.write('a second\n')
    await until('said again', () => saw(a, /\] you: a second$/))
    const short = lines(a).map(l => /([0-9a-f]{8})\] you: teh first$/.exec(l)?.[1]).find(id => id !== undefined)!
    a.child.stdin.write(`/edit ${short} the first\n`)
    await until('edited', () => saw(a, new RegExp(`^\\* \\[${short}\\] you: the first \\(edited\\)$`)))
    a.child.stdin.write(`/react ${short} 👍\n`)
    await until('reacted', () => saw(a, /you: the first \(edited\) {2}👍 1$/))
    a.child.stdin.write('/react 1 🍐\n')
    await until('the second reacted', () => saw(a, /you: a second {2}🍐 1$/))
    // Deleted, it shows no reactions (they were on words no longer there), as in the window.
    a.child.stdin.write('/delete 1\n')
    await until('deleted', () => saw(a, /\] you: message deleted$/))
    a.child.stdin.write(`/versions ${short}\n`)
    await until('versions', () => saw(a, /^original L\d+: teh first$/) && saw(a, /^edit 1 L\d+: the first$/))
    a.child.stdin.write('/edit\n')
    await until('usage', () => saw(a, /^! usage: \/edit ID TEXT/))
    a.child.stdin.write('/history\n')
    await until('history shows it as it reads now', () => saw(a, /\] you: the first \(edited\) {2}👍 1$/) && saw(a, /\] you: \(message deleted\)$/))
    // Search finds the edited words, never the deleted ones; a hit's short id works like a shown message's.
    a.child.stdin.write('/search first\n')
    // Newest first, each with when it was written.
    await until('a hit', () => saw(a, new RegExp(`^#lobby L\\d+ \\d\\S* .*you: the \\[first\\] \\[${short}\\]$`)))
    a.child.stdin.write('/search #lobby second\n')
    await until('nothing: it was deleted', () => saw(a, /^\(nothing found for "second" in #lobby\)$/))
    a.child.stdin.write(`/react ${short} 🎉\n`)
    await until('reacted by the hit\'s id', () => saw(a, new RegExp(`^\\* \\[${short}\\] you: the first \\(edited\\) {2}🎉 1 👍 1$`)))
    a.child.stdin.write('/quit\n')
    expect(await a.exited).toBe(0)
  })

  it('a reaction that changes nothing (the same one again, from another build) prints nothing', async () => {
    const ben = await startPeer('ben')
    const cat = await startPeer('cat')
    await connect(cat, ben)
    const a = lanchat(['peer', '--name', 'gil', '--data', tempDir('lanchat-gil-'), ...LOOP, '--dial', ben.addr()])
    await until('ben joined', () => saw(a, /^\* ben joined/))
    const lunch = await ben.engine.send('lobby', 'lunch at noon?')
    await until('printed', () => saw(a, /\] ben: lunch at noon\?$/))
    await ben.engine.react('lobby', lunch.id, '👍')
    await until('the reaction', () => saw(a, /^\* \[[0-9a-f]{8}\] ben: lunch at noon\? {2}👍 1$/))
    // Ben's engine does not send it again; another build (or one that cheats) may.
    await forge(ben.engine, 'lobby', { kind: 'react', target: lunch.id, emoji: '👍' }, '👍')
    // A line after it, through ben (whose own clock did not tick for the forgery): by then anything it printed is there.
    await cat.engine.send('lobby', 'or at one')
    await until('the marker', () => saw(a, /\] cat: or at one$/))
    expect(lines(a).filter(l => l.includes('lunch at noon'))).toEqual([
      expect.stringMatching(/\] ben: lunch at noon\?$/),
      expect.stringMatching(/^\* \[[0-9a-f]{8}\] ben: lunch at noon\? {2}👍 1$/)
    ])
    a.child.stdin.write('/quit\n')
    expect(await a.exited).toBe(0)
  })

  it('/pin and /unpin take a short id or N, print who pinned what (a peer\'s pin too); /pins lists the room\'s', async () => {
    const a = terminalPeer('eve')
    await until('address', () => saw(a, /^ {2}127\.0\.0\.1:\d+$/))
    const addr = lines(a).find(l => /^ {2}127\.0\.0\.1:\d+$/.test(l))!.trim()
    const b = lanchat(['peer', '--json', '--name', 'fay', '--data', tempDir('lanchat-fay-'), ...LOOP, '--dial', addr])
    await until('fay joined', () => saw(a, /^\* fay joined/))
    b.send({ cmd: 'send', text: 'the wifi password is on the fridge' })
    await until('fay\'s message', () => saw(a, /\] fay: the wifi password is on the fridge$/))
    a.child.stdin.write('a note of mine\n')
    await until('said', () => saw(a, /\] you: a note of mine$/))
    const short = lines(a).map(l => /([0-9a-f]{8})\] fay: the wifi/.exec(l)?.[1]).find(id => id !== undefined)!
    a.child.stdin.write(`/pin ${short}\n`)
    await until('pinned', () => saw(a, new RegExp(`^\\* 📌 you pinned \\[${short}\\] fay: the wifi password is on the fridge$`)))
    // Fay pins eve's note: eve reads who did.
    await until('fay has the note', () => b.events.some(e => e.type === 'message' && e.text === 'a note of mine'))
    const note = b.events.find(e => e.type === 'message' && e.text === 'a note of mine')!
    b.send({ cmd: 'pin', id: note.id })
    await until('fay\'s pin printed', () => saw(a, /^\* 📌 fay pinned \[[0-9a-f]{8}\] you: a note of mine$/))
    a.child.stdin.write('/pins\n')
    await until('listed, newest pin first', () => {
      const all = lines(a)
      const first = all.findIndex(l => /^\* 📌 \[[0-9a-f]{8}\] you: a note of mine \(pinned by fay\)$/.test(l))
      return first >= 0 && new RegExp(`^\\* 📌 \\[${short}\\] fay: the wifi password is on the fridge \\(pinned by you\\)$`).test(all[first + 1] ?? '')
    })
    a.child.stdin.write('/unpin 2\n')
    await until('unpinned', () => saw(a, new RegExp(`^\\* 📌 you unpinned \\[${short}\\] fay: the wifi password is on the fridge$`)))
    a.child.stdin.write('/pin\n')
    await until('usage', () => saw(a, /^! usage: \/pin ID/))
    a.child.stdin.write('/help\n')
    await until('help lists them', () => saw(a, /^ {2}\/pin ID .*\/unpin ID/) && saw(a, /^ {2}\/pins /))
    a.child.stdin.write('/quit\n')
    b.send({ cmd: 'quit' })
    expect(await a.exited).toBe(0)
  })

  it('a pin or an unpin of a message not printed this session says so by its short id; a pin naming another room\'s message prints nothing', async () => {
    const dir = tempDir('lanchat-gil-')
    const ben = await startPeer('ben')
    let a = lanchat(['peer', '--name', 'gil', '--data', dir, ...LOOP, '--dial', ben.addr()])
    await until('ben joined', () => saw(a, /^\* ben joined/))
    const wifi = await ben.engine.send('lobby', 'the wifi password is on the fridge')
    const locker = await ben.engine.send('lobby', 'the locker code is 4711')
    await until('both printed', () => saw(a, /\] ben: the locker code is 4711$/))
    await ben.engine.pin('lobby', wifi.id)
    await until('the pin printed', () => saw(a, new RegExp(`^\\* 📌 ben pinned \\[${wifi.id.slice(0, 8)}\\] ben: the wifi password is on the fridge$`)))
    // Cat, on a cheating build linked to ben only, pins the locker code from #other: that counts nowhere, so nothing prints.
    const cat = await startPeer('cat')
    await connect(cat, ben)
    await until('cat has the locker code', () => cat.engine.history('lobby').some(m => m.id === locker.id))
    await forge(cat.engine, 'other', { kind: 'pin', target: locker.id }, PIN_TEXT)
    // Ben passes it on to gil, then writes: gil has it before his next line.
    await until('ben has the forgery', () => ben.engine.ordering!.history('other').length === 1)
    await ben.engine.send('lobby', 'after the forgery')
    await until('the marker', () => saw(a, /\] ben: after the forgery$/))
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect(lines(a).filter(l => l.startsWith('* ') && l.includes(locker.id.slice(0, 8)))).toEqual([])

    // A new session: neither message printed in it. Ben unpins one and pins the other.
    a.child.stdin.write('/quit\n')
    expect(await a.exited).toBe(0)
    a = lanchat(['peer', '--name', 'gil', '--data', dir, ...LOOP, '--dial', ben.addr()])
    await until('ben joined again', () => saw(a, /^\* ben joined/))
    await ben.engine.pin('lobby', wifi.id, false)
    await until('the unpin, said', () => saw(a, new RegExp(`^\\* 📌 ben unpinned ben's message \\[${wifi.id.slice(0, 8)}\\], not shown here$`)))
    await ben.engine.pin('lobby', locker.id)
    await until('the pin, said', () => saw(a, new RegExp(`^\\* 📌 ben pinned ben's message \\[${locker.id.slice(0, 8)}\\], not shown here$`)))
    // Neither printed as a change of its text; the short id said works as a printed message's.
    expect(lines(a).filter(l => l.includes('the wifi password') || l.includes('the locker code'))).toEqual([])
    a.child.stdin.write(`/unpin ${locker.id.slice(0, 8)}\n`)
    await until('unpinned by its id', () => saw(a, new RegExp(`^\\* 📌 you unpinned \\[${locker.id.slice(0, 8)}\\] ben: the locker code is 4711$`)))
    a.child.stdin.write('/quit\n')
    expect(await a.exited).toBe(0)
  }, 60_000)

  it('/search takes has:, dates, -word and OR, alone too; a date it cannot read is said in words, and FTS syntax is only words', async () => {
    const a = terminalPeer('sam')
    await until('banner', () => saw(a, /LAN Chat peer "sam"/))
    a.child.stdin.write('the plan is at https://example.com/plan\n')
    await until('said', () => saw(a, /\] you: the plan is at https:\/\/example\.com\/plan$/))
    a.child.stdin.write('the draft plan\n')
    await until('said again', () => saw(a, /\] you: the draft plan$/))
    a.child.stdin.write('/search has:link\n')
    await until('the link alone', () => saw(a, /^#lobby L\d+ \d\S* .*you: the plan is at https:\/\/example\.com\/plan \[[0-9a-f]{8}\]$/))
    a.child.stdin.write('/search plan -draft on:today\n')
    await until('the plan without the draft', () => saw(a, /you: the \[plan\] is at https:\/\/example\.com\/\[plan\] \[[0-9a-f]{8}\]$/))
    expect(saw(a, /you: the draft \[plan\]/)).toBe(false)
    a.child.stdin.write('/search before:yesterdayish\n')
    await until('said what it takes', () => saw(a, /^! before: takes a date like 2026-12-01/))
    a.child.stdin.write('/search NEAR(plan "draft\n')
    await until('nothing, no syntax error', () => saw(a, /^\(nothing found for "NEAR\(plan "draft"/))
    expect(lines(a).filter(l => /fts5|syntax error|SQLITE/i.test(l))).toEqual([])
    a.child.stdin.write('/quit\n')
    expect(await a.exited).toBe(0)
  })

  it('/dial takes ip:port like the app, says what a failure means and how to keep trying, /name confirms and /stats reads as sentences', async () => {
    const a = terminalPeer('bea')
    await until('banner', () => saw(a, /LAN Chat peer "bea"/))
    // Started with --no-mdns: the banner says how others are reached.
    await until('how to reach others', () => saw(a, /^finding peers on the LAN is off: \/dial ip:port connects to one, and the peers it is linked to come with it$/))
    a.child.stdin.write('/dial 127.0.0.1:9\n')
    await until('dial refused', () => saw(a, /^! Nothing is listening at 127\.0\.0\.1:9/))
    expect(saw(a, /not a multiaddr/)).toBe(false)
    // Refused may mean "not started yet": the terminal names the way to keep trying, as Connect offers it.
    await until('keep named', () => saw(a, /^\(not started there yet\? \/dial 127\.0\.0\.1:9 keep tries it until it answers\)$/))
    a.child.stdin.write('/dial 127.0.0.1:9 keep\n')
    await until('kept trying', () => saw(a, /^\* trying \/ip4\/127\.0\.0\.1\/tcp\/9 in the background until it answers/))
    a.child.stdin.write('/dial\n')
    await until('listed', () => saw(a, /^trying in the background until they answer: 127\.0\.0\.1:9 \(\/dial ADDR stop: no more\)$/))
    a.child.stdin.write('/dial 127.0.0.1:9 stop\n')
    await until('stopped', () => saw(a, /^\* stopped trying 127\.0\.0\.1:9$/))
    a.child.stdin.write('/dial\n')
    await until('none listed', () => saw(a, /^no address is being tried in the background: /))
    a.child.stdin.write('/dial 127.0.0.1:9 stop\n')
    await until('not tried', () => saw(a, /^\* was not trying 127\.0\.0\.1:9$/))
    a.child.stdin.write('/dial 127.0.0.1:9 forever\n')
    await until('usage', () => saw(a, /^! usage: \/dial ADDR, or \/dial ADDR keep/))
    a.child.stdin.write('/name Beatrice\n')
    await until('confirmed', () => saw(a, /^\* you are now "Beatrice"/))
    a.child.stdin.write('/stats\n')
    await until('stats', () => saw(a, /^mode p2p: \(Lamport time, author id\)/) && saw(a, /^sent 0, received 0, relayed 0$/))
    expect(saw(a, /^\{"/)).toBe(false)
    a.child.stdin.write('/quit\n')
    expect(await a.exited).toBe(0)
  })

  it('/history more reads back, 50 at a time, and says when there is nothing older', async () => {
    const a = lanchat(['peer', '--name', 'ida', '--data', tempDir('lanchat-ida-'), ...LOOP])
    await until('banner', () => saw(a, /LAN Chat peer "ida"/))
    a.child.stdin.write(Array.from({ length: 120 }, (_, i) => `line ${i}\n`).join(''))
    await until('all sent', () => saw(a, /you: line 119$/))
    const printed = (): number => lines(a).filter(l => / you: line \d+$/.test(l)).length
    const before = printed()
    a.child.stdin.write('/history more\n')
    await until('nothing to go on from', () => saw(a, /^! \/history more goes on from the last \/history/))
    a.child.stdin.write('/history\n')
    await until('the newest 50, and the way back', () => printed() === before + 50 && saw(a, /^\(\/history more: the 50 before these\)$/))
    expect(lines(a).filter(l => / you: line \d+$/.test(l)).slice(-50)[0]).toMatch(/you: line 70$/)
    a.child.stdin.write('/history more\n')
    await until('the 50 before', () => printed() === before + 100)
    expect(lines(a).filter(l => / you: line \d+$/.test(l)).slice(-50).map(l => /line (\d+)$/.exec(l)![1])).toEqual(Array.from({ length: 50 }, (_, i) => String(20 + i)))
    a.child.stdin.write('/history more\n')
    await until('the last 20', () => printed() === before + 120)
    a.child.stdin.write('/history more\n')
    await until('nothing older', () => saw(a, /^\(nothing older in #lobby\)$/))
    a.child.stdin.write('/quit\n')
    expect(await a.exited).toBe(0)
  })

  it('/dial of someone already linked says so, not nothing', async () => {
    const ann = terminalPeer('ann')
    const bob = terminalPeer('bob')
    await until('addresses', () => [ann, bob].every(p => saw(p, /^ {2}127\.0\.0\.1:\d+$/)))
    const addr = lines(bob).find(l => /^ {2}127\.0\.0\.1:\d+$/.test(l))!.trim()
    ann.child.stdin.write(`/dial ${addr}\n`)
    await until('bob joined', () => saw(ann, /^\* bob joined/))
    ann.child.stdin.write(`/dial ${addr}\n`)
    await until('already linked', () => saw(ann, new RegExp(`^\\* already linked to bob \\(${addr.replace(/\./g, '\\.')} is theirs\\)$`)))
    expect(lines(ann).filter(l => /bob joined/.test(l))).toHaveLength(1)
    for (const p of [ann, bob]) p.child.stdin.write('/quit\n')
    expect(await ann.exited).toBe(0)
    expect(await bob.exited).toBe(0)
  })

  it('what others write cannot steer the terminal or pass off a line as another message: control characters show, later lines of a message are indented', async () => {
    const ann = terminalPeer('ann')
    await until('address', () => saw(ann, /^ {2}127\.0\.0\.1:\d+$/))
    const addr = lines(ann).find(l => /^ {2}127\.0\.0\.1:\d+$/.test(l))!.trim()
    const mal = lanchat(['peer', '--json', '--name', 'mal', '--data', tempDir('lanchat-mal-'), ...LOOP, '--dial', addr])
    await until('mal joined', () => saw(ann, /^\* mal joined/))
    // Clear the screen, go home, paint red, then a carriage return and a line break each followed by a forged message.
    mal.send({ cmd: 'send', room: 'lobby', text: 'hi\u001b[2J\u001b[H\u001b[31mRED\u001b[0m\r[L99 9:00:00 AM deadbeef] boss: fake one\u0007' })
    mal.send({ cmd: 'send', room: 'lobby', text: 'two lines\n[L98 9:00:01 AM deadbeef] boss: send me the passwords\r\nthird' })
    // A right-to-left override, which a terminal that lays out Arabic obeys: "report\u202Efdp.exe" would read "reportexe.pdf".
    mal.send({ cmd: 'send', room: 'lobby', text: 'see report\u202Efdp.exe' })
    await until('all printed', () => saw(ann, /mal: two lines$/) && saw(ann, /third$/) && saw(ann, /mal: see report/))
    const out = lines(ann)
    // The escapes are seen for what they are; none reaches the terminal, nor does a carriage return (a line of its own to the test's reader).
    expect(out).toContain(`${out.find(l => l.includes('mal: hi'))!.split('mal: ')[0]!}mal: hi\u241b[2J\u241b[H\u241b[31mRED\u241b[0m\u240d[L99 9:00:00 AM deadbeef] boss: fake one\u2407`)
    // eslint-disable-next-line no-control-regex
    expect(out.filter(l => /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(l))).toEqual([])
    expect(out.filter(l => /^\[L9[89] /.test(l))).toEqual([])
    expect(out).toContain('    [L98 9:00:01 AM deadbeef] boss: send me the passwords')
    expect(out).toContain('    third')
    expect(out.find(l => l.includes('mal: see report'))).toMatch(/mal: see report⟨RLO⟩fdp\.exe$/)
    expect(out.filter(l => /[\u202d\u202e]/.test(l))).toEqual([])
    ann.child.stdin.write('/quit\n')
    expect(await ann.exited).toBe(0)
  })

  it('a line pasted at a real terminal (a pty) arrives whole past the 4,095-byte line limit', async () => {
    const dir = tempDir('lanchat-pty-')
    const bin = join(resolve(import.meta.dirname, '..'), 'bin/lanchat')
    const cmd = [bin, 'peer', '--name', 'pat', '--data', dir, ...LOOP].join(' ')
    const child = atTerminal(cmd)
    let out = ''
    child.stdout.on('data', (b: Buffer) => { out += b.toString() })
    await until('banner', () => out.includes('LAN Chat peer "pat"'), 20_000)
    const long = 'x'.repeat(6000) + 'END'
    child.stdin.write(long + '\r')
    await until('the whole line was said', () => out.includes(`you: ${long}`), 20_000)
    child.stdin.write('/quit\r')
    await new Promise(resolve => { child.on('exit', resolve) })
  })
})

describe('bin/lanchat peer: quitting and restarting', () => {
  it('at a real terminal, a message arriving while one types goes above the half-typed line, which is drawn again', async () => {
    const ann = lanchat(['peer', '--json', '--name', 'ann', '--data', tempDir('lanchat-ann-'), ...LOOP])
    const ready = await ann.waitFor('ann ready', e => e.type === 'ready')
    const bin = join(resolve(import.meta.dirname, '..'), 'bin/lanchat')
    const cmd = [bin, 'peer', '--name', 'pat', '--data', tempDir('lanchat-pty-'), ...LOOP].join(' ')
    const child = atTerminal(cmd)
    let out = ''
    child.stdout.on('data', (b: Buffer) => { out += b.toString() })
    await until('banner', () => out.includes('LAN Chat peer "pat"'), 20_000)
    child.stdin.write(`/dial ${String((ready.addrs as string[])[0])}\r`)
    await until('linked', () => out.includes('* ann joined'), 20_000)
    child.stdin.write('half a sent')
    await until('echoed', () => out.includes('half a sent'), 20_000)
    ann.send({ cmd: 'send', room: 'lobby', text: 'interrupting message' })
    await until('the message shown', () => out.includes('ann: interrupting message'), 20_000)
    await until('the half-typed line drawn again below it', () => /ann: interrupting message[^\n]*\n[\s\S]*half a sent/.test(out), 20_000)
    // Not glued to the end of what was being typed.
    expect(out).not.toMatch(/half a sent\[L\d/)
    child.stdin.write('ence\r')
    await until('sent whole', () => out.includes('you: half a sentence'), 20_000)
    child.stdin.write('/quit\r')
    await new Promise(resolve => { child.on('exit', resolve) })
  })

  it('at a real terminal, a half-typed line wider than the terminal goes whole from above a message, and the message stays', async () => {
    const ann = lanchat(['peer', '--json', '--name', 'ann', '--data', tempDir('lanchat-ann-'), ...LOOP])
    const ready = await ann.waitFor('ann ready', e => e.type === 'ready')
    const bin = join(resolve(import.meta.dirname, '..'), 'bin/lanchat')
    const cmd = ['stty', 'cols', '40', 'rows', '30', '&&', 'exec', bin, 'peer', '--name', 'pat', '--data', tempDir('lanchat-pty-'), ...LOOP, '--dial', String((ready.addrs as string[])[0])].join(' ')
    const child = atTerminal(cmd)
    let out = ''
    child.stdout.on('data', (b: Buffer) => { out += b.toString() })
    await until('linked', () => out.includes('* ann joined'), 20_000)
    // Typed key by key, as a person types: 100 characters are three rows of a terminal 40 wide.
    const typed = 'abcdefghij'.repeat(10)
    for (const key of typed) {
      child.stdin.write(key)
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    await until('echoed', () => out.split('abcdefghij').length > 10, 20_000)
    ann.send({ cmd: 'send', room: 'lobby', text: 'interrupting message' })
    await until('drawn again after the message', () => /ann: interrupting message[\s\S]*abcdefghij/.test(out), 20_000)
    await new Promise(resolve => setTimeout(resolve, 300))
    const rows = screen(out, 40)
    const at = rows.findIndex(r => r.includes('ann: interrupt'))
    // On the screen: the message, then the line being typed, whole, and nothing of it left above the message.
    expect(at, rows.join('\n')).toBeGreaterThan(-1)
    expect(rows.slice(at).join('')).toContain(`ann: interrupting message${typed}`)
    expect(rows.slice(0, at).filter(r => r.startsWith('abcdefghij')), rows.join('\n')).toEqual([])
    child.stdin.write('\r')
    await until('sent whole', () => out.includes(`you: ${typed}`), 20_000)
    child.stdin.write('/quit\r')
    await new Promise(resolve => { child.on('exit', resolve) })
  })

  it('at a real terminal, a paste that wraps and a paste inside the line show the line once, as it will be sent', async () => {
    const bin = join(resolve(import.meta.dirname, '..'), 'bin/lanchat')
    const cmd = ['stty', 'cols', '40', 'rows', '30', '&&', 'exec', bin, 'peer', '--name', 'pat', '--data', tempDir('lanchat-pty-'), ...LOOP].join(' ')
    const child = atTerminal(cmd)
    let out = ''
    child.stdout.on('data', (b: Buffer) => { out += b.toString() })
    await until('banner', () => out.includes('type a line to chat'), 20_000)
    const typedRows = (): string[] => screen(out, 40).filter(r => /^[a-j0-9]+$/.test(r))
    // 79 characters pasted (one read), then one typed: two rows of the terminal, each shown once.
    const pasted = 'abcdefghij'.repeat(8).slice(0, 79)
    child.stdin.write(`\x1b[200~${pasted}\x1b[201~`)
    await until('pasted', () => screen(out, 40).join('').includes(pasted), 20_000)
    child.stdin.write('j')
    await until('typed', () => typedRows().join('') === `${pasted}j`, 5_000).catch(() => {})
    expect(typedRows(), screen(out, 40).join('\n')).toEqual(['abcdefghij'.repeat(4), 'abcdefghij'.repeat(4)])
    // Ten to the left, and 30 characters pasted there: the line is drawn whole again, its end after the paste.
    child.stdin.write('\x1b[D'.repeat(10))
    await new Promise(resolve => setTimeout(resolve, 200))
    const digits = '0123456789'.repeat(3)
    child.stdin.write(`\x1b[200~${digits}\x1b[201~`)
    const line = `${pasted}j`.slice(0, 70) + digits + `${pasted}j`.slice(70)
    await until('pasted inside', () => typedRows().join('') === line, 5_000).catch(() => {})
    expect(typedRows(), screen(out, 40).join('\n')).toEqual([line.slice(0, 40), line.slice(40, 80), line.slice(80)])
    child.stdin.write('\r')
    await until('sent as shown', () => out.includes(`you: ${line}`), 20_000)
    child.stdin.write('/quit\r')
    await new Promise(resolve => { child.on('exit', resolve) })
  })

  it('typed at a terminal with its output written to a file, a line is seen as it is typed, and the file gets the chat, not the keystrokes', async () => {
    const log = join(tempDir('lanchat-log-'), 'chat.log')
    const bin = join(resolve(import.meta.dirname, '..'), 'bin/lanchat')
    const cmd = [bin, 'peer', '--name', 'pat', '--data', tempDir('lanchat-pty-'), ...LOOP, '>', log].join(' ')
    const child = atTerminal(cmd)
    let out = ''
    child.stdout.on('data', (b: Buffer) => { out += b.toString() })
    const written = (): string => { try { return readFileSync(log, 'utf8') } catch { return '' } }
    await until('banner in the file', () => written().includes('LAN Chat peer "pat"'), 20_000)
    child.stdin.write('seen as typed')
    // On the terminal, not typed blind.
    await until('echoed on the terminal', () => out.includes('seen as typed'), 20_000)
    child.stdin.write('\r')
    await until('said', () => written().includes('you: seen as typed'), 20_000)
    child.stdin.write('/quit\r')
    await new Promise(resolve => { child.on('exit', resolve) })
    expect(written().split('\n').filter(l => l.includes('seen as typed'))).toEqual([expect.stringMatching(/\] you: seen as typed$/)])
    expect(written()).not.toContain('/quit')
    expect(written()).not.toContain('\x1b')
  })

  it('at a real terminal, a paste of several lines is one message, its lines never commands of their own', async () => {
    const { ann, child, out } = await patAtTerminalLinkedToAnn()
    // The terminal is asked to mark pastes (bracketed paste), and marks this one as terminals do.
    expect(out()).toContain('\x1b[?2004h')
    child.stdin.write('\x1b[200~the minutes:\r/quit is not for now\r\rthe end\x1b[201~')
    await until('held as one line', () => out().includes('the end'), 20_000)
    child.stdin.write('\r')
    const said = await ann.waitFor('one message', e => e.type === 'message', 20_000)
    expect(said.text).toBe('the minutes:\n/quit is not for now\n\nthe end')
    await until('printed, its later lines indented', () => out().includes('you: the minutes:'), 20_000)
    child.stdin.write('after\r')
    await ann.waitFor('the next message', e => e.type === 'message' && e.text === 'after', 20_000)
    expect(ann.events.filter(e => e.type === 'message')).toHaveLength(2)
    child.stdin.write('/quit\r')
    await new Promise(resolve => { child.on('exit', resolve) })
    // And asked to stop marking them on the way out().
    expect(out()).toContain('\x1b[?2004l')
  })

  it('at a real terminal, a paste whose end mark comes apart from its last line break is sent by it; Esc alone does not change the next key', async () => {
    const { ann, child, out } = await patAtTerminalLinkedToAnn()
    // A long paste comes in pieces: here its end mark in a piece of its own, after its last line break.
    child.stdin.write('\x1b[200~first line\rsecond line\r')
    await new Promise(resolve => setTimeout(resolve, 30))
    child.stdin.write('\x1b[201~')
    const pasted = await ann.waitFor('the paste, sent by its last line break', e => e.type === 'message', 20_000)
    expect(pasted.text).toBe('first line\nsecond line')
    // Esc pressed alone, then (well after) Backspace: one letter goes, as before pastes were marked, not a word.
    child.stdin.write('one two')
    await until('typed', () => out().includes('one two'), 20_000)
    child.stdin.write('\x1b')
    await new Promise(resolve => setTimeout(resolve, 1_000))
    child.stdin.write('\x7f')
    await new Promise(resolve => setTimeout(resolve, 300))
    child.stdin.write('\r')
    const typed = await ann.waitFor('the typed line', e => e.type === 'message' && e.id !== pasted.id, 20_000)
    expect(typed.text).toBe('one tw')
    expect(ann.events.filter(e => e.type === 'message')).toHaveLength(2)
    child.stdin.write('/quit\r')
    await new Promise(resolve => { child.on('exit', resolve) })
  })

  it('at a real terminal, a paste whose end mark comes apart over a slow link still ends: the next Enter sends it', async () => {
    const { ann, child } = await patAtTerminalLinkedToAnn()
    // Over ssh a packet can end inside the end mark, its rest coming long after (a lost packet sent again).
    child.stdin.write('\x1b[200~first line\rsecond line\x1b[20')
    await new Promise(resolve => setTimeout(resolve, 500))
    child.stdin.write('1~')
    await new Promise(resolve => setTimeout(resolve, 100))
    child.stdin.write('\r')
    const pasted = await ann.waitFor('the paste, sent by Enter', e => e.type === 'message', 20_000)
    expect(pasted.text).toBe('first line\nsecond line')
    // And what is typed next is typed, not part of a paste that never ended.
    child.stdin.write('after\r')
    await ann.waitFor('the typed line', e => e.type === 'message' && e.text === 'after', 20_000)
    expect(ann.events.filter(e => e.type === 'message')).toHaveLength(2)
    child.stdin.write('/quit\r')
    await new Promise(resolve => { child.on('exit', resolve) })
  })

  it('at a real terminal, back from Ctrl+Z (fg) what is typed is read again, and pastes are marked again', async () => {
    const { ann, child, out } = await patAtTerminalLinkedToAnn()
    // bin/lanchat runs as script's child (exec'd by its shell, and exec'ing node): the process that reads the keys.
    const pid = Number(execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)]).toString().trim())
    expect(execFileSync('ps', ['-o', 'args=', '-p', String(pid)]).toString()).toContain('out/main/cli.js')
    // Ctrl+Z: readline gives the terminal back (a session without job control, as script's, does not stop it;
    // a shell's would, and its fg sends SIGCONT), and the terminal is asked to stop marking pastes.
    const before = out().length
    child.stdin.write('\x1a')
    await until('marking off', () => out().slice(before).includes('\x1b[?2004l'), 20_000)
    const suspended = out().length
    // fg: a shell turned marking off for the job it resumed; asked again, the terminal marks them.
    // A shell sends SIGCONT to a job already stopped. This one never stops, and "marking off" is written just
    // before readline's own SIGTSTP, which takes a SIGCONT still pending out of the queue: sent again until heard.
    const fg = setInterval(() => { process.kill(pid, 'SIGCONT') }, 500)
    onTestFinished(() => { clearInterval(fg) })
    process.kill(pid, 'SIGCONT')
    await until('marking on again', () => out().slice(suspended).includes('\x1b[?2004h'), 20_000)
    clearInterval(fg)
    child.stdin.write('typed after fg\r')
    await ann.waitFor('the typed line', e => e.type === 'message' && e.text === 'typed after fg', 20_000)
    child.stdin.write('\x1b[200~pasted\r/quit is a line of it\x1b[201~\r')
    await ann.waitFor('the paste, one message', e => e.type === 'message' && e.text === 'pasted\n/quit is a line of it', 20_000)
    child.stdin.write('/quit\r')
    await new Promise(resolve => { child.on('exit', resolve) })
  })

  it('at a real terminal, Ctrl+C while linked stops cleanly: exit 0, no stack trace', async () => {
    const hub = lanchat(['server', '--json', '--no-mdns', '--data', tempDir('lanchat-hub-'), '--listen', '127.0.0.1:0'])
    const addr = ((await hub.waitFor('hub ready', e => e.type === 'ready')).addrs as string[]).find(a => a.startsWith('/ip4/127.0.0.1/'))!
    const bin = join(resolve(import.meta.dirname, '..'), 'bin/lanchat')
    const cmd = [bin, 'peer', '--name', 'cat', '--data', tempDir('lanchat-pty-'), '--no-mdns', '--mode', 'client', '--server', addr].join(' ')
    const child = atTerminal(cmd)
    let out = ''
    child.stdout.on('data', (b: Buffer) => { out += b.toString() })
    const exited = new Promise<number | null>(resolve => { child.on('exit', code => { resolve(code) }) })
    await until('linked', () => out.includes('joined ('), 20_000)
    child.stdin.write('hello\r')
    await until('sent', () => out.includes('you: hello'), 20_000)
    // Ctrl+C as a person presses it: the terminal's readline closes, then the engine stops and says its links ended.
    child.stdin.write('\x03')
    expect(await exited).toBe(0)
    expect(out).not.toMatch(/ERR_USE_AFTER_CLOSE|readline was closed|\n\s+at /)
    hub.send({ cmd: 'quit' })
    expect(await hub.exited).toBe(0)
  })

  it('quit right after a burst waits until connected peers have every message', async () => {
    const a = lanchat(['peer', '--json', '--name', 'burst', '--data', tempDir('lanchat-burst-'), ...LOOP])
    const b = lanchat(['peer', '--json', '--name', 'sink', '--data', tempDir('lanchat-sink-'), ...LOOP])
    const ready = await a.waitFor('a ready', e => e.type === 'ready')
    await b.waitFor('b ready', e => e.type === 'ready')
    b.send({ cmd: 'dial', addr: (ready.addrs as string[])[0] })
    await a.waitFor('connected', e => e.type === 'peer:connect')
    const n = 5000
    let batch = ''
    for (let i = 0; i < n; i++) batch += JSON.stringify({ cmd: 'send', text: `burst ${i}` }) + '\n'
    a.child.stdin.write(batch + JSON.stringify({ cmd: 'quit' }) + '\n')
    expect(await a.exited).toBe(0)
    await until('all arrived', () => b.events.filter((e: Ev) => e.type === 'message').length === n, 30_000).catch((err: Error) => { throw new Error(`${err.message}: ${b.events.filter((e: Ev) => e.type === 'message').length} of ${n}; sender said ${a.stderr.join(' | ').slice(-600)}`) })
    b.send({ cmd: 'quit' })
    expect(await b.exited).toBe(0)
  }, 60_000)

  it('quitting prints nobody as gone: our own links ending are not others leaving; the others say we left', async () => {
    const { ann, ben, cat } = await threeTerminals()
    ann.child.stdin.write('/quit\n')
    expect(await ann.exited).toBe(0)
    expect(lines(ann).filter(l => / left/.test(l))).toEqual([])
    await until('ben says ann left', () => saw(ben, /^\* ann left/))
    for (const p of [ben, cat]) { p.child.stdin.write('/quit\n'); expect(await p.exited).toBe(0) }
  })

  it('/block folds what a peer writes to one line in its place, through the others, and says nothing of its rooms, until /unblock; /forget of him is refused', async () => {
    const { ann, ben, cat } = await threeTerminals()
    // Ben and Cat link too (each hears of the other from Ann): Ben's words reach Ann through Cat once she refuses him.
    await until('ben linked to cat', () => saw(ben, /^\* cat joined/), 20_000)
    ann.child.stdin.write('/block ben\n')
    await until('blocked', () => saw(ann, /^\* blocked ben: their link is refused/))
    // Blocked, he cannot be forgotten (the window offers no Forget on his row): said why, and he stays listed.
    ann.child.stdin.write('/forget ben\n')
    await until('not forgotten', () => saw(ann, /^! ben is blocked: their row stays listed, as it is where they are unblocked; unblock them first to forget them$/))
    // Refused by us, Ben did not leave: no line says he did.
    ben.child.stdin.write('buy my stuff\n')
    await until('folded', () => saw(ann, /\] \(a message from ben, whom you blocked: \/unblock ben shows theirs\)$/), 20_000)
    expect(lines(ann).some(l => l.includes('buy my stuff'))).toBe(false)
    // Cat, not blocked, reads as before.
    cat.child.stdin.write('hello all\n')
    await until('cat read', () => saw(ann, /\] cat: hello all$/), 20_000)
    expect(lines(ann).filter(l => /ben left/.test(l))).toEqual([])
    // A room only he writes in: Cat is told of it; Ann, who has it (her /history shows it folded), is not, nor does /rooms list it.
    ben.child.stdin.write('/join deals\n')
    ben.child.stdin.write('cheap phones\n')
    ben.child.stdin.write('/room lobby\n')
    await until('cat told of #deals', () => saw(cat, /^\* new messages in #deals, a room you have not joined/), 20_000)
    const folded = (): number => lines(ann).filter(l => l.includes('(a message from ben, whom you blocked')).length
    for (let i = 0; i < 40 && folded() < 2; i++) {
      ann.child.stdin.write('/history deals\n')
      await new Promise(resolve => setTimeout(resolve, 250))
    }
    expect(folded()).toBeGreaterThanOrEqual(2)
    ann.child.stdin.write('/rooms\n')
    await until('rooms listed', () => saw(ann, /^\* #lobby$/))
    // (Her /history asked before his message reached her answers that the room is empty: that is no notice.)
    expect(lines(ann).filter(l => l.includes('#deals') && !l.includes('(a message from ben') && l !== '(no messages in #deals)')).toEqual([])
    ann.child.stdin.write('/unblock ben\n')
    await until('unblocked', () => saw(ann, /^\* unblocked ben: what they write prints again/))
    ben.child.stdin.write('sorry, wrong room\n')
    await until('read again', () => saw(ann, /\] ben: sorry, wrong room$/), 20_000)
    for (const p of [ann, ben, cat]) { p.child.stdin.write('/quit\n'); expect(await p.exited).toBe(0) }
  }, 60_000)

  it('after a restart, /room NAME types into an invite-only room by its name', async () => {
    const dir = tempDir('lanchat-board-')
    let ann = terminalPeer('ann', dir)
    await ann.waitFor('banner', e => e.type === 'not-json' && /type a line to chat/.test(String(e.line)))
    ann.child.stdin.write('/private Board\n')
    await until('made', () => saw(ann, /^\* typing in private room "Board" \(pr:/))
    ann.child.stdin.write('/quit\n')
    expect(await ann.exited).toBe(0)
    ann = terminalPeer('ann', dir)
    await ann.waitFor('banner again', e => e.type === 'not-json' && /type a line to chat/.test(String(e.line)))
    ann.child.stdin.write('/room Board\n')
    await until('typing into it', () => saw(ann, /^\* typing in private room "Board" \(pr:[0-9a-f]+\)$/))
    ann.child.stdin.write('/quit\n')
    expect(await ann.exited).toBe(0)
  })

  it('an invite code typed in a public room is held back with a warning, as the window holds it, until /send yes; in its own room it goes', async () => {
    const ann = terminalPeer('ann')
    await ann.waitFor('banner', e => e.type === 'not-json' && /type a line to chat/.test(String(e.line)))
    ann.child.stdin.write('/private Board\n')
    await until('its code', () => saw(ann, /^ {2}invite code: lanchat-invite:/))
    const code = lines(ann).find(l => /^ {2}invite code: /.test(l))!.trim().slice('invite code: '.length)
    // Pasted in the lobby (spaces round it): not sent, and how to send it anyway.
    ann.child.stdin.write(`/room lobby\n  ${code} \n/history lobby\n`)
    await until('held back', () => saw(ann, /^\* not sent: this is the invite to the private room "Board": everyone who reads #lobby could join it .*\(\/send yes posts it all the same\)$/))
    await until('nothing in the lobby', () => saw(ann, /^\(no messages in #lobby\)$/))
    ann.child.stdin.write('/send yes\n')
    await until('sent anyway', () => saw(ann, /\] you: \(an invitation to the private room "Board"\)$/))
    // Nothing waits for a yes any more; in the room itself the code goes at once.
    ann.child.stdin.write('/send yes\n/room Board\n' + code + '\n')
    await until('refused', () => ann.stderr.some(l => l.includes('/send yes posts the invite code held back')) || saw(ann, /\/send yes posts the invite code held back/))
    await until('sent in the room', () => lines(ann).filter(l => / you: \(an invitation to the private room "Board"\)$/.test(l)).length === 2)
    ann.child.stdin.write('/quit\n')
    expect(await ann.exited).toBe(0)
  })

  it('a port another program holds stops the start with what to do, not libp2p\'s stack', async () => {
    const holder = createServer()
    await new Promise<void>(resolve => { holder.listen(0, '127.0.0.1', resolve) })
    const port = (holder.address() as AddressInfo).port
    try {
      for (const args of [['peer', '--json', '--name', 'pat', '--data', tempDir('lanchat-taken-'), '--no-mdns'], ['server', '--json', '--data', tempDir('lanchat-taken-'), '--no-mdns']]) {
        const p = lanchat([...args, '--listen', `127.0.0.1:${port}`])
        expect(await p.exited).toBe(1)
        const said = p.stderr.join('\n')
        expect(said).toBe(`lanchat: port ${port} is already in use by another program on this computer (another lanchat?): choose another with --listen, e.g. --listen 0.0.0.0:0 for any free port, or stop the other program`)
      }
    } finally {
      holder.close()
    }
  })

  it('--listen on an address this computer does not have stops the start with what to do, not libp2p\'s stack', async () => {
    // 198.51.100.0/24 is for documentation (RFC 5737): no computer running the tests has 198.51.100.77.
    for (const args of [['peer', '--json', '--name', 'pat', '--data', tempDir('lanchat-notmine-'), '--no-mdns'], ['server', '--json', '--data', tempDir('lanchat-notmine-'), '--no-mdns']]) {
      const p = lanchat([...args, '--listen', '198.51.100.77:4001'])
      expect(await p.exited).toBe(1)
      const said = p.stderr.join('\n')
      expect(said).toMatch(/^lanchat: 198\.51\.100\.77 is not an address of this computer, so nothing can listen there: give --listen one of its own \(this computer's: [^)]*127\.0\.0\.1[^)]*\), or 0\.0\.0\.0:4001 for all of them$/)
    }
    // Port 0 (any free one), where Node's own words leave the port out; and an IPv6 address, where they run it into the port.
    const ipv6 = Object.values(networkInterfaces()).flat().some(a => a !== undefined && a.family === 'IPv6' && !a.internal && !a.address.startsWith('fe80'))
    for (const [listen, ip, all] of [['198.51.100.77:0', '198.51.100.77', '0.0.0.0:0'], ...(ipv6 ? [['[2001:db8::77]:0', '2001:db8::77', '[::]:0'], ['[2001:db8::77]:4001', '2001:db8::77', '[::]:4001']] : [])] as const) {
      const p = lanchat(['peer', '--json', '--name', 'pat', '--data', tempDir('lanchat-notmine-'), '--no-mdns', '--listen', listen])
      expect(await p.exited).toBe(1)
      const said = p.stderr.join('\n')
      expect(said.startsWith(`lanchat: ${ip} is not an address of this computer, so nothing can listen there: give --listen one of its own (this computer's: `), said).toBe(true)
      expect(said.endsWith(`), or ${all} for all of them`), said).toBe(true)
    }
  })

  it('a laptop that slept wakes to one line about its links ending meanwhile, not to everyone "left"', async () => {
    const alice = lanchat(['peer', '--json', '--name', 'alice', '--data', tempDir('lanchat-alice-'), ...LOOP])
    const addr = ((await alice.waitFor('alice ready', e => e.type === 'ready')).addrs as string[])[0]!
    const carol = lanchat(['peer', '--json', '--name', 'carol', '--data', tempDir('lanchat-carol-'), ...LOOP, '--dial', addr])
    await carol.waitFor('carol linked', e => e.type === 'peer:connect' && e.name === 'alice')
    const sleepy = lanchat(['peer', '--name', 'sleepy', '--data', tempDir('lanchat-sleepy-'), ...LOOP, '--dial', addr])
    await until('sleepy linked to both', () => saw(sleepy, /^\* alice joined/) && saw(sleepy, /^\* carol joined/))
    const id = /\((12D3\w+)\)/.exec(lines(sleepy)[0] ?? '')![1]!
    sleepy.child.kill('SIGSTOP')
    const asleep = lines(sleepy).length
    // While it sleeps the others hang up on it, as they do once their pings go unanswered (30 s on), and stay.
    for (const other of [alice, carol]) {
      other.send({ cmd: 'block', peerId: id })
      await other.waitFor('hung up on sleepy', e => e.type === 'peer:disconnect' && e.peerId === id)
      other.send({ cmd: 'unblock', peerId: id })
    }
    await new Promise(resolve => setTimeout(resolve, ASLEEP_MS + 1_000))
    sleepy.child.kill('SIGCONT')
    const woke = (): string[] => lines(sleepy).slice(asleep)
    await until('linked up again', () => woke().filter(l => /^\* (alice|carol) joined/.test(l)).length === 2, 20_000)
    // Nobody left: this computer did. Said once, with how long, before the links come back.
    expect(woke().filter(l => / left/.test(l))).toEqual([])
    expect(woke().filter(l => /links ended/.test(l))).toEqual([expect.stringMatching(/^\* LAN Chat did not run for \d+ s \(this computer asleep, or the program stopped\): its links ended meanwhile, linking up again$/)])
  }, 60_000)

  it('keeps its listening port across restarts when no --listen is given', async () => {
    const dir = tempDir('lanchat-port-')
    const port = (e: Ev): string => (e.addrs as string[]).map(a => a.split('/')[4]).find(p => p !== undefined) ?? ''
    const first = lanchat(['peer', '--json', '--no-mdns', '--data', dir])
    const before = port(await first.waitFor('ready', e => e.type === 'ready'))
    first.send({ cmd: 'quit' })
    expect(await first.exited).toBe(0)
    const again = lanchat(['peer', '--json', '--no-mdns', '--data', dir])
    expect(port(await again.waitFor('ready again', e => e.type === 'ready'))).toBe(before)
    again.send({ cmd: 'quit' })
    expect(await again.exited).toBe(0)
  })
})

describe('bin/lanchat peer --mode client in a terminal', () => {
  it('a file shared through the hub: named once, fetched from the hub, said "saved" and nothing else; /storage tells and frees what is kept', async () => {
    const hub = lanchat(['server', '--json', '--no-mdns', '--data', tempDir('lanchat-hub-'), '--listen', '127.0.0.1:0'])
    const addr = ((await hub.waitFor('hub ready', e => e.type === 'ready')).addrs as string[]).find(a => a.startsWith('/ip4/127.0.0.1/'))!
    const client = (name: string, downloads: string): Proc => lanchat(['peer', '--mode', 'client', '--server', addr, '--name', name, '--data', tempDir(`lanchat-${name}-`), '--no-mdns', '--downloads', downloads])
    const ann = client('ann', tempDir('lanchat-dl-ann-'))
    const into = tempDir('lanchat-dl-bob-')
    const bob = client('bob', into)
    await until('both joined the hub', () => saw(ann, /joined/) && saw(bob, /joined/))
    const file = join(tempDir('lanchat-share-'), 'minutes.bin')
    const bytes = randomBytes(3 * 1024 * 1024)
    writeFileSync(file, bytes)
    ann.child.stdin.write(`/file ${file}\n`)
    await until('shared', () => saw(bob, /\] ann: 📎 minutes\.bin \[3\.0 MiB, BIN file\] \/download [0-9a-f]{8}$/))
    bob.child.stdin.write('/download\n')
    await until('saved', () => saw(bob, new RegExp(`^\\* saved minutes\\.bin to ${join(into, 'minutes.bin').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)), 20_000)
    expect(readFileSync(join(into, 'minutes.bin')).equals(bytes)).toBe(true)
    // Progress, if any, names the hub; no "100%" line just before "saved", and no transfer figures among the person's lines.
    expect(lines(bob).filter(l => /minutes\.bin: \d+%/.test(l) && !/from the hub/.test(l))).toEqual([])
    expect(lines(bob).filter(l => /100%/.test(l))).toEqual([])
    expect(bob.stderr.filter(l => /minutes|bytes in/.test(l))).toEqual([])
    // What each keeps: Ann the file she shared, Bob a copy of someone else's, which /storage free takes (his saved one stays).
    ann.child.stdin.write('/storage\n')
    await until('ann\'s storage', () => saw(ann, /^\* files kept here: 1 you shared, 3\.0 MiB \(others download them from you\); none of others'$/))
    bob.child.stdin.write('/storage\n')
    await until('bob\'s storage', () => saw(bob, /^\* files kept here: none you shared; 1 of others', 3\.0 MiB \(kept to serve whoever asks\)$/))
    bob.child.stdin.write('/storage free\n')
    await until('bob freed it', () => saw(bob, /^\* freed 1 file of others', 3\.0 MiB \(what you saved stays where you saved it\); files kept here now: none you shared; none of others'$/))
    expect(readFileSync(join(into, 'minutes.bin')).equals(bytes)).toBe(true)
    bob.child.stdin.write('/storage everything\n')
    await until('a wrong word is refused', () => saw(bob, /\/storage free takes the copies/))
    // The hub says what it keeps for its clients, and frees none of it.
    hub.send({ cmd: 'storage' })
    const kept = await hub.waitFor('hub storage', e => e.type === 'storage')
    expect(kept).toMatchObject({ shared: { files: 0, bytes: 0 }, others: { files: 1 }, partial: { files: 0, bytes: 0 } })
    expect((kept.others as { bytes: number }).bytes).toBeGreaterThanOrEqual(bytes.byteLength)
    hub.send({ cmd: 'storage', free: true })
    await hub.waitFor('hub refuses to free', e => e.type === 'error' && /nothing here is a copy to free/.test(String(e.message)))
    for (const p of [ann, bob]) { p.child.stdin.write('/quit\n'); expect(await p.exited).toBe(0) }
    hub.send({ cmd: 'quit' })
    expect(await hub.exited).toBe(0)
  })

  it('quitting prints nobody as offline: the others on the hub are still there as its own link goes', async () => {
    const hub = lanchat(['server', '--json', '--no-mdns', '--data', tempDir('lanchat-hub-'), '--listen', '127.0.0.1:0'])
    const addr = ((await hub.waitFor('hub ready', e => e.type === 'ready')).addrs as string[]).find(a => a.startsWith('/ip4/127.0.0.1/'))!
    const ann = lanchat(['peer', '--mode', 'client', '--server', addr, '--name', 'ann', '--data', tempDir('lanchat-ann-'), '--no-mdns'])
    await until('ann on the hub', () => saw(ann, /^\* hub-\S+ joined/))
    const ben = lanchat(['peer', '--json', '--mode', 'client', '--server', addr, '--name', 'ben', '--data', tempDir('lanchat-ben-'), '--no-mdns'])
    await ben.waitFor('ben ready', e => e.type === 'ready')
    for (let i = 0; i < 40 && !saw(ann, /ben online/); i++) {
      ann.child.stdin.write('/who\n')
      await new Promise(resolve => setTimeout(resolve, 300))
    }
    expect(saw(ann, /ben online/)).toBe(true)
    // Past the first seconds, when the arrivals a link brings are one crowd and said as none.
    await new Promise(resolve => setTimeout(resolve, 3_500))
    ann.child.stdin.write('/quit\n')
    expect(await ann.exited).toBe(0)
    expect(lines(ann).filter(l => /is offline/.test(l))).toEqual([])
    ben.send({ cmd: 'quit' })
    hub.send({ cmd: 'quit' })
    expect(await hub.exited).toBe(0)
  })

  it('/mode says the switch, not everyone it was linked to as leaving', async () => {
    const hub = lanchat(['server', '--json', '--no-mdns', '--data', tempDir('lanchat-hub-'), '--listen', '127.0.0.1:0'])
    const addr = ((await hub.waitFor('hub ready', e => e.type === 'ready')).addrs as string[]).find(a => a.startsWith('/ip4/127.0.0.1/'))!
    const ann = terminalPeer('ann')
    await until('address', () => saw(ann, /^ {2}127\.0\.0\.1:\d+$/))
    const at = lines(ann).find(l => /^ {2}127\.0\.0\.1:\d+$/.test(l))!.trim()
    lanchat(['peer', '--json', '--name', 'ben', '--data', tempDir('lanchat-ben-'), ...LOOP, '--dial', at])
    await until('ben joined', () => saw(ann, /^\* ben joined/))
    ann.child.stdin.write(`/mode client ${addr}\n`)
    await until('a client of the hub', () => saw(ann, /^LAN Chat client "ann"/) && saw(ann, /^\* hub-\S+ joined/))
    ann.child.stdin.write('/mode p2p\n')
    await until('a peer again', () => lines(ann).filter(l => /^LAN Chat peer "ann"/.test(l)).length === 2)
    // Whatever was still to come of the old links' ends.
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(lines(ann).filter(l => / left\b/.test(l))).toEqual([])
  })

  it('a message written while the hub is away prints marked pending, and once numbered is said so, not printed again; /history shows the hub\'s numbers', async () => {
    const hubDir = tempDir('lanchat-hub-')
    const hubArgs = ['server', '--json', '--no-mdns', '--data', hubDir]
    const hub = lanchat(hubArgs)
    const addr = ((await hub.waitFor('hub ready', e => e.type === 'ready')).addrs as string[]).find(a => a.startsWith('/ip4/127.0.0.1/'))!
    hub.send({ cmd: 'quit' })
    expect(await hub.exited).toBe(0)
    const c = lanchat(['peer', '--mode', 'client', '--server', addr, '--name', 'cleo', '--data', tempDir('lanchat-cleo-'), '--no-mdns'])
    await until('banner', () => saw(c, /LAN Chat client "cleo"/))
    c.child.stdin.write('while the hub is down\n')
    // A message waiting for the hub is printed as a sent one is, marked pending, with when it was written, and told in words.
    const count = (re: RegExp): number => lines(c).filter(l => re.test(l)).length
    await until('printed pending', () => count(/^\[pending L1 \d\S* .*[0-9a-f]{8}\] you: while the hub is down$/) === 1)
    await until('told', () => saw(c, /^… your message waits for the hub, which cannot be reached: it goes, in order, once the hub is back \[[0-9a-f]{8}\]$/))
    const short = /^\[pending L1 .* ([0-9a-f]{8})\] you: /.exec(lines(c).find(l => / you: while the hub is down$/.test(l))!)![1]!
    // /history shows its line too.
    c.child.stdin.write('/history\n')
    await until('pending in history', () => count(/^\[pending L1 \d\S* .*[0-9a-f]{8}\] you: while the hub is down$/) === 2)
    // Said once, in words, however often the client retries meanwhile (backoff from 0.25 s).
    await new Promise(resolve => setTimeout(resolve, 1500))
    const port = addr.split('/')[4]
    expect(c.stderr.filter(l => l.includes(`the hub cannot be reached: Nothing is listening at 127.0.0.1:${port}`))).toHaveLength(1)
    const again = lanchat(hubArgs)
    await again.waitFor('hub back', e => e.type === 'ready')
    // Numbered, it is said so in a line: its words, printed when it was written, are not printed again.
    await until('numbered', () => saw(c, new RegExp(`^\\* your message \\[${short}\\] went out: the hub numbered it #1$`)), 20_000)
    expect(count(/ you: while the hub is down$/)).toBe(2)
    c.child.stdin.write('/history\n')
    await until('numbered in history', () => count(/^\[#1 L1 \d\S* .*[0-9a-f]{8}\] you: while the hub is down$/) === 1)
    c.child.stdin.write('/quit\n')
    expect(await c.exited).toBe(0)
    again.send({ cmd: 'quit' })
    expect(await again.exited).toBe(0)
  })

  it('an edit and a reaction made while the hub is away are told as such, not as messages, and land once it is back', async () => {
    const hubArgs = ['server', '--json', '--no-mdns', '--data', tempDir('lanchat-hub-'), '--listen', '/ip4/127.0.0.1/tcp/0']
    const hub = lanchat(hubArgs)
    const addr = ((await hub.waitFor('hub ready', e => e.type === 'ready')).addrs as string[])[0]!
    const c = lanchat(['peer', '--mode', 'client', '--server', addr, '--name', 'cleo', '--data', tempDir('lanchat-cleo-'), '--no-mdns'])
    await until('on the hub', () => saw(c, /^\* hub-\S+ joined/))
    c.child.stdin.write('good morning\n')
    await until('numbered', () => saw(c, /^\[#1 L1 .* [0-9a-f]{8}\] you: good morning$/), 20_000)
    const short = /^\[#1 L1 .* ([0-9a-f]{8})\] you: good morning$/.exec(lines(c).find(l => / you: good morning$/.test(l))!)![1]!
    hub.send({ cmd: 'quit' })
    expect(await hub.exited).toBe(0)
    await until('the hub gone', () => c.stderr.some(l => l.includes('the hub cannot be reached')), 20_000)
    c.child.stdin.write(`/edit ${short} good morning, all\n/react ${short} 👍\n`)
    const later = 'waits for the hub, which cannot be reached: it goes, in order, once the hub is back'
    await until('both told', () => saw(c, / your reaction 👍 to /))
    expect(lines(c).filter(l => l.startsWith('… your '))).toEqual([`… your edit of [${short}] ${later}`, `… your reaction 👍 to [${short}] ${later}`])
    const back = lanchat([...hubArgs.slice(0, -1), addr.split('/').slice(0, 5).join('/')])
    await back.waitFor('hub back', e => e.type === 'ready')
    // Asked again every half second until the client is back and both are numbered.
    const shown = (e: Ev): string => JSON.stringify((e.messages as Ev[]).map(m => [m.text, m.edited, (m.reactions as Array<{ emoji: string }>).map(r => r.emoji)]))
    let asked = 0
    await until('the hub shows both applied', () => {
      if (asked++ % 25 === 0) back.send({ cmd: 'history', room: 'lobby' })
      return back.events.some(e => e.type === 'history' && shown(e) === JSON.stringify([['good morning, all', true, ['👍']]]))
    }, 20_000)
    c.child.stdin.write('/quit\n')
    expect(await c.exited).toBe(0)
    back.send({ cmd: 'quit' })
    expect(await back.exited).toBe(0)
  })
})

/**
 * The rows a terminal `cols` wide shows after `written`: text wrapping at the edge, and the cursor
 * moves and erasures readline writes (CSI A, B, C, D, G, K and J).
 */
function screen (written: string, cols: number): string[] {
  const rows: string[][] = [[]]
  let r = 0
  let c = 0
  const row = (): string[] => { while (rows.length <= r) rows.push([]); return rows[r]! }
  for (let i = 0; i < written.length; i++) {
    const ch = written[i]!
    if (ch === '\x1b') {
      const m = /^\[\??(\d*)(?:;\d*)*([A-Za-z])/.exec(written.slice(i + 1, i + 16))
      if (m !== null) {
        const n = m[1] === '' ? undefined : Number(m[1])
        const line = row()
        if (m[2] === 'A') r = Math.max(0, r - (n ?? 1))
        else if (m[2] === 'B') r += n ?? 1
        else if (m[2] === 'C') c += n ?? 1
        else if (m[2] === 'D') c = Math.max(0, c - (n ?? 1))
        else if (m[2] === 'G') c = (n ?? 1) - 1
        else if (m[2] === 'K') rows[r] = (n ?? 0) === 2 ? [] : line.slice(0, c)
        else if (m[2] === 'J') { rows[r] = line.slice(0, c); rows.length = r + 1 }
        i += m[0].length
      }
      continue
    }
    if (ch === '\r') c = 0
    else if (ch === '\n') { r++; row() } else {
      if (c >= cols) { r++; c = 0 }
      const line = row()
      while (line.length < c) line.push(' ')
      line[c++] = ch
    }
  }
  return rows.map(x => x.join('').trimEnd())
}
