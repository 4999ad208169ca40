/**
 * "in:#room" in the search dialog's words (renderer/src/search.ts): which
 * room it names, and what is left to search for. Pure: no UI.
 */
import { describe, expect, it } from 'vitest'
import { scopeOf, uncutSnippet } from '../renderer/src/search.js'

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

describe('a hit\'s snippet', () => {
  it('drops a formatting marker whose other half the snippet cut off, and keeps whole pairs', () => {
    expect(uncutSnippet('…projector [remote]? It was in room `B-204…')).toBe('…projector [remote]? It was in room B-204…')
    expect(uncutSnippet('…ended here** and [more] words')).toBe('…ended here and [more] words')
    expect(uncutSnippet('Run `npm [test]` before you **push**…')).toBe('Run `npm [test]` before you **push**…')
    expect(uncutSnippet('a ~~struck [word]~~ and `open…')).toBe('a ~~struck [word]~~ and open…')
    // Not cut, an odd marker is the author's: kept.
    expect(uncutSnippet('press the ` [key]')).toBe('press the ` [key]')
    expect(uncutSnippet('```sh\n[npm] test\n```')).toBe(' \n[npm] test\n ')
  })
})
