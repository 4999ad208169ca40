/**
 * The measuring loop shared by every system, so that "throughput", "latency" and
 * "delivered" mean the same thing in each row of the table.
 *
 * A system under test is a `Topology`: one sender and N receivers, all in this
 * process (one event loop, like-for-like across rows). Times are taken with
 * performance.now() in the same process, so one-way latency needs no clock sync.
 */
import { Countdown, median, now, payload, percentile } from './stats.js'

export interface Topology {
  readonly receivers: number
  /** Most send() promises in flight, when the system's API allows fewer than the plan's window. */
  readonly window?: number
  /**
   * Send one message from the sender to every receiver. A returned promise is
   * the system's own backpressure or acknowledgement; the harness keeps at most
   * `window` of them in flight.
   */
  send(body: string): void | Promise<void>
  /** The harness installs one callback; the topology calls it once per message per receiver. */
  onDeliver(fn: () => void): void
  /** TCP connections open between the nodes of this topology. */
  connections(): number
  close(): Promise<void>
}

export interface ThroughputResult { msgsPerSec: number, runs: number[], messages: number, lost: number }
export interface LatencyResult { p50Ms: number, p99Ms: number, samples: number, lost: number }

/** A message not delivered within this long after the last delivery counts as lost. */
const STALL_MS = 2000

export interface Plan {
  reps: number
  /** Each throughput repetition aims to last this long (count chosen from a warm-up run). */
  targetSeconds: number
  warmupMessages: number
  latencySamples: number
  latencyWarmup: number
  /** Max outstanding send() promises during a throughput run. */
  window: number
}

/**
 * Sends `count` messages as fast as the system accepts them. Returns the ms
 * from the first send to the last delivery, and how many deliveries never came.
 */
async function blast (top: Topology, body: string, count: number, window: number): Promise<{ ms: number, lost: number }> {
  const delivered = new Countdown(count * top.receivers)
  top.onDeliver(() => delivered.tick())
  const inflight = new Set<Promise<void>>()
  let failure: unknown
  const start = now()
  for (let i = 0; i < count; i++) {
    const sent = top.send(body)
    if (sent != null) {
      const p: Promise<void> = sent.then(() => { inflight.delete(p) }, (err: unknown) => { failure ??= err; inflight.delete(p) })
      inflight.add(p)
      if (inflight.size >= Math.min(window, top.window ?? window)) await Promise.race(inflight)
    }
    if (failure != null) throw failure
  }
  await Promise.all(inflight)
  if (failure != null) throw failure
  const lost = await delivered.wait(STALL_MS)
  return { ms: delivered.lastAt - start, lost }
}

export async function measureThroughput (top: Topology, bytes: number, plan: Plan): Promise<ThroughputResult> {
  const body = payload(bytes)
  const warm = await blast(top, body, plan.warmupMessages, plan.window)
  const warmRate = plan.warmupMessages / (warm.ms / 1000)
  const messages = Math.round(Math.min(200_000, Math.max(200, warmRate * plan.targetSeconds)))
  const runs: number[] = []
  let lost = 0
  for (let r = 0; r < plan.reps; r++) {
    const run = await blast(top, body, messages, plan.window)
    // Only delivered messages count towards throughput; a lost one is reported, not hidden.
    runs.push((messages * top.receivers - run.lost) / top.receivers / (run.ms / 1000))
    lost += run.lost
  }
  return { msgsPerSec: median(runs), runs, messages, lost }
}

/**
 * One message at a time: the time from send() until every receiver has it.
 * With one receiver this is one-way delivery latency; with N, "all delivered".
 * p50/p99 are taken per repetition and the medians of those reported.
 */
export async function measureLatency (top: Topology, bytes: number, plan: Plan): Promise<LatencyResult> {
  const body = payload(bytes)
  let lost = 0
  /** One message's latency, or undefined when some receiver never got it. */
  const one = async (): Promise<number | undefined> => {
    const delivered = new Countdown(top.receivers)
    top.onDeliver(() => delivered.tick())
    const start = now()
    const sent = top.send(body)
    const missing = await delivered.wait(STALL_MS)
    const ms = delivered.lastAt - start
    await sent
    lost += missing
    return missing === 0 ? ms : undefined
  }
  for (let i = 0; i < plan.latencyWarmup; i++) await one()
  lost = 0
  const p50s: number[] = []
  const p99s: number[] = []
  for (let r = 0; r < plan.reps; r++) {
    const samples: number[] = []
    for (let i = 0; i < plan.latencySamples; i++) {
      const ms = await one()
      if (ms != null) samples.push(ms)
    }
    p50s.push(percentile(samples, 0.5))
    p99s.push(percentile(samples, 0.99))
  }
  return { p50Ms: median(p50s), p99Ms: median(p99s), samples: plan.latencySamples * plan.reps, lost }
}
