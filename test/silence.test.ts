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
    const [theirs] = await Promise.all([accepted, new Promise(resolve => ours.once('connect', resolve))])
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

  it('still fires for a peer that says nothing, not before its time', async () => {
    const started = performance.now()
    const after = await new Promise<number>(resolve => { onSilence(200, () => { resolve(performance.now() - started) }) })
    expect(after).toBeGreaterThanOrEqual(199)
  })

  it('still fires for a peer that said nothing while this process was stalled, a grace after it woke', async () => {
    let firedAt = -1
    onSilence(200, () => { firedAt = performance.now() })
    stall(200 + LATE_MS + 300)
    const woke = performance.now()
    for (let i = 0; i < 60 && firedAt < 0; i++) await sleep(50)
    expect(firedAt - woke).toBeGreaterThanOrEqual(GRACE_MS - 50)
  })

  it('as a signal, aborts with a TimeoutError, and not once cleared', async () => {
    const a = silenceSignal(100)
    const b = silenceSignal(100)
    b.clear()
    await new Promise(resolve => { a.signal.addEventListener('abort', resolve) })
    await sleep(100)
    expect((a.signal.reason as Error).name).toBe('TimeoutError')
    expect(b.signal.aborted).toBe(false)
  })
})
