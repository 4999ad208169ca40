import { Fragment, useId, useMemo, type MouseEvent, type ReactNode } from 'react'
import { internationalHost, linkTitle, mentionMarks, OVERRIDE_SHOWN, OVERRIDES, parseMarkup, type Markup } from '../../../preload/contract'
import { call } from '../api'

/**
 * Text with each direction override (U+202D, U+202E: they show the text after them reversed, as in
 * "report\u202Efdp.exe" reading "reportexe.pdf") drawn as a small tag saying what it is, and not
 * obeyed: the text after it reads as it was typed.
 */
function revealed(text: string, key: string): ReactNode {
  if (text.search(OVERRIDES) === -1) return text
  const out: ReactNode[] = []
  let at = 0
  for (const m of text.matchAll(OVERRIDES)) {
    if (m.index > at) out.push(text.slice(at, m.index))
    const tag = (OVERRIDE_SHOWN[m[0]] ?? '').replace(/[⟨⟩]/g, '')
    out.push(<abbr key={`${key}o${m.index}`} className="override" title={`A ${tag === 'RLO' ? 'right-to-left' : 'left-to-right'} override was written here: it would show the text after it in another order. It is shown as typed.`}>{tag}</abbr>)
    at = m.index + 1
  }
  if (at < text.length) out.push(text.slice(at))
  return <Fragment key={key}>{out}</Fragment>
}

/**
 * Plain text with each "@me", "@everyone" and "@here" marked for the reader, and each mention of
 * someone else marked apart (as Slack draws every mention, and yours in another colour). Where two
 * names start at one "@" ("@Bob" and "@Bob Smith"), the longer one is the mention.
 */
function marked(text: string, me: string, others: readonly string[], key: string): ReactNode[] {
  const out: ReactNode[] = []
  let at = 0
  if (!text.includes('@')) return [revealed(text, key)]
  for (const m of mentionMarks(text, me, others)) {
    if (m.start > at) out.push(revealed(text.slice(at, m.start), `${key}t${at}`))
    out.push(<mark key={`${key}m${m.start}`} className={m.you ? 'mention' : 'mention other'}>{revealed(text.slice(m.start, m.end), `${key}r${m.start}`)}</mark>)
    at = m.end
  }
  if (at < text.length) out.push(revealed(text.slice(at), `${key}t${at}`))
  return out
}

const NOBODY: readonly string[] = []

/**
 * A link that never navigates the window: main opens it in the system browser after checking the scheme.
 * One whose host is international (letters of other alphabets: "аpple.com" with a Cyrillic а) has its
 * real name, as xn--…, said beside it in the message, and to a screen reader as the link's description.
 */
function Link({ url, text, onOpenFailed }: { url: string; text: string; onOpenFailed?: (err: unknown) => void }) {
  const id = useId()
  const ascii = internationalHost(url)
  const open = (e: MouseEvent<HTMLAnchorElement>): void => {
    e.preventDefault()
    call('openLink', { url }).catch((err: unknown) => onOpenFailed?.(err))
  }
  const link = <a href={url} className="link" rel="noreferrer noopener" title={linkTitle(url)} aria-describedby={ascii !== undefined ? id : undefined} onClick={open}>{text}</a>
  if (ascii === undefined) return link
  return (
    <>
      {link}
      <span className="link-idn" id={id} data-testid="link-idn"><span aria-hidden="true">⚠ </span>letters of other alphabets: {ascii}</span>
    </>
  )
}

function render(nodes: Markup[], me: string, others: readonly string[], key: string, onOpenFailed?: (err: unknown) => void): ReactNode[] {
  return nodes.map((n, i) => {
    const k = `${key}.${i}`
    switch (n.kind) {
      case 'text': return <Fragment key={k}>{marked(n.text, me, others, k)}</Fragment>
      case 'link': return <Link key={k} url={n.url} text={n.text} onOpenFailed={onOpenFailed} />
      case 'code': return <code key={k} className="code">{revealed(n.text, k)}</code>
      case 'block': return <pre key={k} className="code-block" data-lang={n.lang}><code>{revealed(n.text, k)}</code></pre>
      case 'strong': return <strong key={k}>{render(n.children, me, others, k, onOpenFailed)}</strong>
      case 'em': return <em key={k}>{render(n.children, me, others, k, onOpenFailed)}</em>
      case 'del': return <del key={k}>{render(n.children, me, others, k, onOpenFailed)}</del>
    }
  })
}

/**
 * A message's text as its author formatted it (markup.ts: code blocks, inline code, bold, italic,
 * struck), its http(s) links clickable, mentions of `me` marked and those of `others` marked apart. Built as elements, never as
 * HTML. A click on a link never navigates the window: it asks main to open the link in the system
 * browser, and main checks the scheme again (only http and https open; nothing is fetched here).
 */
export function RichText({ text, me = '', others = NOBODY, onOpenFailed }: { text: string; me?: string; others?: readonly string[]; onOpenFailed?: (err: unknown) => void }) {
  const nodes = useMemo(() => parseMarkup(text), [text])
  return <>{render(nodes, me, others, 'm', onOpenFailed)}</>
}
