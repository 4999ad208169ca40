/**
 * @mentions: parsing (who a message mentions), the autocomplete's view of
 * the word being typed, and which messages notify (mentions even in a muted
 * room). Pure: no network, no UI.
 */
import { describe, expect, it } from 'vitest'
import { complete, findEveryone, findMentions, matchNames, mentionAt, mentionMarks, mentionOf, mentions, mentionsEveryone } from '../main/core/mentions.js'
import { BURST_MS, HIDDEN_BODY, NotificationBursts, notification } from '../main/app/notify.js'
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

  it('finds a name typed composed or decomposed (é or e + U+0301), a Turkish İ as i, and marks all of "@name" as typed', () => {
    const decomposed = 'hi @Jose\u0301 Garci\u0301a, look'
    expect(mentions(decomposed, 'José García')).toBe(true)
    expect(findMentions(decomposed, 'José García')).toEqual([{ start: 3, end: 3 + '@Jose\u0301 Garci\u0301a'.length }])
    expect(mentions('hi @José, look', 'Jose\u0301')).toBe(true)
    expect(mentions('@José', 'Jos')).toBe(false)
    // İ lower-cased is i with a dot above (two characters): the mark ends after the name, not at the text's start.
    expect(findMentions('@İrem bakar mısın?', 'İrem')).toEqual([{ start: 0, end: 5 }])
    expect(mentions('@irem bakar mısın?', 'İrem')).toBe(true)
    expect(mentions('@İREM', 'irem')).toBe(true)
    expect(findMentions('see @张伟 和 @Ayşe Öztürk', 'Ayşe Öztürk')).toEqual([{ start: 10, end: 22 }])
  })

  it('takes "@Anna K." for a mention of Anna K., not of Anna, when Anna K. is known', () => {
    const known = ['Anna', 'Anna K.', 'anna', 'Anna-Lena']
    expect(mentions('@Anna K. your turn', 'Anna', known)).toBe(false)
    expect(mentions('@Anna K. your turn', 'Anna K.', known)).toBe(true)
    expect(findMentions('@anna k. and then @Anna', 'Anna', known)).toEqual([{ start: 18, end: 23 }])
    // A name nobody known goes by leaves the shorter one mentioned.
    expect(mentions('@Anna Kim, hi', 'Anna', known)).toBe(true)
    expect(mentions('@Anna K. your turn', 'Anna')).toBe(true)
    expect(mentionOf('@Anna K. your turn', 'Anna', false, known)).toBeUndefined()
    expect(mentionOf('@Anna K. and @everyone', 'Anna', false, known)).toBe('everyone')
  })

  it('takes "@anna" for a mention of anna, not of Anna, when both are known; "@ANNA" for both', () => {
    const known = ['Anna', 'anna', 'Bob']
    expect(mentions('@anna your turn', 'Anna', known)).toBe(false)
    expect(mentions('@anna your turn', 'anna', known)).toBe(true)
    expect(mentions('@Anna your turn', 'Anna', known)).toBe(true)
    expect(mentions('@Anna your turn', 'anna', known)).toBe(false)
    // Spelled as neither: both are called on, as before.
    expect(mentions('@ANNA your turn', 'Anna', known)).toBe(true)
    expect(mentions('@ANNA your turn', 'anna', known)).toBe(true)
    // Composed or decomposed, a spelling is the same spelling.
    expect(mentions('@Jose\u0301 hi', 'José', ['José', 'josé'])).toBe(true)
    expect(mentions('@jose\u0301 hi', 'José', ['José', 'josé'])).toBe(false)
    // With no one else so named, any case is a mention of Anna.
    expect(mentions('@anna your turn', 'Anna', ['Anna', 'Bob'])).toBe(true)
    expect(mentionMarks('@anna and @Anna', 'Anna', known)).toEqual([{ start: 0, end: 5, you: false }, { start: 10, end: 15, you: true }])
    expect(mentionMarks('@ANNA', 'Anna', known)).toEqual([{ start: 0, end: 5, you: true }])
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
    expect(complete('hey @bo and', { start: 4, query: 'bo' }, 7, '@Bob ')).toEqual({ text: 'hey @Bob  and', caret: 9 })
    const done = complete('@a', { start: 0, query: 'a' }, 2, '@Ann Lee ')
    expect(done).toEqual({ text: '@Ann Lee ', caret: 9 })
    expect(mentions(done.text, 'Ann Lee')).toBe(true)
  })
})

describe('notifications', () => {
  const message = (room: string, text: string, author = 'bob-id'): AppEvent => ({ type: 'message', id: 'x', room, author, name: 'Bob', text, lamport: 1, sentAt: 0, deps: [] })
  const me = { self: 'me-id', name: 'Ann', muted: ['random'] }

  it('notify for messages from others, not our own', () => {
    // A click on it opens that message in its room (main sends the window an "open" event).
    expect(notification(message('lobby', 'hi'), me)).toEqual({ title: 'Bob in #lobby', body: 'hi', mention: false, room: 'lobby', id: 'x' })
    expect(notification(message('lobby', 'hi', 'me-id'), me)).toBeUndefined()
    expect(notification({ type: 'pending', id: 'x', room: 'lobby' }, me)).toBeUndefined()
    // The body reads as the message does in the window: no formatting markers, no fences.
    expect(notification(message('lobby', 'run `npm test` before you **push**:\n```sh\nnpm test\n```'), me)?.body).toBe('run npm test before you push: npm test')
  })

  it('say nothing of a message its author deleted before it came (catch-up after being away brings it so): not even a direct one', () => {
    const gone = { deleted: true, text: '' }
    expect(notification({ ...message('lobby', ''), ...gone } as AppEvent, me)).toBeUndefined()
    expect(notification({ ...message('dm:x', ''), ...gone, to: 'me-id' } as AppEvent, me)).toBeUndefined()
    expect(new NotificationBursts().next({ ...message('lobby', ''), ...gone } as AppEvent, me, 0)).toBeUndefined()
  })

  it('with the words hidden (Settings), say who wrote and where, never what: a burst neither', () => {
    const hidden = { ...me, preview: false }
    expect(notification(message('lobby', 'my password is hunter2'), hidden)).toEqual({ title: 'Bob in #lobby', body: HIDDEN_BODY, mention: false, room: 'lobby', id: 'x' })
    expect(notification({ ...message('dm:x', 'the salary figures'), to: 'me-id' } as AppEvent, hidden)).toMatchObject({ title: 'Bob (direct message, end-to-end encrypted)', body: HIDDEN_BODY })
    const bursts = new NotificationBursts()
    expect(bursts.next(message('lobby', 'first secret'), hidden, 0)?.body).toBe(HIDDEN_BODY)
    const second = bursts.next(message('lobby', 'second secret'), hidden, 1_000)!
    expect(second.title).toBe('2 new messages in #lobby')
    expect(second.body).not.toContain('secret')
  })

  it('say nothing of a blocked peer, not even a mention or a direct message', () => {
    const blocking = { ...me, blocked: new Set(['bob-id']) }
    expect(notification(message('lobby', 'hi'), blocking)).toBeUndefined()
    expect(notification(message('lobby', '@Ann look'), blocking)).toBeUndefined()
    expect(notification({ ...message('dm:x', 'psst'), to: 'me-id' } as AppEvent, blocking)).toBeUndefined()
    // Someone else still does.
    expect(notification(message('lobby', 'hi', 'cat-id'), blocking)?.title).toBe('Bob in #lobby')
  })

  it('keep a muted room quiet, except for a message that mentions us', () => {
    expect(notification(message('random', 'hi all'), me)).toBeUndefined()
    expect(notification(message('random', 'hi @ann'), me)).toMatchObject({ title: 'Bob mentioned you in #random', body: 'hi @ann', mention: true })
    expect(notification(message('lobby', '@Ann look'), me)?.title).toBe('Bob mentioned you in #lobby')
  })

  it('say nothing of a mention of someone whose name begins with ours ("@Ann Lee" to Ann)', () => {
    const among = { ...me, others: ['Bob', 'Ann Lee'] }
    expect(notification(message('random', '@Ann Lee look'), among)).toBeUndefined()
    expect(notification(message('lobby', '@Ann Lee look'), among)).toMatchObject({ title: 'Bob in #lobby', mention: false })
    expect(notification(message('random', '@Ann Lee and @Ann look'), among)?.title).toBe('Bob mentioned you in #random')
  })

  it('"@everyone" and "@here" notify as a mention where the room is not muted, and do not get through a mute', () => {
    expect(notification(message('lobby', '@everyone quiz in 5'), me)).toMatchObject({ title: 'Bob mentioned everyone in #lobby', body: '@everyone quiz in 5', mention: true })
    expect(notification(message('lobby', 'lunch @here?'), me)?.title).toBe('Bob mentioned everyone in #lobby')
    expect(notification(message('random', '@everyone quiz in 5'), me)).toBeUndefined()
    // Your name wins over everyone, muted or not.
    expect(notification(message('random', '@everyone and @ann especially'), me)?.title).toBe('Bob mentioned you in #random')
  })

  it('"only direct messages and mentions" keeps a room\'s chatter quiet; "none" keeps everything quiet', () => {
    const mentionsOnly = { ...me, level: 'mentions' as const }
    const dm: AppEvent = { type: 'message', id: 'y', room: 'dm:x', author: 'bob-id', name: 'Bob', text: 'are you free?', lamport: 1, sentAt: 0, deps: [], to: 'me-id', private: true }
    expect(notification(message('lobby', 'hi all'), mentionsOnly)).toBeUndefined()
    expect(notification(message('lobby', 'hi @Ann'), mentionsOnly)?.title).toBe('Bob mentioned you in #lobby')
    expect(notification(message('lobby', '@here standup'), mentionsOnly)?.title).toBe('Bob mentioned everyone in #lobby')
    expect(notification(dm, mentionsOnly)?.title).toBe('Bob (direct message, end-to-end encrypted)')
    // A mute still holds "@everyone" back at this level.
    expect(notification(message('random', '@everyone quiz'), mentionsOnly)).toBeUndefined()
    const none = { ...me, level: 'off' as const }
    for (const event of [message('lobby', 'hi all'), message('lobby', 'hi @Ann'), dm]) expect(notification(event, none)).toBeUndefined()
    // Every message is the default.
    expect(notification(message('lobby', 'hi all'), { ...me, level: 'all' })).toEqual(notification(message('lobby', 'hi all'), me))
  })
})

describe('a burst of notifications', () => {
  const message = (room: string, text: string, name = 'Bob', id = text): AppEvent => ({ type: 'message', id, room, author: `${name}-id`, name, text, lamport: 1, sentAt: 0, deps: [] })
  const me = { self: 'me-id', name: 'Ann', muted: ['random'] }

  it('is one notification per conversation that keeps count: a class answering at once does not pop up and sound thirty times', () => {
    const bursts = new NotificationBursts()
    const first = bursts.next(message('lobby', '56', 'Student 0'), me, 0)
    expect(first).toMatchObject({ title: 'Student 0 in #lobby', body: '56', replaces: false, silent: false, count: 1 })
    let last = first
    for (let i = 1; i < 30; i++) last = bursts.next(message('lobby', `answer ${i}`, `Student ${i}`), me, i * 200)
    // Each of the others replaces the one on screen, quietly, and says how many came and the latest.
    expect(last).toMatchObject({ title: '30 new messages in #lobby', body: 'Student 29: answer 29', replaces: true, silent: true, count: 30, room: 'lobby', id: 'answer 29' })
    // Another conversation has its own.
    expect(bursts.next(message('maths', 'hello'), me, 6000)).toMatchObject({ title: 'Bob in #maths', replaces: false, silent: false })
    // What is held back stays held back, and does not count.
    expect(bursts.next(message('random', 'hi all'), me, 6100)).toBeUndefined()
  })

  it('sounds again for the first mention of you in a burst, not for a flood of "@everyone"', () => {
    const bursts = new NotificationBursts()
    expect(bursts.next(message('lobby', 'SPAM 1 @everyone', 'Max'), me, 0)).toMatchObject({ title: 'Max mentioned everyone in #lobby', silent: false })
    for (let i = 2; i < 100; i++) expect(bursts.next(message('lobby', `SPAM ${i} @everyone`, 'Max'), me, i * 10)?.silent).toBe(true)
    const ping = bursts.next(message('lobby', '@Ann, your turn', 'Teacher'), me, 2000)
    expect(ping).toMatchObject({ title: 'Teacher mentioned you in #lobby (100 new messages in #lobby)', body: 'Teacher: @Ann, your turn', mention: true, silent: false })
  })

  it('takes a notification off the screen when its message is deleted or its words change, not for a reaction', () => {
    const updated = (event: AppEvent, change: Record<string, unknown>): AppEvent => ({ ...event, ...change, type: 'message:updated' } as AppEvent)
    const bursts = new NotificationBursts()
    const oops = message('lobby', 'the exam answers are 4, 2, 9', 'Bob', 'm1')
    expect(bursts.next(oops, me, 0)?.id).toBe('m1')
    // A reaction, or a change to another message or another room, leaves it.
    expect(bursts.retracted(updated(oops, { reactions: [{ emoji: '👍', by: ['cat-id'] }] }))).toBeUndefined()
    expect(bursts.retracted(updated(message('lobby', 'other', 'Bob', 'm0'), { deleted: true, text: '' }))).toBeUndefined()
    expect(bursts.retracted(updated(oops, { room: 'maths', deleted: true, text: '' }))).toBeUndefined()
    // Deleted by its author: closed, and once only.
    const deleted = updated(oops, { deleted: true, text: '' })
    expect(bursts.retracted(deleted)).toBe('lobby')
    expect(bursts.retracted(deleted)).toBeUndefined()
    // It counts no more: the next one is a new notification, with its sound, not "2 new messages".
    expect(bursts.next(message('lobby', 'sorry, wrong room', 'Bob', 'm2'), me, 1_000)).toMatchObject({ title: 'Bob in #lobby', replaces: false, silent: false, count: 1 })

    // In a burst the notification is about its latest message: an edit of that one closes it (its words are gone), of an earlier one not.
    bursts.next(message('lobby', 'lunch at 12', 'Cat', 'm3'), me, 2_000)
    expect(bursts.retracted(updated(message('lobby', 'sorry, wrong room', 'Bob', 'm2'), { text: 'sorry!', edited: true }))).toBeUndefined()
    expect(bursts.retracted(updated(message('lobby', 'lunch at 12', 'Cat', 'm3'), { text: 'lunch at 1', edited: true }))).toBe('lobby')
    // Still a burst of two (an edit takes nothing away): the next replaces quietly and counts three.
    expect(bursts.next(message('lobby', 'ok', 'Dan', 'm4'), me, 3_000)).toMatchObject({ title: '3 new messages in #lobby', replaces: true, count: 3 })

    // After the window had the focus, the notification may still be on screen: a delete still closes it.
    bursts.seen()
    expect(bursts.retracted(updated(message('lobby', 'ok', 'Dan', 'm4'), { deleted: true, text: '' }))).toBe('lobby')
    // A direct message's, likewise; and one found forged (its words withheld) too.
    const dm = { ...message('dm:x', 'psst', 'Bob', 'm5'), to: 'me-id' } as AppEvent
    bursts.next(dm, me, 4_000)
    expect(bursts.retracted(updated(dm, { text: '', refused: true }))).toBe('dm:x')
  })

  it('counts an earlier message of a burst no more once deleted: "3 new messages" reads 2, then the latest alone', () => {
    const updated = (event: AppEvent, change: Record<string, unknown>): AppEvent => ({ ...event, ...change, type: 'message:updated' } as AppEvent)
    const bursts = new NotificationBursts()
    const first = message('lobby', 'the exam answers are 4, 2, 9', 'Bob', 'm1')
    const second = message('lobby', 'lunch at 12', 'Cat', 'm2')
    bursts.next(first, me, 0)
    bursts.next(second, me, 1_000)
    expect(bursts.next(message('lobby', 'ok', 'Dan', 'm3'), me, 2_000)).toMatchObject({ title: '3 new messages in #lobby', count: 3 })
    // An edit of an earlier one, or a reaction, changes nothing on screen.
    expect(bursts.recounted(updated(second, { text: 'lunch at 1', edited: true }))).toBeUndefined()
    expect(bursts.recounted(updated(first, { reactions: [{ emoji: '👍', by: ['cat-id'] }] }))).toBeUndefined()
    // Deleted: shown again in its place, quietly, about the same latest message.
    expect(bursts.recounted(updated(first, { deleted: true, text: '' }))).toMatchObject({ title: '2 new messages in #lobby', body: 'Dan: ok', replaces: true, silent: true, count: 2, id: 'm3' })
    expect(bursts.recounted(updated(first, { deleted: true, text: '' }))).toBeUndefined()
    // One left: it reads as that message alone. And after the window had the focus, still so for the one on screen.
    bursts.seen()
    expect(bursts.recounted(updated(second, { text: '', refused: true }))).toMatchObject({ title: 'Dan in #lobby', body: 'ok', replaces: true, silent: true, count: 1 })
    // The next message after the focus is a burst of its own.
    expect(bursts.next(message('lobby', 'again', 'Dan', 'm4'), me, 3_000)).toMatchObject({ title: 'Dan in #lobby', replaces: false, count: 1 })
    // The one a notification is about is closed (retracted), not recounted.
    expect(bursts.recounted(updated(message('lobby', 'again', 'Dan', 'm4'), { deleted: true, text: '' }))).toBeUndefined()
  })

  it('ends after a quiet spell, or when the window gets the focus', () => {
    const bursts = new NotificationBursts()
    bursts.next(message('lobby', 'one'), me, 0)
    expect(bursts.next(message('lobby', 'two'), me, BURST_MS)?.replaces).toBe(true)
    // Measured from the last message of the burst.
    expect(bursts.next(message('lobby', 'three'), me, 2 * BURST_MS + 1)).toMatchObject({ title: 'Bob in #lobby', replaces: false, silent: false, count: 1 })
    bursts.seen()
    expect(bursts.next(message('lobby', 'four'), me, 2 * BURST_MS + 2)).toMatchObject({ title: 'Bob in #lobby', replaces: false, silent: false, count: 1 })
  })
})

describe('everyone', () => {
  it('"@everyone" and "@here" as words, any case; not inside a longer word or an address', () => {
    expect(mentionsEveryone('@everyone quiz at 10')).toBe(true)
    expect(mentionsEveryone('lunch, @Here?')).toBe(true)
    expect(findEveryone('@here and @everyone')).toEqual([{ start: 0, end: 5 }, { start: 10, end: 19 }])
    expect(mentionsEveryone('@everyones')).toBe(false)
    expect(mentionsEveryone('mail here@example.com')).toBe(false)
    expect(mentionsEveryone('everyone here')).toBe(false)
  })
})

describe('the mentions the window marks in a message', () => {
  /** What the window marked before: each name looked for on its own, the longer at one "@" first, ours first. */
  const oneByOne = (text: string, me: string, others: readonly string[]) => [
    ...(me === '' ? [] : findMentions(text, me)).map((m) => ({ ...m, you: true })),
    ...findEveryone(text).map((m) => ({ ...m, you: true })),
    ...others.filter((n) => n !== me).flatMap((n) => findMentions(text, n)).map((m) => ({ ...m, you: false }))
  ].sort((a, b) => a.start - b.start || b.end - a.end || Number(b.you) - Number(a.you))
    .reduce<Array<{ start: number, end: number, you: boolean }>>((kept, m) => (m.start < (kept.at(-1)?.end ?? 0) || m.end <= m.start ? kept : [...kept, m]), [])

  it('marks ours, everyone, and others apart, the longer name where two start at one "@"', () => {
    const others = ['Bob', 'Bob Smith', 'Zoë', 'İpek', 'Ann', '  ', 'ann']
    for (const text of ['hi @Ann and @Bob Smith, @bob, @everyone @here', '@zoe\u0308 @ZOË @İpek @ipek mail@bob.org @Bobby', 'no one', '@', '@@Ann', 'x'.repeat(50)]) {
      expect(mentionMarks(text, 'Ann', others), text).toEqual(oneByOne(text, 'Ann', others))
      expect(mentionMarks(text, '', others), text).toEqual(oneByOne(text, '', others))
    }
    expect(mentionMarks('hi @Ann and @Bob Smith @here', 'Ann', ['Bob', 'Bob Smith'])).toEqual([
      { start: 3, end: 7, you: true }, { start: 12, end: 22, you: false }, { start: 23, end: 28, you: true }
    ])
  })

  it('reads a 64 KiB message once however many names the window knows', () => {
    const names = Array.from({ length: 300 }, (_, i) => `name${i}x`)
    let text = ''
    for (let i = 0; text.length < 64_000; i++) text += `@name${i % 300}x `
    // Folding a letter is the work: count it (String.prototype.normalize), not the time it takes.
    const normalize = String.prototype.normalize
    let folds = 0
    String.prototype.normalize = function (this: string, form?: string) { folds++; return normalize.call(this, form) }
    let marks: ReturnType<typeof mentionMarks>
    try {
      marks = mentionMarks(text, 'Victor', names)
    } finally {
      String.prototype.normalize = normalize
    }
    expect(marks.length).toBe(text.split('@').length - 1)
    expect(folds).toBeLessThan(text.length + 10 * names.length)
  })
})
