/**
 * Links: which text is a link, and that opening one goes through the IPC
 * schema to the host's opener with nothing but http(s) let through. The
 * opener here is the test host's kind: it records what it would open.
 */
import { describe, expect, it } from 'vitest'
import { findLinks, internationalHost, isWebLink, linkTitle } from '../main/core/links.js'
import { dispatchOver } from '../main/app/handlers.js'
import { hostOperations, openLinkWith } from '../main/app/links.js'

describe('findLinks', () => {
  it('finds http(s) URLs in text, without the sentence\'s punctuation', () => {
    const text = 'see https://example.com/a?b=1, and (http://host.lan:8080/x_(y)) or https://x.org/path.'
    expect(findLinks(text).map(l => l.url)).toEqual(['https://example.com/a?b=1', 'http://host.lan:8080/x_(y)', 'https://x.org/path'])
    for (const l of findLinks(text)) expect(text.slice(l.start, l.end)).toBe(l.url)
  })

  it('leaves other schemes and bare words as text', () => {
    expect(findLinks('javascript:alert(1) file:///etc/passwd ftp://x.org data:text/html,hi www.example.com mailto:a@b.c')).toEqual([])
    expect(findLinks('nohttps://x.org')).toEqual([])
    expect(findLinks('')).toEqual([])
  })
})

describe('links that would be drawn as something else', () => {
  it('a URL ends before a character that turns the text round: what looks like .jpg never links to the .exe', () => {
    const text = 'the photo: https://x.org/files/\u202egpj.exe'
    expect(findLinks(text).map(l => l.url)).toEqual(['https://x.org/files/'])
    expect(findLinks('https://x.org/a\u2067b').map(l => l.url)).toEqual(['https://x.org/a'])
    expect(isWebLink('https://x.org/files/\u202egpj.exe')).toBe(false)
  })

  it('a host in other alphabets shows its ASCII form in the tooltip; an ordinary one shows as written', () => {
    expect(linkTitle('https://\u0430pple.com/login')).toBe('Open https://xn--pple-43d.com/login in your browser (its name has letters of other alphabets, written here as xn--…: check it is the site you expect)')
    expect(linkTitle('https://example.com/a?b=1')).toBe('Open https://example.com/a?b=1 in your browser')
    // The name the message shows beside such a link: typed in another alphabet, or already in punycode; none for an ordinary one.
    expect(internationalHost('https://\u0430pple.com/login')).toBe('xn--pple-43d.com')
    expect(internationalHost('https://shop.xn--80ak6aa92e.com/')).toBe('shop.xn--80ak6aa92e.com')
    expect(internationalHost('https://example.com/a')).toBeUndefined()
    expect(internationalHost('not a url')).toBeUndefined()
  })
})

describe('isWebLink', () => {
  it('takes only absolute http and https URLs with a host', () => {
    for (const ok of ['http://example.com', 'https://192.168.1.5:8443/a#b', 'HTTPS://EXAMPLE.COM/']) expect(isWebLink(ok), ok).toBe(true)
    for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>', 'vbscript:x', 'ftp://x.org',
      'smb://host/share', 'http:/x', 'http://', 'https:example.com', '//example.com', 'http://exa mple.com', 'http://x.org/\n', 'about:blank', 'x'.repeat(5000)]) {
      expect(isWebLink(bad), bad).toBe(false)
    }
  })
})

describe('openLink, as a host carries it out', () => {
  const host = (): { opened: string[], dispatch: ReturnType<typeof dispatchOver> } => {
    const opened: string[] = []
    return { opened, dispatch: dispatchOver(hostOperations({ setUnread: () => {}, openLink: url => { opened.push(url) } })) }
  }

  it('opens an http(s) link with the host\'s opener', async () => {
    const { opened, dispatch } = host()
    expect(await dispatch('openLink', { url: 'https://example.com/a b'.replace(' ', '%20') })).toEqual({ ok: true, value: { url: 'https://example.com/a%20b' } })
    expect(opened).toEqual(['https://example.com/a%20b'])
  })

  it('refuses javascript:, file: and every other scheme before the opener sees them', async () => {
    const { opened, dispatch } = host()
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', 'ftp://x.org', 'chrome://settings', 'app://lanchat/index.html', 'mailto:a@b.c', 'about:blank']) {
      const result = await dispatch('openLink', { url })
      expect(result.ok, url).toBe(false)
      if (!result.ok) expect(result.error.name).toBe('InvalidRequestError')
    }
    expect((await dispatch('openLink', { url: 'https://x.org', extra: 1 })).ok).toBe(false)
    expect((await dispatch('openLink', {})).ok).toBe(false)
    expect(opened).toEqual([])
  })

  it('refuses again on its own, and where the host has no browser', async () => {
    await expect(openLinkWith(() => {}, 'javascript:alert(1)')).rejects.toMatchObject({ name: 'ForbiddenRequestError' })
    await expect(openLinkWith(undefined, 'https://example.com')).rejects.toMatchObject({ name: 'ForbiddenRequestError' })
  })
})
