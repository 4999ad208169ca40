/**
 * bin/lanchat peer --json as a script drives it (README, "The headless
 * peer"): a reader that is slow, lines as scripts write them, a dial answered
 * once the link is up, and a script that sends and ends at once.
 */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { cleanup, tempDir } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat } from './helpers/proc.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']

/** bin/lanchat with `input` on stdin (then its end), its stdout read only after `pauseMs`: a slow reader. */
async function run (args: string[], input: string, pauseMs = 0): Promise<{ code: number | null, out: string, err: string }> {
  const child = spawn(resolve('bin/lanchat'), args, { stdio: ['pipe', 'pipe', 'pipe'] })
  onTestFinished(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  child.stdin.on('error', () => {})
  let out = ''
  let err = ''
  child.stderr.on('data', (b: Buffer) => { err += b.toString() })
  child.stdout.pause()
  child.stdout.on('data', (b: Buffer) => { out += b.toString() })
  setTimeout(() => { child.stdout.resume() }, pauseMs)
  child.stdin.end(input)
  const code = await new Promise<number | null>(done => { child.on('close', c => { done(c) }) })
  return { code, out, err }
}

const events = (out: string): Array<Record<string, unknown>> => out.split('\n').filter(l => l !== '').map(l => JSON.parse(l) as Record<string, unknown>)

describe('bin/lanchat peer --json for a script', () => {
  it('ends only once a slow reader has every answer: 20,000 sends, read after 2 s, all there, the last line whole', async () => {
    const n = 20_000
    let input = ''
    for (let i = 0; i < n; i++) input += JSON.stringify({ cmd: 'send', text: `n${i} ${'q'.repeat(300)}`, ref: i }) + '\n'
    const { code, out } = await run(['peer', '--json', '--data', tempDir('lanchat-slow-reader-'), ...LOOP], input, 2000)
    expect(code).toBe(0)
    // Before, the exit dropped what the pipe had not taken: a third to a half of it, a line cut in the middle.
    expect(out.endsWith('\n')).toBe(true)
    const seen = events(out)
    expect(seen.filter(e => e.type === 'done').map(e => e.ref)).toEqual(Array.from({ length: n }, (_, i) => i))
    expect(seen.filter(e => e.type === 'message')).toHaveLength(n)
  }, 60_000)

  it('reads lines as scripts write them: \\r\\n, a 20 MB line skipped with an error saying so, the next one run', async () => {
    const input = [
      JSON.stringify({ cmd: 'send', text: 'from windows', ref: 'crlf' }) + '\r\n',
      'y'.repeat(20 * 2 ** 20) + '\n',
      JSON.stringify({ cmd: 'send', to: '12D3KooWabc', peerId: 'x', text: 'secret', ref: 'typo' }) + '\n',
      JSON.stringify({ cmd: 'send', text: 'after', ref: 'after' })
    ].join('')
    const { code, out, err } = await run(['peer', '--json', '--data', tempDir('lanchat-lines-'), ...LOOP], input)
    expect(code).toBe(0)
    expect(err).not.toMatch(/\n\s+at /)
    const seen = events(out)
    expect(seen.find(e => e.ref === 'crlf')).toMatchObject({ type: 'done', cmd: 'send' })
    expect(seen.find(e => e.type === 'error' && e.ref === undefined)).toMatchObject({ code: 'CommandError', message: expect.stringMatching(/^a line is at most 4 MiB: one of 20971520 bytes was skipped/) })
    expect(seen.find(e => e.ref === 'typo')).toMatchObject({ type: 'error', message: expect.stringMatching(/^"send" does not take "peerId"/) })
    expect(seen.filter(e => e.type === 'message').map(e => e.text)).toEqual(['from windows', 'after'])
  }, 60_000)

  it('answers a dial once the link is up: dial, send and the end of input reach the peer dialed; sent before any link, stderr says it went nowhere', async () => {
    const listener = lanchat(['peer', '--json', '--name', 'listener', '--data', tempDir('lanchat-listener-'), ...LOOP])
    const ready = await listener.waitFor('ready', e => e.type === 'ready')
    const addr = String((ready.addrs as string[])[0])
    const input = [{ cmd: 'dial', addr, ref: 'dial' }, { cmd: 'send', text: 'build 42 passed', ref: 'sent' }].map(c => JSON.stringify(c) + '\n').join('')
    const once = await run(['peer', '--json', '--name', 'ci', '--data', tempDir('lanchat-ci-'), ...LOOP], input)
    expect(once.code).toBe(0)
    const seen = events(once.out)
    // The link's peer:connect comes before the dial's answer: a message sent next goes straight to it.
    expect(seen.findIndex(e => e.type === 'peer:connect')).toBeGreaterThan(-1)
    expect(seen.findIndex(e => e.type === 'peer:connect')).toBeLessThan(seen.findIndex(e => e.ref === 'dial'))
    await listener.waitFor('the message', e => e.type === 'message' && e.text === 'build 42 passed', 10_000)
    expect(once.err).not.toMatch(/reached no peer/)

    // --dial is tried in the background: ending at once, the message had nobody to go to, and that is said.
    const early = await run(['peer', '--json', '--name', 'hasty', '--data', tempDir('lanchat-hasty-'), ...LOOP, '--dial', addr], JSON.stringify({ cmd: 'send', text: 'too soon' }) + '\n')
    expect(early.code).toBe(0)
    expect(early.err).toMatch(/1 message\(s\) written here reached no peer \(none was linked\).*\{"cmd":"dial","addr":"ip:port"\} is answered once the link is up/)
    listener.send({ cmd: 'quit' })
    expect(await listener.exited).toBe(0)
  }, 60_000)
})
