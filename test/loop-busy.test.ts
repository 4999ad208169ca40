/**
 * How busy a process counts itself (main/net/loop-busy.ts), which decides
 * whether a download asks for whole chunks: an event loop that is idle only
 * because every core is taken must count as busy, and one with nothing to do
 * as idle, however busy the core. A real process, held to one core at the
 * lowest priority next to processes that spin on it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'

const module = join(import.meta.dirname, '../main/net/loop-busy.ts')
const canPin = process.platform === 'linux' && spawnSync('taskset', ['-c', '0', 'true']).status === 0 && spawnSync('nice', ['-n', '19', 'true']).status === 0

/**
 * Once told to on stdin, for half a second: a timer every millisecond (`tick`) or nothing
 * (`sleep`); then prints loopBusy()'s share and the event loop's own.
 */
const child = (mode: 'tick' | 'sleep'): string => `
const { loopBusy } = await import(${JSON.stringify(module)})
const { performance } = await import('node:perf_hooks')
console.log('ready')
process.stdin.once('data', () => {
  const share = loopBusy()
  const from = performance.eventLoopUtilization()
  const tick = ${mode === 'tick'} ? setInterval(() => {}, 1) : undefined
  setTimeout(() => {
    clearInterval(tick)
    console.log(JSON.stringify({ share: share(), loop: performance.eventLoopUtilization(from).utilization }))
    process.exit(0)
  }, 500)
})
`

const running: ChildProcess[] = []
afterEach(() => { for (const p of running.splice(0)) p.kill('SIGKILL') })

/** Run `mode` on core 0 at priority `nice` while `hogs` processes spin on that core. */
async function starved (mode: 'tick' | 'sleep', nice: number, hogs: number): Promise<{ share: number, loop: number }> {
  const p = spawn('nice', ['-n', String(nice), 'taskset', '-c', '0', process.execPath, '--input-type=module', '-e', child(mode)], { stdio: ['pipe', 'pipe', 'inherit'] })
  running.push(p)
  const out = createInterface({ input: p.stdout! })[Symbol.asyncIterator]()
  expect((await out.next()).value).toBe('ready')
  for (let i = 0; i < hogs; i++) running.push(spawn('taskset', ['-c', '0', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' }))
  await new Promise(resolve => setTimeout(resolve, 200))
  p.stdin!.write('go\n')
  return JSON.parse((await out.next()).value as string) as { share: number, loop: number }
}

describe.skipIf(!canPin)('how busy a process counts itself, on a core others keep busy', () => {
  it('counts the time it waited for the core, which its event loop counts as idle', async () => {
    // At the lowest priority, next to three, the child gets a sliver of the core and waits for it at every tick.
    // That its event loop then counts itself mostly idle is the premise, not what is tested: on a machine
    // whose other core is busy too (a test suite running beside this file) the child's timers can fall so
    // far behind that its loop never idles, so the scene is set up again, up to three times, until it holds.
    let seen = await starved('tick', 19, 3)
    for (let tries = 1; tries < 3 && seen.loop >= 0.6; tries++) {
      for (const p of running.splice(0)) p.kill('SIGKILL')
      seen = await starved('tick', 19, 3)
    }
    const { share, loop } = seen
    expect(loop).toBeLessThan(0.6)
    expect(share).toBeGreaterThan(0.85)
  }, 30_000)

  it('counts itself idle when it has nothing to do', async () => {
    // At normal priority: a sleeping process that wakes once is given the core at once.
    const { share } = await starved('sleep', 0, 1)
    expect(share).toBeLessThan(0.3)
  }, 30_000)
})
