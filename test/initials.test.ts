/**
 * An avatar's letters are drawn from the name people see: a name with an emoji or an accent
 * ("Kai 🚀", "👩‍💻 Dev") shows that character whole, never half of it as a "�".
 */
import { describe, expect, it } from 'vitest'
import { initials } from '../renderer/src/format'

/** A UTF-16 surrogate without its other half: drawn as "�". */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

describe('an avatar\'s letters', () => {
  it('are the first letter of the first two words, or the first two of one word', () => {
    expect(initials('Anna K.')).toBe('AK')
    expect(initials('Maximilian Alexander von Hohenzollern')).toBe('MA')
    expect(initials('anna')).toBe('AN')
    expect(initials('  ')).toBe('?')
  })

  it('keep an emoji whole, as its one character', () => {
    expect(initials('Kai 🚀')).toBe('K🚀')
    expect(initials('🚀 Kai')).toBe('🚀K')
    expect(initials('👩‍💻 Dev')).toBe('👩‍💻D')
    expect(initials('🇩🇪')).toBe('🇩🇪')
    expect(initials('😀😀😀')).toBe('😀😀')
    for (const name of ['Kai 🚀', '🚀 Kai', '👩‍💻 Dev', '🇩🇪 Fan', '𝒜lice 𝒷ob']) expect(initials(name)).not.toMatch(LONE_SURROGATE)
  })

  it('keep an accent typed as a letter and a mark with its letter', () => {
    expect(initials('e\u0301mile zola')).toBe('E\u0301Z')
    expect(initials('Émile')).toBe('ÉM')
  })
})
