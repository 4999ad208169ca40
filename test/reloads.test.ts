import { describe, expect, it } from 'vitest'
import { Reloads } from '../renderer/src/reloads.js'

/** A load that ends when told: how many started, and how to end the oldest under way. */
function loads (): { started: () => number, end: () => void, load: () => Promise<void> } {
  const waiting: Array<() => void> = []
  let n = 0
  return {
    started: () => n,
    end: () => { waiting.shift()?.() },
    load: async () => { n++; await new Promise<void>(resolve => waiting.push(resolve)) }
  }
}

const tick = async (): Promise<void> => { await new Promise(resolve => setTimeout(resolve, 0)) }

describe('Reloads: a live view asked to load again while a load is under way', () => {
  it('loads once more when it is done, not once per ask (a slow search and a busy room)', async () => {
    const l = loads()
    const reloads = new Reloads(l.load)
    reloads.now()
    for (let i = 0; i < 50; i++) reloads.soon()
    expect(l.started()).toBe(1)
    l.end()
    await tick()
    expect(l.started()).toBe(2)
    l.end()
    await tick()
    // Nothing asked meanwhile: nothing more.
    expect(l.started()).toBe(2)
    // Idle: an ask loads at once.
    reloads.soon()
    expect(l.started()).toBe(3)
  })

  it('what is asked changing loads at once, and nothing starts once stopped', async () => {
    const l = loads()
    const reloads = new Reloads(l.load)
    reloads.now()
    reloads.now()
    expect(l.started()).toBe(2)
    reloads.soon()
    reloads.stop()
    l.end()
    l.end()
    await tick()
    expect(l.started()).toBe(2)
    reloads.now()
    reloads.soon()
    expect(l.started()).toBe(2)
  })

  it('a load that fails does not stop the next', async () => {
    let n = 0
    let fail: (e: Error) => void = () => {}
    const reloads = new Reloads(async () => { n++; await new Promise<void>((_resolve, reject) => { fail = reject }) })
    reloads.now()
    reloads.soon()
    fail(new Error('engine busy'))
    await tick()
    expect(n).toBe(2)
  })
})
