/**
 * The engine's list of public rooms: every room a delivered message names,
 * bounded, the lobby always in it.
 */
import { describe, expect, it } from 'vitest'
import { MAX_LISTED_ROOMS } from '../main/core/limits.js'
import { RoomSet } from '../main/chat/ordering.js'
import type { EngineStore } from '../main/chat/ordering.js'

function storeWith (rooms: string[]): { store: EngineStore, changes: () => number } {
  let changes = 0
  const store = { state: { rooms }, changed: () => { changes++ } } as unknown as EngineStore
  return { store, changes: () => changes }
}

describe('RoomSet', () => {
  it('a peer naming a new room in every message leaves at most MAX_LISTED_ROOMS listed: the lobby stays, the longest listed go', () => {
    const { store } = storeWith(['lobby', 'design'])
    const rooms = new RoomSet()
    rooms.attach(store)
    for (let i = 0; i < 5_000; i++) rooms.note(`spam-${i}`)
    const listed = rooms.list()
    expect(listed).toHaveLength(MAX_LISTED_ROOMS)
    expect(listed[0]).toBe('lobby')
    expect(listed).not.toContain('design')
    expect(listed.at(-1)).toBe('spam-4999')
    expect(new Set(listed).size).toBe(listed.length)
    // One that went is listed again by a new message in it.
    rooms.note('design')
    expect(rooms.list().at(-1)).toBe('design')
  })

  it('lists each room once, and a room left until a message names it again', () => {
    const { store, changes } = storeWith(['lobby'])
    const rooms = new RoomSet()
    rooms.attach(store)
    rooms.note('design')
    rooms.note('design')
    expect(rooms.list()).toEqual(['lobby', 'design'])
    expect(changes()).toBe(1)
    rooms.leave('design')
    expect(rooms.list()).toEqual(['lobby'])
    rooms.note('design')
    expect(rooms.list()).toEqual(['lobby', 'design'])
  })
})
