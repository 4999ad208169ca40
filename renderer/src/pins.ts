/**
 * The open conversation's pinned messages, as the engine lists them across its whole history
 * (newest pin first, at most 50): the header's Pinned count and its panel. Asked for again on
 * opening another conversation, on a new engine, when a `message:updated` of this
 * conversation changes what is pinned (a pin, an unpin, a delete of a pinned one) or a pinned
 * one's text, and when a message comes pinned already (catch-up brought its pin with it).
 * Loads do not pile up (Reloads): a burst of pins asks once more when the load under way is done.
 */
import { useEffect, useState } from 'react'
import type { AppEvent, MessageView } from '../../preload/contract'
import { bridge, call, describe } from './api'
import { Reloads } from './reloads'
import { shortId } from './format'

export interface Pins {
  /** The room these are of (an answer for another room is never shown as this one's). */
  room: string
  messages: MessageView[]
  error?: string
}

/** Whom a pin was by, as the window names people: "you" for our own, else their name (or short id). */
export function pinnedBy(by: string, names: { self: string; nameOf: (id: string) => string | undefined } | null): string {
  return by === names?.self ? 'you' : names?.nameOf(by) || shortId(by)
}

type Updated = Extract<AppEvent, { type: 'message:updated' }>

/** Whether a message's new view changes the list of pins: pinned now and not listed (or by someone else, or later), or listed and no longer pinned. */
export function changesPins(list: readonly MessageView[], event: Pick<Updated, 'id' | 'pinned' | 'deleted'>): boolean {
  const listed = list.find((m) => m.id === event.id)
  const pinned = event.deleted !== true ? event.pinned : undefined
  if (listed === undefined) return pinned !== undefined
  return pinned === undefined || pinned.by !== listed.pinned?.by || pinned.at !== listed.pinned?.at
}

/** The pins of `room` while an engine runs (`engineKey` tells one engine from the next). */
export function usePins(room: string, running: boolean, engineKey: string): Pins | undefined {
  const [pins, setPins] = useState<Pins>()
  useEffect(() => {
    if (!running) return
    let live = true
    // What the last answer listed, to tell whether an event changes it.
    let listed: MessageView[] = []
    const reloads = new Reloads(() => call('pins', { room }).then(
      (messages) => {
        if (!live) return
        listed = messages
        setPins({ room, messages })
      },
      (err: unknown) => { if (live) setPins({ room, messages: listed, error: describe(err) }) }
    ))
    reloads.now()
    // A pin, an unpin, a delete of a pinned one; or an edit of one listed: its snippet reads as the message does now.
    // Or a message that comes pinned already: catch-up brings one and its pin together, and tells of no update.
    const off = bridge().onEvent((event) => {
      if (event.type === 'message' && event.room === room && event.pinned !== undefined) return reloads.soon()
      if (event.type !== 'message:updated' || event.room !== room) return
      if (changesPins(listed, event) || listed.some((m) => m.id === event.id)) reloads.soon()
    })
    return () => {
      live = false
      reloads.stop()
      off()
    }
  }, [room, running, engineKey])
  return pins?.room === room ? pins : undefined
}
