import { describe, expect, it } from 'vitest'
import { paceText } from '../renderer/src/format.js'

/** What a download's card says after "12 MiB of 286 MiB ·": its pace, or what it waits for. */
describe('a download card\'s pace', () => {
  const moving = { bytesPerSecond: 2 * 1024 * 1024, secondsLeft: 90, holders: 2, waiting: false }
  const left = { bytesPerSecond: 0, secondsLeft: null, holders: 0, waiting: true }

  it('says the speed and the time left while it moves, "measuring speed…" before it is known', () => {
    expect(paceText(moving)).toBe('2.0 MiB/s · 1 min 30 s left')
    expect(paceText({ ...moving, bytesPerSecond: 0, secondsLeft: null })).toBe('measuring speed…')
  })

  it('says whom it waits for once nothing comes: whoever has it, or in client mode the hub', () => {
    expect(paceText(left)).toBe('waiting for someone who has it to connect (what came is kept)')
    expect(paceText({ ...left, holders: 1 })).toBe('waiting: nothing has come for a few seconds')
    expect(paceText(left, true)).toBe('waiting for the hub to connect (what came is kept)')
    // The hub is there but sends nothing: it has not got the file (yet), and fetches it from whoever shared it.
    expect(paceText(left, true, true)).toBe('waiting for the hub to get it from whoever shared it (what came is kept)')
  })
})
