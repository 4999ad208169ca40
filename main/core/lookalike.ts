/**
 * Display names as people read them, to tell when two look the same: the key
 * ignores case, spacing, how an accent was typed (composed or decomposed, NFKC)
 * and a Turkish İ, and reads the Cyrillic and Greek letters drawn like Latin
 * ones (Cyrillic "а" in "Аlice", Greek "ο" in "Bοb") as those. The engine warns
 * of a clash by it and the window shows a key beside names that share it.
 * Pure: the renderer reaches it through the IPC contract.
 *
 * Not the whole of Unicode's confusables table (UTS #39): the letters of the
 * two scripts most often used to pass for Latin, the common case on a LAN.
 *
 * @example
 * ```ts
 * nameKey('Alice') === nameKey('\u0410lice')   // true: a Cyrillic А
 * nameKey('Ann  Lee') === nameKey('ann lee')   // true
 * nameKey('José') === nameKey('Jose')          // false: an accent is a letter of its own
 * ```
 */

/** Capital Cyrillic and Greek letters drawn like a Latin one (read before lower case: a capital Eta is an H, a small one an n). */
const CAPITALS: Record<string, string> = {
  // Cyrillic
  А: 'a', В: 'b', Е: 'e', Ё: 'ë', Н: 'h', І: 'i', Ї: 'ï', Ј: 'j', К: 'k', М: 'm', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x', Ѕ: 's', Ү: 'y', Ԛ: 'q', Ԝ: 'w',
  // Greek
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x', Ϲ: 'c'
}
const CAPITAL_LOOKS = new RegExp(`[${Object.keys(CAPITALS).join('')}]`, 'gu')

/** Lower-case Cyrillic and Greek letters drawn like a Latin one, with that letter. */
const LATIN_LOOKS: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'ë', һ: 'h', і: 'i', ї: 'ï', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', ɡ: 'g',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', ϲ: 'c', ϳ: 'j'
}
const LOOKS = new RegExp(`[${Object.keys(LATIN_LOOKS).join('')}]`, 'gu')

/** The key two display names share when they look alike (see the module's note). */
export function nameKey (name: string): string {
  return name.normalize('NFKC').replace(CAPITAL_LOOKS, c => CAPITALS[c] ?? c).toLowerCase().replace(/i\u0307/g, 'i').replace(/\s+/g, ' ').trim()
    .replace(LOOKS, c => LATIN_LOOKS[c] ?? c)
}
