/**
 * Links in message text: which runs of text are http(s) URLs, and whether a
 * URL may be opened at all. Pure (the renderer reaches it through the IPC
 * contract, main's schemas check every openLink request with `isWebLink`).
 *
 * @example
 * ```ts
 * findLinks('see https://example.com/a.')   // [{ start: 4, end: 25, url: 'https://example.com/a' }]
 * isWebLink('javascript:alert(1)')           // false
 * ```
 */

export interface FoundLink { start: number; end: number; url: string }

// A URL never holds a character that changes the direction text is drawn in: one ends before it, so
// "https://x.org/<RLO>gpj.exe", drawn as if it ended in .jpg, links to https://x.org/ only.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gi
const DIRECTION = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/
/** Punctuation that ends a sentence more often than a URL. */
const TRAILING = /[.,;:!?'"*_~]+$/

/** Whether `url` is an absolute http or https URL with a host: the only links that open. */
export function isWebLink (url: string): boolean {
  // Whitespace and control characters: URL() would quietly drop some of them.
  if (url.length > 4096 || /\s/.test(url) || DIRECTION.test(url) || [...url].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '' && /^https?:\/\//i.test(url)
}

/**
 * A web link as its tooltip shows it: the host in ASCII (an international name as xn--…), so a
 * look-alike ("аpple.com" with a Cyrillic а) shows what it really is before it is opened.
 */
export function linkTitle (url: string): string {
  return internationalHost(url) !== undefined
    ? `Open ${new URL(url).href} in your browser (its name has letters of other alphabets, written here as xn--…: check it is the site you expect)`
    : `Open ${url} in your browser`
}

/**
 * The host of `url` in ASCII when its name is international (a label written xn--…: letters of
 * other alphabets, typed so or already in punycode), which the message shows beside the link;
 * undefined for a plain name or a URL that does not parse.
 *
 * @example
 * ```ts
 * internationalHost('https://\u0430pple.com/login')  // 'xn--pple-43d.com' (a Cyrillic а)
 * internationalHost('https://example.com/')          // undefined
 * ```
 */
export function internationalHost (url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  return parsed.hostname.split('.').some(label => label.startsWith('xn--')) ? parsed.hostname : undefined
}

/** The http(s) URLs in `text`, in order, without the punctuation (or an unmatched ')') that follows them. */
export function findLinks (text: string): FoundLink[] {
  const found: FoundLink[] = []
  for (const m of text.matchAll(CANDIDATE)) {
    let url = m[0].replace(TRAILING, '')
    // "(see https://x.org/a)": the ')' is the sentence's unless the URL opened one.
    while (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) url = url.slice(0, -1).replace(TRAILING, '')
    if (!isWebLink(url)) continue
    found.push({ start: m.index, end: m.index + url.length, url })
  }
  return found
}
