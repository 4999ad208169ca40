import { ClockJumpError } from './errors.js'
import { MAX_CLOCK_JUMP, MAX_LAMPORT } from './limits.js'

/**
 * A Lamport clock (Lamport 1978): tick before each send, and on each receive
 * jump past the received time. The value only grows; the store persists it so
 * it never goes back across restarts.
 */
export class LamportClock {
  #time: number

  constructor (start = 0) {
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`bad clock start ${start}`)
    this.#time = start
  }

  get time (): number {
    return this.#time
  }

  /** A local event (a send): the new time to stamp it with. */
  tick (): number {
    this.#time += 1
    return this.#time
  }

  /** A receive event: max(local, received) + 1. */
  receive (received: number): number {
    this.#time = Math.max(this.#time, received) + 1
    return this.#time
  }

  /**
   * Set the clock back to `time`: only for a history that starts over lower than
   * everything this clock counted (a client on a new hub, HubOrdering), where
   * what it counted before is not anyone's causal past.
   */
  restart (time: number): void {
    if (!Number.isSafeInteger(time) || time < 0) throw new RangeError(`bad clock time ${time}`)
    this.#time = time
  }

  /** Raise the clock to at least `time` without counting an event (restore). */
  advanceTo (time: number): void {
    if (time > this.#time) this.#time = time
  }
}

/**
 * Reject a timestamp that runs absurdly far ahead of its own causal past.
 * Deterministic: it depends only on the message and its dependencies, so every
 * peer accepts or rejects the same message alike.
 */
export function checkClockJump (lamport: number, pastMax: number): void {
  if (!Number.isSafeInteger(lamport) || lamport < 1 || lamport >= MAX_LAMPORT) {
    throw new ClockJumpError(`Lamport time ${lamport} is out of range`)
  }
  if (lamport <= pastMax) {
    throw new ClockJumpError(`Lamport time ${lamport} is not after its causal past (${pastMax})`)
  }
  if (lamport - pastMax > MAX_CLOCK_JUMP) {
    throw new ClockJumpError(`Lamport time ${lamport} jumps ${lamport - pastMax} past its causal past (limit ${MAX_CLOCK_JUMP})`)
  }
}
