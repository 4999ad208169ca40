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

export interface ThroughputResult { msgsPerSec: number, runs: number[], messages: number }
export interface LatencyResult { p50Ms: number, p99Ms: number, samples: number }

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

/** Sends `count` messages as fast as the system accepts them; ms until every receiver has all of them. */
async function blast (top: Topology, body: string, count: number, window: number): Promise<number> {
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
      if (inflight.size >= window) await Promise.race(inflight)
    }
    if (failure != null) throw failure
  }
  await Promise.all(inflight)
  if (failure != null) throw failure
  await delivered.done
  return now() - start
}

export async function measureThroughput (top: Topology, bytes: number, plan: Plan): Promise<ThroughputResult> {
  const body = payload(bytes)
  const warmMs = await blast(top, body, plan.warmupMessages, plan.window)
  const warmRate = plan.warmupMessages / (warmMs / 1000)
  const messages = Math.round(Math.min(200_000, Math.max(200, warmRate * plan.targetSeconds)))
  const runs: number[] = []
  for (let r = 0; r < plan.reps; r++) {
    const ms = await blast(top, body, messages, plan.window)
    runs.push(messages / (ms / 1000))
  }
  return { msgsPerSec: median(runs), runs, messages }
}

/**
 * One message at a time: the time from send() until every receiver has it.
 * With one receiver this is one-way delivery latency; with N, "all delivered".
 * p50/p99 are taken per repetition and the medians of those reported.
 */
export async function measureLatency (top: Topology, bytes: number, plan: Plan): Promise<LatencyResult> {
  const body = payload(bytes)
  const one = async (): Promise<number> => {
    const delivered = new Countdown(top.receivers)
    top.onDeliver(() => delivered.tick())
    const start = now()
    const sent = top.send(body)
    await delivered.done
    const ms = now() - start
    await sent
    return ms
  }
  for (let i = 0; i < plan.latencyWarmup; i++) await one()
  const p50s: number[] = []
  const p99s: number[] = []
  for (let r = 0; r < plan.reps; r++) {
    const samples: number[] = []
    for (let i = 0; i < plan.latencySamples; i++) samples.push(await one())
    p50s.push(percentile(samples, 0.5))
    p99s.push(percentile(samples, 0.99))
  }
  return { p50Ms: median(p50s), p99Ms: median(p99s), samples: plan.latencySamples * plan.reps }
}
