/**
 * Where Ctrl/⌘+K can take you (renderer/src/switcher.ts): conversations by
 * any part of their name, names that start with what was typed first, then
 * unread ones, then the sidebar's order; people to write to once a name is
 * typed; a new room by the name typed, as the room dialog would make it.
 */
import { describe, expect, it } from 'vitest'
import { destinations, listKey, MAX_DESTINATIONS, type Places } from '../renderer/src/switcher.js'

const places: Places = {
  rooms: ['lobby', 'design', 'product-design', 'random'],
  privateRooms: [{ room: 'pr:1', name: 'Design leads' }],
  dms: [{ room: 'dm:1', peerId: 'p-dana', name: 'Dana' }],
  people: [{ peerId: 'p-dana', name: 'Dana' }, { peerId: 'p-desmond', name: 'Desmond' }, { peerId: 'p-x', name: '' }],
  unread: (room) => (room === 'product-design' ? 3 : 0)
}
const shown = (q: string, p: Places = places): string[] => destinations(q, p).map((d) => `${d.kind} ${d.label}${d.unread > 0 ? ` (${d.unread})` : ''}`)

describe('the quick switcher', () => {
  it('with nothing typed: every conversation, unread first, then in the sidebar\'s order; nobody new', () => {
    expect(shown('')).toEqual(['room product-design (3)', 'room lobby', 'room design', 'room random', 'private Design leads', 'dm Dana'])
  })

  it('by any part of a name, case aside: names that start with it first; people without a conversation; a new room last; # rooms only, @ people only', () => {
    expect(shown('de')).toEqual(['room design', 'private Design leads', 'person Desmond', 'room product-design (3)', 'new-room de'])
    // Dana has a conversation already: offered once, as it.
    expect(shown('dan')).toEqual(['dm Dana', 'new-room dan'])
    expect(shown('@des')).toEqual(['person Desmond'])
    expect(shown('#des')).toEqual(['room design', 'private Design leads', 'room product-design (3)', 'new-room des'])
    expect(shown('@d')).toEqual(['dm Dana', 'person Desmond'])
  })

  it('a new room is named as the room dialog names it, and never over one that exists or a reserved prefix', () => {
    expect(destinations('  Team Retro ', places).at(-1)).toMatchObject({ kind: 'new-room', room: 'team-retro' })
    expect(shown('random').filter((s) => s.startsWith('new-room'))).toEqual([])
    expect(shown('pr:abc').filter((s) => s.startsWith('new-room'))).toEqual([])
    expect(shown('zzz')).toEqual(['new-room zzz'])
  })

  it('lists at most a screenful, and then the new room', () => {
    const many: Places = { ...places, rooms: Array.from({ length: 40 }, (_, i) => `team-${i}`) }
    const found = destinations('team', many)
    expect(found).toHaveLength(MAX_DESTINATIONS + 1)
    expect(found.at(-1)).toMatchObject({ kind: 'new-room', room: 'team' })
  })
})

describe('a list picked from a text box', () => {
  it('↑ and ↓ go round the rows, Enter takes the highlighted one, other keys are the box\'s', () => {
    expect(listKey('ArrowDown', 3, 0)).toBe(1)
    expect(listKey('ArrowDown', 3, 2)).toBe(0)
    expect(listKey('ArrowUp', 3, 0)).toBe(2)
    expect(listKey('ArrowUp', 0, 0)).toBeUndefined()
    expect(listKey('Enter', 3, 1)).toBe('enter')
    expect(listKey('Enter', 0, -1)).toBeUndefined()
    expect(listKey('a', 3, 1)).toBeUndefined()
  })
})
