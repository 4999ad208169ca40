/**
 * The space-time diagram's export is named after the conversation as its
 * header names it, in a form every system takes as a file name.
 */
import { describe, expect, it } from 'vitest'
import { exportName } from '../renderer/src/exportName.js'

describe('an export\'s file name', () => {
  it('names the conversation, never its internal id, with nothing Windows refuses in it', () => {
    expect(exportName('#lobby')).toBe('space-time-lobby')
    expect(exportName('@Ada Lovelace')).toBe('space-time-Ada-Lovelace')
    expect(exportName('Q3: plans / "draft"?')).toBe('space-time-Q3-plans-draft')
    expect(exportName('..hidden.')).toBe('space-time-hidden')
    expect(exportName('#')).toBe('space-time-conversation')
    for (const where of ['#lobby', '@Ada', 'a<b>c|d*e\\f', 'x'.repeat(200)]) {
      expect(exportName(where)).not.toMatch(/[\\/:*?"<>|]/)
      expect(exportName(where).length).toBeLessThanOrEqual(71)
    }
  })
})
