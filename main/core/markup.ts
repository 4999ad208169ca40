/**
 * The little formatting chat people type, parsed to a tree the message view
 * renders as elements (never as HTML): ```fenced code blocks```, `inline
 * code`, **bold**, *italic* or _italic_, ~~struck~~, and http(s) links.
 * Nothing inside code is formatted or linked. A code block stands on lines of
 * its own, so the line breaks around its fences are dropped: the block is its
 * own line. Pure, so it is tested in Node; the window draws it, and a desktop
 * notification shows a message as it reads (previewText).
 *
 * Emphasis needs word edges, as Slack and Teams have it: a marker opens only
 * at the start of a word and closes only at the end of one, so `snake_case`,
 * `2*3*4` and `*nix` stay as typed. A marker with nothing to pair with stays
 * text: formatting never eats a character the author wrote.
 *
 * @example
 * ```ts
 * parseMarkup('see **this** `x`')
 * // [{ kind: 'text', text: 'see ' }, { kind: 'strong', children: [{ kind: 'text', text: 'this' }] },
 * //  { kind: 'text', text: ' ' }, { kind: 'code', text: 'x' }]
 * ```
 */
import { findLinks } from './links.js'
import { invitation } from './invite.js'

export type Markup =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; url: string }
  | { kind: 'code'; text: string }
  | { kind: 'block'; text: string; lang?: string }
  | { kind: 'strong' | 'em' | 'del'; children: Markup[] }

/** ```lang\n...``` (the language word optional), anywhere; the newlines just inside the fences are the fences'. */
const FENCE = /```(?:([\w+#.-]{1,20})?[ \t]*\n)?([\s\S]*?)\n?```/g
const INLINE_CODE = /(?<!`)`([^`\n]+)`(?!`)/g
/** Longest first, so `**` is not read as two `*`. */
const MARKERS = [
  { mark: '**', kind: 'strong' },
  { mark: '~~', kind: 'del' },
  { mark: '*', kind: 'em' },
  { mark: '_', kind: 'em' }
] as const
/** Stands for a link inside the text emphasis is matched in (a word character to the rules, never typed: U+FFFC). */
const ATOM = '\uFFFC'

const isSpace = (c: string | undefined): boolean => c === undefined || /\s/.test(c)
const isWordChar = (c: string | undefined): boolean => c !== undefined && (c === ATOM || /[\p{L}\p{N}]/u.test(c))

export function parseMarkup(text: string): Markup[] {
  const out: Markup[] = []
  let at = 0
  for (const m of text.matchAll(FENCE)) {
    const body = m[2] ?? ''
    if (body.trim() === '') continue
    // A block is a line of its own: the line breaks just outside its fences are its edges, not blank lines.
    const before = text.slice(at, m.index).replace(/\n$/, '')
    if (before !== '') out.push(...inline(before))
    out.push(m[1] !== undefined ? { kind: 'block', text: body, lang: m[1] } : { kind: 'block', text: body })
    at = m.index + m[0].length
    if (text[at] === '\n') at++
  }
  if (at < text.length) out.push(...inline(text.slice(at)))
  return out
}

/** Text outside code blocks: inline code spans, then links and emphasis around them. */
function inline(text: string): Markup[] {
  const out: Markup[] = []
  let at = 0
  for (const m of text.matchAll(INLINE_CODE)) {
    if (m[1]!.trim() === '') continue
    if (m.index > at) out.push(...linksAndEmphasis(text.slice(at, m.index)))
    out.push({ kind: 'code', text: m[1]! })
    at = m.index + m[0].length
  }
  if (at < text.length) out.push(...linksAndEmphasis(text.slice(at)))
  return out
}

function linksAndEmphasis(text: string): Markup[] {
  const links = findLinks(text)
  // A typed U+FFFC (vanishingly rare) would be taken for a link: then links only, no emphasis.
  if (text.includes(ATOM)) return around(text, links.map((l) => ({ ...l, node: { kind: 'link', text: text.slice(l.start, l.end), url: l.url } })))
  // Each link becomes one ATOM, so emphasis can wrap a link but never cut one.
  let flat = ''
  let at = 0
  for (const l of links) {
    flat += text.slice(at, l.start) + ATOM
    at = l.end
  }
  flat += text.slice(at)
  const atoms = links.map((l): Markup => ({ kind: 'link', text: text.slice(l.start, l.end), url: l.url }))
  return emphasis(flat, { atoms, next: 0 })
}

/** `text` as plain runs around the given nodes. */
function around(text: string, spans: { start: number; end: number; node: Markup }[]): Markup[] {
  const out: Markup[] = []
  let at = 0
  for (const { start, end, node } of spans) {
    if (start > at) out.push({ kind: 'text', text: text.slice(at, start) })
    out.push(node)
    at = end
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) })
  return out
}

interface Atoms { atoms: Markup[]; next: number }

function canOpen(s: string, i: number, mark: string): boolean {
  const after = s[i + mark.length]
  return !isWordChar(s[i - 1]) && s[i - 1] !== mark[0] && !isSpace(after) && after !== mark[0]
}

function canClose(s: string, j: number, mark: string): boolean {
  const after = s[j + mark.length]
  return !isSpace(s[j - 1]) && s[j - 1] !== mark[0] && !isWordChar(after) && after !== mark[0]
}

/**
 * Emphasis in `s` (links as ATOMs, taken in order from `links`). A marker closes at the
 * first marker on its line that can close it. Once a marker found no partner on a line, a
 * later one on that line cannot either, so it is not looked for again there: each line
 * is scanned at most once per marker, whatever the text.
 */
function emphasis(s: string, links: Atoms): Markup[] {
  const out: Markup[] = []
  let plain = ''
  const flush = (): void => {
    if (plain === '') return
    const pieces = plain.split(ATOM)
    pieces.forEach((piece, n) => {
      if (piece !== '') out.push({ kind: 'text', text: piece })
      if (n < pieces.length - 1) out.push(links.atoms[links.next++]!)
    })
    plain = ''
  }
  const hopeless = new Map<string, number>()
  let i = 0
  outer: while (i < s.length) {
    for (const { mark, kind } of MARKERS) {
      if (!s.startsWith(mark, i) || i < (hopeless.get(mark) ?? -1) || !canOpen(s, i, mark)) continue
      let lineEnd = s.indexOf('\n', i)
      if (lineEnd === -1) lineEnd = s.length
      for (let j = s.indexOf(mark, i + mark.length + 1); j !== -1 && j < lineEnd; j = s.indexOf(mark, j + 1)) {
        if (!canClose(s, j, mark)) continue
        flush()
        out.push({ kind, children: emphasis(s.slice(i + mark.length, j), links) })
        i = j + mark.length
        continue outer
      }
      hopeless.set(mark, lineEnd)
    }
    plain += s[i]
    i++
  }
  flush()
  return out
}

/** The text a tree shows, markers gone: what a reader sees. */
export function shownText(nodes: Markup[]): string {
  return nodes.map((n) => ('children' in n ? shownText(n.children) : n.text)).join('')
}

/**
 * A message's text on one line as a reader sees it, for quotes and previews: markers gone, line
 * breaks as spaces; an invite code as the invitation it is shown as (the code is never previewed);
 * a direction override shown, not obeyed (revealOverrides).
 */
export function previewText(text: string): string {
  const invite = invitation(text)
  if (invite !== undefined) return `🔒 Invitation to the private room ${invite.name}`
  const flat = (nodes: Markup[]): string => nodes.map((n) => (n.kind === 'block' ? ` ${n.text} ` : 'children' in n ? flat(n.children) : n.text)).join('')
  return revealOverrides(flat(parseMarkup(text)).replace(/\s+/g, ' ').trim())
}

/**
 * The two characters that make the text after them show in the order they say, not the one it was
 * typed in: LEFT-TO-RIGHT OVERRIDE and RIGHT-TO-LEFT OVERRIDE. "pay to 12\u202E3456" shows as
 * "pay to 126543", and "see the file report\u202Efdp.exe" as "see the file reportexe.pdf". No
 * language needs them to be written (Arabic and Hebrew read right to left by themselves; the marks
 * and isolates that set a direction between them stay), so the window shows each as what it is
 * (`OVERRIDE_SHOWN`) and the text after it as typed.
 */
export const OVERRIDES = /[\u202d\u202e]/g
/** How an override is shown in plain text: a quote, a notification, a terminal line. */
export const OVERRIDE_SHOWN: Readonly<Record<string, string>> = { '\u202d': '⟨LRO⟩', '\u202e': '⟨RLO⟩' }

/** `text` with each direction override shown as `OVERRIDE_SHOWN` says, not obeyed. */
export function revealOverrides(text: string): string {
  return text.replace(OVERRIDES, (c) => OVERRIDE_SHOWN[c] ?? '')
}
