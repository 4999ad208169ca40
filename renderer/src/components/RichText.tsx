import { Fragment, useMemo, type MouseEvent, type ReactNode } from 'react'
import { findEveryone, findMentions } from '../../../preload/contract'
import { call } from '../api'
import { parseMarkup, type Markup } from '../markup'

/** Plain text with each "@me", "@everyone" and "@here" marked. */
function marked(text: string, me: string, key: string): ReactNode[] {
  const out: ReactNode[] = []
  let at = 0
  const found = [...(me === '' ? [] : findMentions(text, me)), ...findEveryone(text)].sort((a, b) => a.start - b.start)
  for (const m of found) {
    if (m.start < at) continue
    if (m.end <= m.start) continue
    if (m.start > at) out.push(text.slice(at, m.start))
    out.push(<mark key={`${key}m${m.start}`} className="mention">{text.slice(m.start, m.end)}</mark>)
    at = m.end
  }
  if (at < text.length) out.push(text.slice(at))
  return out
}

/** A link that never navigates the window: main opens it in the system browser after checking the scheme. */
function Link({ url, text, onOpenFailed }: { url: string; text: string; onOpenFailed?: (err: unknown) => void }) {
  const open = (e: MouseEvent<HTMLAnchorElement>): void => {
    e.preventDefault()
    call('openLink', { url }).catch((err: unknown) => onOpenFailed?.(err))
  }
  return <a href={url} className="link" rel="noreferrer noopener" title={`Open ${url} in your browser`} onClick={open}>{text}</a>
}

function render(nodes: Markup[], me: string, key: string, onOpenFailed?: (err: unknown) => void): ReactNode[] {
  return nodes.map((n, i) => {
    const k = `${key}.${i}`
    switch (n.kind) {
      case 'text': return <Fragment key={k}>{marked(n.text, me, k)}</Fragment>
      case 'link': return <Link key={k} url={n.url} text={n.text} onOpenFailed={onOpenFailed} />
      case 'code': return <code key={k} className="code">{n.text}</code>
      case 'block': return <pre key={k} className="code-block" data-lang={n.lang}><code>{n.text}</code></pre>
      case 'strong': return <strong key={k}>{render(n.children, me, k, onOpenFailed)}</strong>
      case 'em': return <em key={k}>{render(n.children, me, k, onOpenFailed)}</em>
      case 'del': return <del key={k}>{render(n.children, me, k, onOpenFailed)}</del>
    }
  })
}

/**
 * A message's text as its author formatted it (markup.ts: code blocks, inline code, bold, italic,
 * struck), its http(s) links clickable and mentions of `me` marked. Built as elements, never as
 * HTML. A click on a link never navigates the window: it asks main to open the link in the system
 * browser, and main checks the scheme again (only http and https open; nothing is fetched here).
 */
export function RichText({ text, me = '', onOpenFailed }: { text: string; me?: string; onOpenFailed?: (err: unknown) => void }) {
  const nodes = useMemo(() => parseMarkup(text), [text])
  return <>{render(nodes, me, 'm', onOpenFailed)}</>
}
