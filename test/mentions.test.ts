/**
 * @mentions: parsing (who a message mentions), the autocomplete's view of
 * the word being typed, and which messages notify (mentions even in a muted
 * room). Pure: no network, no UI.
 */
import { describe, expect, it } from 'vitest'
import { complete, findMentions, matchNames, mentionAt, mentions } from '../main/core/mentions.js'
import { notification } from '../main/app/notify.js'
import type { AppEvent } from '../preload/contract.js'

describe('mentions', () => {
  it('finds "@name" without regard to case, also names with spaces', () => {
    expect(mentions('hi @bob!', 'Bob')).toBe(true)
    expect(mentions('@BOB, look', 'bob')).toBe(true)
    expect(mentions('thanks @Ann Lee.', 'Ann Lee')).toBe(true)
    expect(findMentions('@ann and @Ann again', 'ann')).toEqual([{ start: 0, end: 4 }, { start: 9, end: 13 }])
  })

  it('does not take a longer word, an e-mail address or a bare name for a mention', () => {
    expect(mentions('hi @bobby', 'bob')).toBe(false)
    expect(mentions('mail bob@example.com', 'example')).toBe(false)
    expect(mentions('bob, are you there?', 'bob')).toBe(false)
    expect(mentions('@bob_2 hi', 'bob')).toBe(false)
    expect(mentions('anything @', '')).toBe(false)
  })
})

describe('the autocomplete', () => {
  it('sees the "@word" right before the caret, and nothing else', () => {
    expect(mentionAt('hey @bo', 7)).toEqual({ start: 4, query: 'bo' })
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionAt('hey @bo there', 13)).toBeUndefined()
    expect(mentionAt('me@host', 7)).toBeUndefined()
    expect(mentionAt('hey @bo', 3)).toBeUndefined()
  })

  it('offers names that start with the query first, then those that contain it', () => {
    const names = ['Bob', 'Annabel', 'bobby', 'Carol', 'Jo Bo', 'Bob']
    expect(matchNames(names, 'bo')).toEqual(['Bob', 'bobby', 'Jo Bo'])
    expect(matchNames(names, '')).toHaveLength(5)
    expect(matchNames(names, 'zz')).toEqual([])
  })

  it('replaces the typed "@query" with the name and a space, the caret after it', () => {
    expect(complete('hey @bo and', { start: 4, query: 'bo' }, 7, 'Bob')).toEqual({ text: 'hey @Bob  and', caret: 9 })
    const done = complete('@a', { start: 0, query: 'a' }, 2, 'Ann Lee')
    expect(done).toEqual({ text: '@Ann Lee ', caret: 9 })
    expect(mentions(done.text, 'Ann Lee')).toBe(true)
  })
})

describe('notifications', () => {
  const message = (room: string, text: string, author = 'bob-id'): AppEvent => ({ type: 'message', id: 'x', room, author, name: 'Bob', text, lamport: 1, sentAt: 0, deps: [] })
  const me = { self: 'me-id', name: 'Ann', muted: ['random'] }

  it('notify for messages from others, not our own', () => {
    expect(notification(message('lobby', 'hi'), me)).toEqual({ title: 'Bob in #lobby', body: 'hi', mention: false })
    expect(notification(message('lobby', 'hi', 'me-id'), me)).toBeUndefined()
    expect(notification({ type: 'pending', id: 'x', room: 'lobby' }, me)).toBeUndefined()
  })

  it('keep a muted room quiet, except for a message that mentions us', () => {
    expect(notification(message('random', 'hi all'), me)).toBeUndefined()
    expect(notification(message('random', 'hi @ann'), me)).toEqual({ title: 'Bob mentioned you in #random', body: 'hi @ann', mention: true })
    expect(notification(message('lobby', '@Ann look'), me)?.title).toBe('Bob mentioned you in #lobby')
  })
})
