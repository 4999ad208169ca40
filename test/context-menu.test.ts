/**
 * The desktop window's right-click menu (main/desktop/context-menu.ts), from
 * what Chromium reports about the place clicked: what a user gets in the
 * message box, on a misspelled word, on selected text and on a link. The
 * menu's items run the actions they name. (Electron itself shows the menu:
 * that part runs in the desktop workflow only.)
 */
import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { contextMenu, type ClickedPlace } from '../main/desktop/context-menu.js'

const flags = { canUndo: true, canRedo: false, canCut: true, canCopy: true, canPaste: true, canDelete: true, canSelectAll: true, canEditRichly: false }
const place = (p: Partial<ClickedPlace>): ClickedPlace => ({ isEditable: false, selectionText: '', misspelledWord: '', dictionarySuggestions: [], editFlags: flags, linkURL: '', ...p })

function run () {
  const done: string[] = []
  const actions = {
    replaceMisspelling: (w: string) => { done.push(`replace ${w}`) },
    addToDictionary: (w: string) => { done.push(`add ${w}`) },
    copyText: (t: string) => { done.push(`copy ${t}`) }
  }
  return { done, actions }
}
/** An item as a person reads the menu: its label, "(off)" when greyed out; a separator as "—". */
const shown = (items: MenuItemConstructorOptions[]): string[] => items.map(i => i.type === 'separator' ? '—' : `${i.label ?? ''}${i.enabled === false ? ' (off)' : ''}`)
const click = (items: MenuItemConstructorOptions[], label: string): void => {
  const item = items.find(i => i.label === label)
  if (item?.click === undefined) throw new Error(`no ${label} to click`)
  ;(item.click as () => void)()
}

describe('the right-click menu', () => {
  it('in the message box: cut and copy only with a selection, paste, select all', () => {
    const { actions } = run()
    expect(shown(contextMenu(place({ isEditable: true }), actions))).toEqual(['Cut (off)', 'Copy (off)', 'Paste', '—', 'Select all'])
    const items = contextMenu(place({ isEditable: true, selectionText: 'hello' }), actions)
    expect(shown(items)).toEqual(['Cut', 'Copy', 'Paste', '—', 'Select all'])
    // Those are Electron's own roles: they act on the page's selection and the system clipboard.
    expect(items.filter(i => i.role !== undefined).map(i => i.role)).toEqual(['cut', 'copy', 'paste', 'selectAll'])
    expect(shown(contextMenu(place({ isEditable: true, editFlags: { ...flags, canPaste: false } }), actions))).toContain('Paste (off)')
  })

  it('on a misspelled word: the suggestions first (at most five), then Add to dictionary; each does what it says', () => {
    const { done, actions } = run()
    const items = contextMenu(place({ isEditable: true, misspelledWord: 'helo', dictionarySuggestions: ['hello', 'halo', 'hell', 'help', 'held', 'hero'] }), actions)
    expect(shown(items)).toEqual(['hello', 'halo', 'hell', 'help', 'held', 'Add to dictionary', '—', 'Cut (off)', 'Copy (off)', 'Paste', '—', 'Select all'])
    click(items, 'halo')
    click(items, 'Add to dictionary')
    expect(done).toEqual(['replace halo', 'add helo'])
    expect(shown(contextMenu(place({ isEditable: true, misspelledWord: 'qzxv' }), actions)).slice(0, 2)).toEqual(['No spelling suggestions (off)', 'Add to dictionary'])
  })

  it('on selected text in a message: Copy; on a web link: its address to copy, never anything to open; elsewhere: no menu', () => {
    const { done, actions } = run()
    expect(shown(contextMenu(place({ selectionText: 'see you there' }), actions))).toEqual(['Copy'])
    const link = contextMenu(place({ linkURL: 'https://example.org/agenda' }), actions)
    expect(shown(link)).toEqual(['Copy link address'])
    click(link, 'Copy link address')
    expect(done).toEqual(['copy https://example.org/agenda'])
    expect(shown(contextMenu(place({ linkURL: 'https://example.org/x', selectionText: 'x' }), actions))).toEqual(['Copy link address', '—', 'Copy'])
    // Not a web link (the app makes only http(s) links clickable): nothing about it.
    expect(contextMenu(place({ linkURL: 'javascript:alert(1)' }), actions)).toEqual([])
    expect(contextMenu(place({}), actions)).toEqual([])
    expect(contextMenu(place({ selectionText: '   ' }), actions)).toEqual([])
  })
})
