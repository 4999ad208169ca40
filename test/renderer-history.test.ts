import { describe, expect, it } from 'vitest'
import type { MessageView } from '../preload/contract.js'
import { FIRST_INDEX, initialState, MAX_LIVE_ROWS, PAGE, reducer, type State } from '../renderer/src/store.js'

/**
 * The window asks for a room's newest page while messages keep coming. The answer may have been
 * read before a message was stored, and that message's event reach the window before the answer
 * (Electron sends answers and events on two channels; a restart's catch-up lands right then):
 * the message must still be shown, once.
 */

const msg = (lamport: number, text: string): MessageView => ({ id: `id-${lamport}`, room: 'lobby', author: 'alice', name: 'Alice', text, lamport, sentAt: lamport, deps: [] })
const running: State = reducer(initialState, { type: 'event', event: { type: 'ready', peerId: 'bob', name: 'Bob', mode: 'p2p', addrs: [] } })
const texts = (s: State): string[] => (s.roomData.lobby?.entries ?? []).map((e) => e.message.text)

describe('a room\'s first page and the messages that come meanwhile', () => {
  it('a message whose event comes before the page read without it is shown after the page', () => {
    let s = reducer(running, { type: 'event', event: { type: 'message', ...msg(3, 'while you were away') } })
    s = reducer(s, { type: 'history', room: 'lobby', window: 'newest', messages: [msg(1, 'before restart 1'), msg(2, 'before restart 2')] })
    expect(texts(s)).toEqual(['before restart 1', 'before restart 2', 'while you were away'])
  })

  it('one the page holds too is shown once, and one older than the page is left to the page', () => {
    let s = reducer(running, { type: 'event', event: { type: 'message', ...msg(2, 'in both') } })
    s = reducer(s, { type: 'event', event: { type: 'message', ...msg(1, 'older, not in this page') } })
    s = reducer(s, { type: 'history', room: 'lobby', window: 'newest', messages: [msg(2, 'in both'), msg(5, 'newest')] })
    expect(texts(s)).toEqual(['in both', 'newest'])
  })

  it('one a peer back from away wrote, sorting inside the page read without it, is shown in its place', () => {
    // Bob wrote while away (L3, L4); catch-up brings Alice's of meanwhile (L3) as the page is read.
    const mine = (lamport: number, text: string): MessageView => ({ ...msg(lamport, text), id: `bob-${lamport}`, author: 'bob', name: 'Bob' })
    let s = reducer(running, { type: 'event', event: { type: 'message', ...msg(3, 'Alice, meanwhile') } })
    s = reducer(s, { type: 'history', room: 'lobby', window: 'newest', messages: [msg(1, 'before'), mine(3, 'Bob, away 1'), mine(4, 'Bob, away 2')] })
    expect(texts(s)).toEqual(['before', 'Alice, meanwhile', 'Bob, away 1', 'Bob, away 2'])
  })

  it('a room never opened keeps at most a page of what came', () => {
    let s = running
    for (let i = 1; i <= PAGE + 50; i++) s = reducer(s, { type: 'event', event: { type: 'message', ...msg(i, `m${i}`) } })
    expect(s.roomData.lobby?.entries.length).toBe(PAGE)
    expect(texts(s).at(-1)).toBe(`m${PAGE + 50}`)
  })
})

describe('receipts', () => {
  it('keeps receipts of our own messages only (the engine tells of every receipt it takes, its own for each message included)', () => {
    const ours = { ...msg(1, 'mine'), author: 'bob', name: 'Bob' }
    let s = reducer(running, { type: 'event', event: { type: 'message', ...ours } })
    s = reducer(s, { type: 'event', event: { type: 'message', ...msg(2, 'theirs') } })
    const receipt = (id: string, by: string) => ({ type: 'event' as const, event: { type: 'receipt' as const, id, by, peerId: by, lamport: 3, at: 3 } })
    // Alice delivered ours; Bob's engine delivered Alice's; Carol delivered Alice's (passed on to her).
    s = reducer(s, receipt('id-1', 'alice'))
    s = reducer(s, receipt('id-2', 'bob'))
    s = reducer(s, receipt('id-2', 'carol'))
    s = reducer(s, receipt('id-1', 'alice'))
    expect(s.receipts).toEqual({ 'id-1': ['alice'] })
    // A page of history: who delivered ours comes with it; theirs is not kept.
    s = reducer(s, { type: 'history', room: 'lobby', window: 'newest', messages: [{ ...ours, deliveredTo: ['alice', 'carol'] }, { ...msg(2, 'theirs'), deliveredTo: ['bob', 'carol'] }] })
    expect(s.receipts).toEqual({ 'id-1': ['alice', 'carol'] })
  })
})

/**
 * A window left open all day holds a window of each room, not the day: a room not on screen keeps
 * its newest page (opening it loads that page again), and the list on screen lets its oldest rows
 * go when it asks (MessageList, while it follows the newest).
 */
describe('what the window holds through a long session', () => {
  const live = (s: State, from: number, to: number, room = 'lobby'): State => {
    for (let i = from; i <= to; i++) s = reducer(s, { type: 'event', event: { type: 'message', ...msg(i, `m${i}`), room } })
    return s
  }
  const opened = reducer(running, { type: 'history', room: 'lobby', window: 'newest', messages: [msg(1, 'm1'), msg(2, 'm2')] })

  it('the room on screen holds what comes; a room not on screen keeps its newest page', () => {
    let s = live(opened, 3, PAGE + 100)
    expect(s.roomData.lobby?.entries.length).toBe(PAGE + 100)
    // Bob opens another room: the lobby keeps its newest page.
    s = reducer(s, { type: 'select', room: 'design' })
    expect(texts(s)).toEqual(Array.from({ length: PAGE }, (_, i) => `m${i + 101}`))
    // As a room never opened: coming back loads its newest page again (and older ones on scrolling up).
    expect(s.roomData.lobby?.loaded).toBe(false)
    // More comes there meanwhile: still the newest page, counted as unread.
    s = live(s, PAGE + 101, PAGE + 150)
    expect(s.roomData.lobby?.entries.length).toBe(PAGE)
    expect(texts(s).at(-1)).toBe(`m${PAGE + 150}`)
    expect(s.roomData.lobby?.unread).toBe(50)
  })

  it('a message from a peer back from away that sorts before the rows held comes with the page it belongs to: scrolling up skips none', () => {
    // 400 messages; Dan, away since the 150th, wrote one then (his clock of then), which comes only now.
    const dan: MessageView = { ...msg(150, 'dan, written while away'), id: 'id-dan', author: 'dan', name: 'Dan' }
    const room = [...Array.from({ length: 400 }, (_, i) => msg(i + 1, `m${i + 1}`))]
    room.splice(150, 0, dan)
    const pageBefore = (id: string): MessageView[] => { const at = room.findIndex((m) => m.id === id); return room.slice(Math.max(0, at - PAGE), at) }
    let s = reducer(running, { type: 'history', room: 'lobby', window: 'newest', messages: room.slice(-PAGE) })
    s = reducer(s, { type: 'event', event: { type: 'message', ...dan } })
    // Bob scrolls up to the start: each page is the one before the first row shown.
    while (s.roomData.lobby!.older) {
      const first = s.roomData.lobby!.entries[0]!.message.id
      s = reducer(s, { type: 'history', room: 'lobby', window: 'older', messages: pageBefore(first) })
    }
    expect(texts(s)).toEqual(room.map((m) => m.text))
  })

  it('one that sorts inside a search hit\'s context is shown there; reading down to the newest then shows every message once', () => {
    const dan: MessageView = { ...msg(250, 'dan, written while away'), id: 'id-dan', author: 'dan', name: 'Dan' }
    const room = [...Array.from({ length: 400 }, (_, i) => msg(i + 1, `m${i + 1}`))]
    let s = reducer(running, { type: 'history', room: 'lobby', window: 'around', messages: room.slice(150, 350) })
    room.splice(250, 0, dan)
    s = reducer(s, { type: 'event', event: { type: 'message', ...dan } })
    // Bob reads down: each page is the one after the last row shown.
    while (s.roomData.lobby!.newer) {
      const last = s.roomData.lobby!.entries.at(-1)!.message.id
      const at = room.findIndex((m) => m.id === last)
      s = reducer(s, { type: 'history', room: 'lobby', window: 'newer', messages: room.slice(at + 1, at + 1 + PAGE) })
    }
    expect(texts(s)).toEqual(room.slice(150).map((m) => m.text))
  })

  it('a direct message from someone blocked does not list their conversation (closed, it stays closed) nor move it up; one from another does', () => {
    let s = reducer(running, { type: 'event', event: { type: 'peers', peers: [{ peerId: 'cat', name: 'Cat', connected: false, blocked: true, connections: [] }] } })
    const dm = (author: string, name: string): MessageView => ({ ...msg(4, 'answer me'), id: `dm-${author}`, room: `dm:${author}`, author, name, to: 'bob' })
    s = reducer(s, { type: 'event', event: { type: 'message', ...dm('cat', 'Cat') } })
    expect(s.dms).toEqual([])
    s = reducer(s, { type: 'event', event: { type: 'message', ...dm('dan', 'Dan') } })
    expect(s.dms.map((d) => d.peerId)).toEqual(['dan'])
    // Listed (the engine lists it: opened before), it does not move up when they write: what they write is folded, no news.
    s = reducer(s, { type: 'dms', dms: [{ peerId: 'cat', name: 'Cat', fingerprint: '', room: 'dm:cat', lastAt: 1 }] })
    s = reducer(s, { type: 'event', event: { type: 'message', ...dm('cat', 'Cat'), id: 'dm-cat-2', deliveredAt: Date.now() + 60_000 } })
    expect(s.dms.map((d) => d.peerId)).toEqual(['dan', 'cat'])
  })

  it('a message deleted before it came (catch-up brings it so) is shown as deleted and counted nowhere, as a start would not count it', () => {
    let s = reducer(opened, { type: 'select', room: 'design' })
    s = reducer(s, { type: 'event', event: { type: 'message', ...msg(3, ''), deleted: true } })
    s = reducer(s, { type: 'event', event: { type: 'message', ...msg(4, ''), room: 'dm:x', to: 'bob', deleted: true } })
    s = reducer(s, { type: 'event', event: { type: 'message', ...msg(5, 'still there') } })
    expect(s.roomData.lobby?.entries.map((e) => e.message.deleted === true ? '(deleted)' : e.message.text)).toEqual(['m1', 'm2', '(deleted)', 'still there'])
    expect(s.roomData.lobby?.unread).toBe(1)
    expect(s.roomData['dm:x']?.unread ?? 0).toBe(0)
    // Nothing to read there: its conversation is not listed.
    expect(s.dms).toEqual([])
  })

  it('the list on screen lets the rows before the one it names go, keeps what is still being sent, and is numbered afresh', () => {
    let s = live(opened, 3, MAX_LIVE_ROWS + 10)
    s = reducer(s, { type: 'sending', room: 'lobby', key: 'k1', text: 'on its way', name: 'Bob', author: 'bob' })
    const before = s.roomData.lobby!
    s = reducer(s, { type: 'trim', room: 'lobby', from: `id-${MAX_LIVE_ROWS - 189}` })
    const after = s.roomData.lobby!
    expect(texts(s)).toEqual([...Array.from({ length: 200 }, (_, i) => `m${MAX_LIVE_ROWS - 189 + i}`), 'on its way'])
    expect(after.older).toBe(true)
    expect(after.trims).toBe(before.trims + 1)
    expect(after.first).toBe(FIRST_INDEX)
    expect(after.generation).toBe(before.generation)
    // Scrolling up asks for the page before the first row kept.
    s = reducer(s, { type: 'history', room: 'lobby', window: 'older', messages: [msg(MAX_LIVE_ROWS - 190, `m${MAX_LIVE_ROWS - 190}`)] })
    expect(texts(s)[0]).toBe(`m${MAX_LIVE_ROWS - 190}`)
    // A row it no longer holds: nothing goes.
    expect(reducer(s, { type: 'trim', room: 'lobby', from: 'id-3' })).toEqual(s)
  })
})

describe('a room opened again', () => {
  const generation = (s: State): number | undefined => s.roomData.lobby?.generation

  it('keeps its list\'s layout when its newest page is what it shows (no blink), and lays it out anew when it is not', () => {
    let s = reducer(running, { type: 'history', room: 'lobby', window: 'newest', messages: [msg(1, 'one'), msg(2, 'two')] })
    const first = generation(s)
    // Opened again: the same page, an edit in it: shown, the list not laid out anew.
    s = reducer(s, { type: 'history', room: 'lobby', window: 'newest', messages: [msg(1, 'one'), { ...msg(2, 'two, edited'), edited: true }] })
    expect(texts(s)).toEqual(['one', 'two, edited'])
    expect(generation(s)).toBe(first)
    // A message came meanwhile: laid out anew.
    s = reducer(s, { type: 'history', room: 'lobby', window: 'newest', messages: [msg(1, 'one'), msg(2, 'two, edited'), msg(3, 'three')] })
    expect(texts(s)).toEqual(['one', 'two, edited', 'three'])
    expect(generation(s)).toBe(first! + 1)
  })
})
