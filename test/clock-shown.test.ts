/**
 * A message from a computer whose clock is wrong, as the terminal prints it:
 * never dated later than it arrived here (a clock ahead would put it in the
 * future, on a day not come yet); one from a clock behind is dated as said,
 * since a message that waited to be sent (written offline) is old for real.
 */
import { describe, expect, it } from 'vitest'
import { stamp, Terminal } from '../main/app/terminal.js'
import type { ChatEvent } from '../main/chat/types.js'
import { writtenAt } from '../preload/contract.js'

const HOUR = 3_600_000
const message = (text: string, sentAt: number, deliveredAt: number): ChatEvent => ({
  type: 'message', id: `${text.length}`.padEnd(64, 'a'), room: 'lobby', author: 'ny-peer', name: 'ny', text, lamport: 3, sentAt, deliveredAt, deps: []
})

describe('a message from a clock that is off', () => {
  it('is printed at the time it arrived when its author\'s clock is ahead, at its own time when behind', () => {
    const term = new Terminal(() => 'me')
    const arrived = new Date(2026, 11, 6, 22, 30).getTime()
    // Three hours ahead: written (for its author) at 01:30 tomorrow; here it is 22:30.
    const ahead = term.format(message('from the future', arrived + 3 * HOUR, arrived))
    expect(ahead).toContain(`${stamp(arrived)} `)
    expect(ahead).not.toContain(stamp(arrived + 3 * HOUR))
    // Two days behind: printed with the day its author's clock said.
    const behind = term.format(message('from the past', arrived - 48 * HOUR, arrived))
    expect(behind).toContain(`${stamp(arrived - 48 * HOUR)} `)
    // What the window and the terminal share.
    expect(writtenAt({ sentAt: arrived + 3 * HOUR, deliveredAt: arrived })).toBe(arrived)
    expect(writtenAt({ sentAt: arrived - 48 * HOUR, deliveredAt: arrived })).toBe(arrived - 48 * HOUR)
    expect(writtenAt({ sentAt: arrived })).toBe(arrived)
  })

  it('/who and an offline line say the day someone was last seen when it was not today', () => {
    const term = new Terminal(() => 'me')
    const threeDaysAgo = new Date(new Date().setHours(10, 42, 1, 0) - 3 * 86_400_000).getTime()
    const day = new Date(threeDaysAgo).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    const clock = new Date(threeDaysAgo).toLocaleTimeString()
    // (With the year too, "Dec 3, 2026", in the first days of a year.)
    expect(term.format({ type: 'presence', people: [{ peerId: 'b', name: 'bob', state: 'offline', lastSeen: threeDaysAgo }] }))
      .toMatch(new RegExp(`^○ bob offline, last seen ${day}(, \\d{4})? ${clock}$`))
    expect(term.format({ type: 'peer:presence', peerId: 'c', name: 'cat', state: 'online' })).toBe('* cat is online')
    expect(term.format({ type: 'peer:presence', peerId: 'c', name: 'cat', state: 'offline', lastSeen: threeDaysAgo }))
      .toMatch(new RegExp(`^\\* cat is offline \\(last seen ${day}(, \\d{4})? ${clock}\\)$`))
  })
})
