import type { KeyboardEvent } from 'react'

/**
 * The text box of a list picked by typing (Go to a conversation, Forward): a combobox over the
 * listbox `listId` of `count` rows, the `active` one highlighted (its row's id is `${listId}-${active}`).
 */
export function PickerBox({ label, listId, count, active, query, onQuery, onKey }: {
  label: string
  listId: string
  count: number
  active: number
  query: string
  onQuery: (text: string) => void
  onKey: (e: KeyboardEvent<HTMLInputElement>) => void
}) {
  return (
    <input
      role="combobox"
      aria-label={label}
      aria-expanded={count > 0}
      aria-controls={count > 0 ? listId : undefined}
      aria-autocomplete="list"
      aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
      placeholder="A room, a private room or a person"
      value={query}
      onChange={(e) => onQuery(e.target.value)}
      onKeyDown={onKey}
    />
  )
}
