/**
 * Deadlines on a peer's silence (main/net/silence.ts) over a real loopback
 * socket: what the peer sent while this process was stalled is read before
 * the deadline counts it silent.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { GRACE_MS, LATE_MS, onSilence, silenceSignal } from '../main/net/silence.js'

/** Hold this thread as a stopped or starved process would be held: no timers, no input. */
const stall = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms) }
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('a deadline on a peer\'s silence', () => {
  let server: Server | undefined
  const sockets: Socket[] = []
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy()
    server?.close()
  })

  /** Our end of a loopback connection, and a way for the other end to write to it. */
  const pair = async (): Promise<{ ours: Socket, theirs: Socket }> => {
    const accepted = new Promise<Socket>(resolve => { server = createServer(resolve).listen(0, '127.0.0.1') })
    await new Promise(resolve => server!.once('listening', resolve))
    const address = server!.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    const ours = connect(address.port, '127.0.0.1')
    const theirs = await accepted
    await new Promise(resolve => ours.once('connect', resolve))
    sockets.push(ours, theirs)
    return { ours, theirs }
  }

  it('that came due while this process was stalled reads what the peer sent meanwhile first', async () => {
    const { ours, theirs } = await pair()
    const seen: string[] = []
    ours.on('data', () => { seen.push('answer') })
    const timer = onSilence(200, () => { seen.push('silent') })
    ours.once('data', () => { timer.clear() })
    // The peer answers in time (its bytes reach our socket at once); this process wakes only after the deadline.
    theirs.write('hello')
    stall(200 + LATE_MS + 300)
    await sleep(GRACE_MS + 300)
    expect(seen).toEqual(['answer'])
  })

  it('still fires, on time, for a peer that says nothing', async () => {
    const started = performance.now()
    let firedAfter = -1
    onSilence(200, () => { firedAfter = performance.now() - started })
    await sleep(200 + LATE_MS)
    expect(firedAfter).toBeGreaterThanOrEqual(199)
  })

  it('still fires, after the grace, for a peer that said nothing while this process was stalled', async () => {
    let fired = false
    onSilence(200, () => { fired = true })
    stall(200 + LATE_MS + 300)
    await sleep(50)
    expect(fired).toBe(false)
    await sleep(GRACE_MS + 300)
    expect(fired).toBe(true)
  })

  it('as a signal, aborts with a TimeoutError, and not once cleared', async () => {
    const a = silenceSignal(100)
    const b = silenceSignal(100)
    b.clear()
    await sleep(400)
    expect(a.signal.aborted).toBe(true)
    expect((a.signal.reason as Error).name).toBe('TimeoutError')
    expect(b.signal.aborted).toBe(false)
  })
})
