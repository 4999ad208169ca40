/**
 * "in:#room" in the search dialog's words (renderer/src/search.ts): which
 * room it names, and what is left to search for. Pure: no UI.
 */
import { describe, expect, it } from 'vitest'
import { scopeOf } from '../renderer/src/search.js'

describe('in:#room in a search', () => {
  it('takes the room out of the words, wherever it is, with or without #', () => {
    expect(scopeOf('pineapple in:#kitchen')).toEqual({ words: 'pineapple', room: 'kitchen' })
    expect(scopeOf('in:Kitchen ripe pineapple')).toEqual({ words: 'ripe pineapple', room: 'kitchen' })
    expect(scopeOf('ripe in:#kitchen pineapple')).toEqual({ words: 'ripe pineapple', room: 'kitchen' })
    expect(scopeOf('in:#kitchen')).toEqual({ words: '', room: 'kitchen' })
  })

  it('leaves words that only look like it', () => {
    expect(scopeOf('  pineapple  ')).toEqual({ words: 'pineapple' })
    expect(scopeOf('login:admin')).toEqual({ words: 'login:admin' })
    expect(scopeOf('in: kitchen')).toEqual({ words: 'in: kitchen' })
    expect(scopeOf('in:#')).toEqual({ words: 'in:#' })
  })
})
