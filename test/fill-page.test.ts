/**
 * A page of history filled to its limit with what shows (edits and reactions take rows in the
 * store, none on screen): it stops when the store's answer no longer moves, not read for ever.
 */
import { describe, expect, it } from 'vitest'
import { fillPage } from '../main/chat/edit-book.js'
import type { MessageView } from '../main/chat/types.js'

const view = (id: string): MessageView => ({ id, room: 'lobby', author: 'a', name: 'a', text: id, lamport: 1, sentAt: 0, deps: [] })

describe('a page filled past rows that do not show', () => {
  it('ends when the store answers the same page again (an edge it places nowhere), with what it has', () => {
    let reads = 0
    // Every read answers the same two stored rows, neither of which shows (an edit, a reaction): the edge never moves.
    const read = (): { raw: MessageView[], shown: MessageView[] } => {
      if (++reads > 1_000) throw new Error('read for ever')
      return { raw: [view('x'), view('y')], shown: [] }
    }
    expect(fillPage(read, { before: 'z', limit: 2 })).toEqual([])
    expect(reads).toBeLessThan(5)
  })
})
