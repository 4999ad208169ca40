/**
 * The window's right-click menu. Electron shows none of its own: without
 * this, a right-click in the message box could not paste, a misspelled word
 * (underlined: the window spell-checks) offered no correction, and selected
 * text could not be copied from a menu. Built from what Chromium says about
 * the place clicked (`context-menu` event's params), as a desktop app's
 * menu is: spelling suggestions and "Add to dictionary" on a misspelled word,
 * then Cut, Copy, Paste and Select all as the field allows; Copy on selected
 * text elsewhere; "Copy link address" on a web link (nothing is opened from
 * here: a click on the link does that, through main/app/links.ts).
 *
 *   win.webContents.on('context-menu', (_e, params) => {
 *     const items = contextMenu(params, actions)
 *     if (items.length > 0) Menu.buildFromTemplate(items).popup({ window: win })
 *   })
 */
import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron'
import { isWebLink } from '../core/links.js'

/** What the menu's own items do (the roles — cut, copy, paste, select all — are Electron's). */
export interface ContextMenuActions {
  replaceMisspelling: (word: string) => void
  addToDictionary: (word: string) => void
  copyText: (text: string) => void
}

export type ClickedPlace = Pick<ContextMenuParams, 'isEditable' | 'selectionText' | 'misspelledWord' | 'dictionarySuggestions' | 'editFlags' | 'linkURL'>

/** At most this many spelling suggestions, the likeliest first. */
const MAX_SUGGESTIONS = 5

/** The items for a right-click at `place`; none where there is nothing to do (the menu is then not shown). */
export function contextMenu (place: ClickedPlace, actions: ContextMenuActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = []
  const section = (more: MenuItemConstructorOptions[]): void => {
    if (more.length === 0) return
    if (items.length > 0) items.push({ type: 'separator' })
    items.push(...more)
  }
  const word = place.misspelledWord.trim()
  if (place.isEditable && word !== '') {
    const suggestions = place.dictionarySuggestions.slice(0, MAX_SUGGESTIONS)
    section([
      ...(suggestions.length > 0
        ? suggestions.map((s): MenuItemConstructorOptions => ({ label: s, click: () => { actions.replaceMisspelling(s) } }))
        : [{ label: 'No spelling suggestions', enabled: false }]),
      { label: 'Add to dictionary', click: () => { actions.addToDictionary(word) } }
    ])
  }
  if (place.linkURL !== '' && isWebLink(place.linkURL)) {
    section([{ label: 'Copy link address', click: () => { actions.copyText(place.linkURL) } }])
  }
  const selected = place.selectionText.trim() !== ''
  if (place.isEditable) {
    const f = place.editFlags
    section([
      { role: 'cut', label: 'Cut', enabled: f.canCut && selected },
      { role: 'copy', label: 'Copy', enabled: f.canCopy && selected },
      { role: 'paste', label: 'Paste', enabled: f.canPaste },
      { type: 'separator' },
      { role: 'selectAll', label: 'Select all', enabled: f.canSelectAll }
    ])
  } else if (selected) {
    section([{ role: 'copy', label: 'Copy', enabled: place.editFlags.canCopy }])
  }
  return items
}
