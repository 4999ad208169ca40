/**
 * The formatting a message's text gets in the window (main/core/markup.ts):
 * what people type in chat apps shows as they meant it, and what they did not
 * mean as formatting shows exactly as typed.
 */
import { describe, expect, it } from 'vitest'
import { parseMarkup, previewText, shownText, type Markup } from '../main/core/markup.js'

/** A compact picture of a tree: **b**, *i*, ~~d~~, `c`, [link], ```block```. */
function show(nodes: Markup[]): string {
  return nodes.map((n) => {
    switch (n.kind) {
      case 'text': return n.text
      case 'link': return `[${n.url}]`
      case 'code': return `{code:${n.text}}`
      case 'block': return `{block${n.lang !== undefined ? `:${n.lang}` : ''}:${n.text}}`
      case 'strong': return `{b:${show(n.children)}}`
      case 'em': return `{i:${show(n.children)}}`
      case 'del': return `{s:${show(n.children)}}`
    }
  }).join('')
}
const md = (text: string): string => show(parseMarkup(text))

describe('formatting people mean', () => {
  it('bold, italic (either marker), struck, and nested', () => {
    expect(md('this is **important**')).toBe('this is {b:important}')
    expect(md('*really* and _truly_')).toBe('{i:really} and {i:truly}')
    expect(md('~~wrong~~ right')).toBe('{s:wrong} right')
    expect(md('**bold with _italic_ inside**')).toBe('{b:bold with {i:italic} inside}')
    expect(md('(**see**), "*this*"!')).toBe('({b:see}), "{i:this}"!')
  })

  it('inline code and fenced blocks keep their text as typed, nothing formatted or linked inside', () => {
    expect(md('run `npm test` now')).toBe('run {code:npm test} now')
    expect(md('`**not bold** https://x.org`')).toBe('{code:**not bold** https://x.org}')
    expect(md('look:\n```ts\nconst a = b * c * d\nif (x_y_z) {}\n```\ndone')).toBe('look:{block:ts:const a = b * c * d\nif (x_y_z) {}}done')
    expect(md('```\n  indented\n\ttabbed\n```')).toBe('{block:  indented\n\ttabbed}')
    expect(md('one line ```x = 1``` block')).toBe('one line {block:x = 1} block')
  })

  it('a block is its own line: the line breaks around its fences are not shown as blank lines', () => {
    expect(md('a\n```\nx\n```\nb')).toBe('a{block:x}b')
    expect(md('a\n\n```\nx\n```\n\nb')).toBe('a\n{block:x}\nb')
    expect(shownText(parseMarkup('a\n```\nx\n```\nb'))).toBe('axb')
  })

  it('links stay whole and clickable, also inside emphasis; markers after a link are not part of it', () => {
    expect(md('**https://example.com/a_b_c**')).toBe('{b:[https://example.com/a_b_c]}')
    expect(md('see https://example.com/*x*/y and _that_')).toBe('see [https://example.com/*x*/y] and {i:that}')
    expect(md('_docs at https://x.org/page_')).toBe('{i:docs at [https://x.org/page]}')
  })
})

describe('text that only looks like formatting stays as typed', () => {
  it.each([
    'snake_case_names and CONSTANT_NAME',
    '2*3*4 = 24',
    '*nix and *BSD',
    'a * b * c',
    '** not bold **',
    '_ spaced _',
    '~~~ and ~~',
    'unclosed `code and ```fence',
    'file_name_v2.txt',
    'x**2 + y**2',
    '`` and ``````',
    '***',
    '*\n*'
  ])('%j', (text) => {
    const nodes = parseMarkup(text)
    expect(shownText(nodes)).toBe(text)
    expect(nodes.every((n) => n.kind === 'text')).toBe(true)
  })

  it('emphasis does not reach across lines', () => {
    expect(md('*start\nend*')).toBe('*start\nend*')
    expect(md('*one*\n*two*')).toBe('{i:one}\n{i:two}')
  })

  it('no character is lost: what is shown is the text minus the markers that paired', () => {
    expect(shownText(parseMarkup('a **b** c'))).toBe('a b c')
    expect(shownText(parseMarkup('**a** **b'))).toBe('a **b')
    expect(shownText(parseMarkup('_a_ `b` ~~c~~ https://d.org'))).toBe('a b c https://d.org')
  })

  it('a typed object-replacement character is text, and links around it still link', () => {
    expect(md('\uFFFC *x* https://y.org')).toBe('\uFFFC *x* [https://y.org]')
  })
})

describe('a hostile message', () => {
  it('64 KiB of markers that never pair parses in linear-ish time and loses nothing', () => {
    for (const unit of ['*a ', '_a ', '**a ', '~~a ', '`', '*']) {
      const text = unit.repeat(Math.floor(65_536 / unit.length))
      const nodes = parseMarkup(text)
      expect(shownText(nodes)).toBe(text)
    }
  })
})

describe('a quote of a message', () => {
  it('is one line as a reader sees it: markers gone, a code block and line breaks as spaces', () => {
    expect(previewText('**Lunch** at _noon_?\nBring `forks`')).toBe('Lunch at noon? Bring forks')
    expect(previewText('see:\n```js\nx = 1\ny = 2\n```\nok')).toBe('see: x = 1 y = 2 ok')
    // A direction override is shown for what it is, not obeyed (a quote, a notification): the text after it reads as typed.
    expect(previewText('pay to 12\u202E3456, file report\u202Dfdp.exe')).toBe('pay to 12⟨RLO⟩3456, file report⟨LRO⟩fdp.exe')
    // Arabic and the marks that set a direction between scripts are left as they are.
    expect(previewText('مرحبا \u200Fok\u2067x\u2069')).toBe('مرحبا \u200Fok\u2067x\u2069')
    expect(previewText('2*3*4 and snake_case')).toBe('2*3*4 and snake_case')
  })
})
