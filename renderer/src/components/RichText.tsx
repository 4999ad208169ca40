import { Fragment, type MouseEvent, type ReactNode } from 'react'
import { findLinks } from '../../../preload/contract'
import { call } from '../api'

/**
 * A message's text with its http(s) links clickable. A click never navigates
 * the window: it asks main to open the link in the system browser, and main
 * checks the scheme again (only http and https open; nothing is fetched here).
 */
export function RichText({ text, onOpenFailed }: { text: string; onOpenFailed?: (err: unknown) => void }) {
  const parts: ReactNode[] = []
  let at = 0
  for (const link of findLinks(text)) {
    if (link.start > at) parts.push(<Fragment key={`t${at}`}>{text.slice(at, link.start)}</Fragment>)
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
  if (at < text.length) parts.push(<Fragment key={`t${at}`}>{text.slice(at)}</Fragment>)
  return <>{parts}</>
}
