import { Fragment, type MouseEvent, type ReactNode } from 'react'
import { findLinks, findMentions } from '../../../preload/contract'
import { call } from '../api'

/** Plain text with each "@me" marked. */
function marked(text: string, me: string, key: string): ReactNode[] {
  const out: ReactNode[] = []
  let at = 0
  for (const m of me === '' ? [] : findMentions(text, me)) {
    if (m.end <= m.start) continue
    if (m.start > at) out.push(text.slice(at, m.start))
    out.push(<mark key={`${key}m${m.start}`} className="mention">{text.slice(m.start, m.end)}</mark>)
    at = m.end
  }
  if (at < text.length) out.push(text.slice(at))
  return out
}

/**
 * A message's text with its http(s) links clickable and mentions of `me` marked. A click never navigates
 * the window: it asks main to open the link in the system browser, and main
 * checks the scheme again (only http and https open; nothing is fetched here).
 */
export function RichText({ text, me = '', onOpenFailed }: { text: string; me?: string; onOpenFailed?: (err: unknown) => void }) {
  const parts: ReactNode[] = []
  let at = 0
  for (const link of findLinks(text)) {
    if (link.start > at) parts.push(<Fragment key={`t${at}`}>{marked(text.slice(at, link.start), me, `t${at}`)}</Fragment>)
    const open = (e: MouseEvent<HTMLAnchorElement>): void => {
      e.preventDefault()
      call('openLink', { url: link.url }).catch((err: unknown) => onOpenFailed?.(err))
    }
    parts.push(
      <a key={`l${link.start}`} href={link.url} className="link" rel="noreferrer noopener" title={`Open ${link.url} in your browser`} onClick={open}>
        {text.slice(link.start, link.end)}
      </a>
    )
    at = link.end
  }
  if (at < text.length) parts.push(<Fragment key={`t${at}`}>{marked(text.slice(at), me, `t${at}`)}</Fragment>)
  return <>{parts}</>
}
