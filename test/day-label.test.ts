/**
 * The line above a day's first message (renderer/src/format.ts): which day a
 * message belongs to in the reader's time zone, and what the line says.
 */
import { describe, expect, it } from 'vitest'
import { dayLabel, dayOf } from '../renderer/src/format'

const at = (y: number, m: number, d: number, h = 12, min = 0): number => new Date(y, m - 1, d, h, min).getTime()

describe('day lines', () => {
  it('a day runs from local midnight to midnight', () => {
    expect(dayOf(at(2026, 12, 2, 0, 0))).toBe(dayOf(at(2026, 12, 2, 23, 59)))
    expect(dayOf(at(2026, 12, 1, 23, 59))).not.toBe(dayOf(at(2026, 12, 2, 0, 0)))
    expect(dayOf(at(2026, 12, 31))).toBeLessThan(dayOf(at(2027, 1, 1)))
  })

  it('says Today, Yesterday, the weekday and date this year, the full date before', () => {
    const now = at(2026, 12, 2, 9)
    expect(dayLabel(at(2026, 12, 2, 0, 1), now)).toBe('Today')
    expect(dayLabel(at(2026, 12, 1, 23, 59), now)).toBe('Yesterday')
    expect(dayLabel(at(2026, 11, 30), now, 'en-US')).toBe('Monday, November 30')
    expect(dayLabel(at(2025, 12, 24), now, 'en-US')).toBe('December 24, 2025')
    // Yesterday across a month and a year boundary.
    expect(dayLabel(at(2026, 12, 31, 18), at(2027, 1, 1, 8))).toBe('Yesterday')
    // A sender's clock ahead of the reader's: its day, not "Today".
    expect(dayLabel(at(2026, 12, 3, 1), now, 'en-US')).toBe('Thursday, December 3')
  })
})
