/**
 * Names that look alike: the key the name-clash warning and the window's keys beside names go by.
 */
import { describe, expect, it } from 'vitest'
import { nameKey } from '../main/core/lookalike.js'

describe('nameKey', () => {
  it('reads Cyrillic and Greek letters drawn like Latin ones as those, capitals and small', () => {
    const pairs: Array<[string, string]> = [
      ['\u0410lice', 'Alice'], // a Cyrillic capital А
      ['Ali\u0441e', 'Alice'], // a Cyrillic small с
      ['\u0410l\u0456\u0441\u0435', 'Alice'], // all but the l Cyrillic
      ['B\u03bfb', 'Bob'], // a Greek small omicron
      ['\u0392ob', 'Bob'], // a Greek capital Beta
      ['\u0397\u0391L', 'HAL'], // Greek capital Eta and Alpha: an H and an A, not an n
      ['\u041d\u0410L', 'HAL'] // Cyrillic capital Н and А
    ]
    for (const [fake, real] of pairs) expect(nameKey(fake), fake).toBe(nameKey(real))
  })

  it('ignores case, spacing, how an accent was typed and a Turkish İ; an accent itself is a letter', () => {
    expect(nameKey('  Ann   Lee ')).toBe(nameKey('ann lee'))
    expect(nameKey('Jos\u00e9')).toBe(nameKey('Jose\u0301'))
    expect(nameKey('\u0130rem')).toBe(nameKey('irem'))
    expect(nameKey('Jos\u00e9')).not.toBe(nameKey('Jose'))
    // Names in those scripts stay themselves: two Russian names that differ are not taken for one.
    expect(nameKey('\u041c\u0430\u0448\u0430')).not.toBe(nameKey('\u041f\u0430\u0448\u0430'))
  })
})
