/**
 * Emoji by name in the message box: which ":name" is being typed, which
 * ":name:" typed whole becomes its emoji, and what a search finds first,
 * over the real names the window loads (GitHub's). Pure: no UI.
 */
import { describe, expect, it } from 'vitest'
import { closedShortcode, loadEmoji, searchEmoji, shortcodeAt } from '../renderer/src/emoji.js'
import { isEmoji } from '../main/core/message.js'

describe('emoji by name', () => {
  it('sees ":name" only where a name starts, with two letters of it typed', () => {
    expect(shortcodeAt('see you :ta', 11)).toEqual({ start: 8, query: 'ta' })
    expect(shortcodeAt(':+1', 3)).toEqual({ start: 0, query: '+1' })
    expect(shortcodeAt('(:smi', 5)).toEqual({ start: 1, query: 'smi' })
    // One letter, a time, a link, an emoticon, a space after the name: not a name being typed.
    for (const [text, caret] of [[':t', 2], ['at 12:30', 8], ['http://example', 14], ['ok :)', 5], [':tada and', 9], ['a:bc', 4]] as const) {
      expect({ text, at: shortcodeAt(text, caret) }).toEqual({ text, at: undefined })
    }
  })

  it('turns a whole ":name:" into its emoji, and leaves names nobody has', async () => {
    const all = await loadEmoji()
    expect(closedShortcode(all, 'yes :tada:', 10)).toEqual({ start: 4, end: 10, emoji: '🎉' })
    expect(closedShortcode(all, ':+1:', 4)).toEqual({ start: 0, end: 4, emoji: '👍' })
    expect(closedShortcode(all, ':thumbsup:', 10)?.emoji).toBe('👍')
    expect(closedShortcode(all, ':TADA:', 6)?.emoji).toBe('🎉')
    expect(closedShortcode(all, ':nosuchname:', 12)).toBeUndefined()
    expect(closedShortcode(all, 'at 12:30:', 9)).toBeUndefined()
  })

  it('finds the emoji a name, a part of a name, a tag or a word of the description asks for, the closest first', async () => {
    const all = await loadEmoji()
    const first = (q: string): string | undefined => searchEmoji(all, q)[0]?.emoji
    expect(first('tada')).toBe('🎉')
    expect(first('thumb')).toBe('👍')
    const top = (q: string): string[] => searchEmoji(all, q, 3).map((e) => e.emoji)
    expect(top('hooray')).toContain('🎉') // a tag
    expect(first('popper')).toBe('🎉') // a word of the description
    // A part of a name ("partying_face") before a tag ("party" of 🎉); both are offered.
    expect(searchEmoji(all, 'party')[0]?.emoji).toBe('🥳')
    expect(searchEmoji(all, 'party').map((e) => e.emoji)).toContain('🎉')
    expect(first('rocket')).toBe('🚀')
    expect(first(':heart:')).toBe('❤️')
    // A name that is the query comes before names that only start with it.
    expect(searchEmoji(all, 'smile').map((e) => e.names[0])[0]).toBe('smile')
    expect(searchEmoji(all, 'face', 5)).toHaveLength(5)
    expect(searchEmoji(all, 'qqqqzz')).toEqual([])
    // Among names that start alike, one's favourites first (recent, then common), then Unicode's order.
    expect(first('ta')).toBe('🍊')
    expect(searchEmoji(all, 'ta', 8, ['👍', '🎉'])[0]?.emoji).toBe('🎉')
    expect(searchEmoji(all, 'ta', 8, ['🚕', '👍', '🎉']).slice(0, 2).map((e) => e.emoji)).toEqual(['🚕', '🎉'])
    // A favourite never outranks a closer match: "tada" is a name, 🚕 only starts with "ta".
    expect(searchEmoji(all, 'tada', 8, ['🚕'])[0]?.emoji).toBe('🎉')
    expect(searchEmoji(all, '   ')).toEqual([])
  })

  it('takes as a reaction every emoji the picker offers, and no word, even one with an emoji in it', async () => {
    const all = await loadEmoji()
    expect(all.length).toBeGreaterThan(1800)
    // Skin tones, families, flags (tag letters too), keycaps, ©️: all of them.
    const tones = ['👍🏽', '👩‍👩‍👧', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🇫🇷', '1️⃣', '#️⃣', '©️', '🧑🏾‍💻']
    expect([...all.map(e => e.emoji), ...tones].filter(e => !isEmoji(e))).toEqual([])
    for (const word of ['a', 'ok', '+1', 'ok👍', '👍ok', 'lol 😂', '1', '#', ':)']) expect({ word, emoji: isEmoji(word) }).toEqual({ word, emoji: false })
  })
})
