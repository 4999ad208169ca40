/**
 * bin/lanchat peer --json as a script drives it (README, "The headless
 * peer"): a dial answered once the link is up.
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
  it('answers a dial once the link is up: dial, send and the end of input reach the peer dialed', async () => {
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
    listener.send({ cmd: 'quit' })
    expect(await listener.exited).toBe(0)
  }, 60_000)
})
