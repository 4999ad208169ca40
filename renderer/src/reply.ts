import { createContext, useContext, useEffect, useState } from 'react'
import type { AppEvent, MessageView } from '../../preload/contract'
import { bridge, call } from './api'

/**
 * What a message row can ask of the app: start a reply to it, and show the
 * original of a reply in its context (the same "reveal" a search hit uses, so
 * an original older than the loaded window is paged in around it). `find`
 * looks the original up in the loaded window first. Provided by App; null
 * where no engine runs.
 */
export interface MessageActions {
  reply: (message: MessageView) => void
  /** Open the Forward dialog for a message (its file, if any, is on this computer). */
  forward: (message: MessageView) => void
  jump: (room: string, id: string) => void
  /**
   * Pin a message for everyone in its conversation (`on` false unpins it); a refusal is a toast.
   * Absent where nothing written reaches anyone (a private room that removed us).
   */
  pin?: (message: MessageView, on: boolean) => void
  /**
   * True where nothing written reaches anyone (a private room that removed us): a row offers no
   * Reply (there is no message box to reply in), React, Edit or Delete, and its reactions' chips
   * do nothing, as the engine would refuse each. Save, Copy and Forward stay.
   */
  closed?: boolean
  /** Save a message for later, for oneself alone (`on` false takes it off the list); a refusal is a toast. */
  save?: (message: MessageView, on: boolean) => void
  /**
   * A message of ours marked *Not sent* (refused by the engine, or by the hub in client mode):
   * `again` sends its text anew, as a new message (the same reply if what it answers is still
   * there), and its row goes; `discard` takes the row away. Row `key`s, as the store keeps them.
   * No `again` where nothing can be written (a blocked person's conversation, a private room that
   * removed us): it would only be refused again.
   */
  unsent?: { again?: (key: string, message: MessageView) => void; discard: (key: string, room: string, id: string) => void }
}

export const Actions = createContext<MessageActions | null>(null)

/**
 * A message of the loaded window by its id (the original a quote shows), apart from the actions: it
 * changes with every message that comes, and only quotes read it, not every row. Null where no
 * actions are (no engine, or a room read without joining): a quote then looks the original up.
 */
export const FindMessage = createContext<((id: string) => MessageView | undefined) | null>(null)

/**
 * Who is who, as the window names people: our peer id (our reactions and pins say "you") and a
 * peer's display name (who reacted, who pinned). Apart from the actions: a public room read
 * without joining offers none of them, yet names the people in it as everywhere else. Provided
 * by App; null where no engine runs.
 */
export interface PeopleNames {
  self: string
  nameOf: (peerId: string) => string | undefined
}

export const Names = createContext<PeopleNames | null>(null)

/**
 * The own message the user asked to edit from the composer (Up in an empty box), numbered
 * so that each request is taken once and the same message can be asked for again.
 */
export const EditRequest = createContext<{ id: string; n: number } | null>(null)

/**
 * Originals fetched from the engine, kept while the window lives: one outside the loaded window
 * (older than its newest page) is asked for once, and its edits and delete come as
 * `message:updated` events, which the quotes showing it take in.
 */
const fetched = new Map<string, MessageView | null>()

/** The original of a reply: from the loaded window, else one look-up in the history around it. */
export function useQuoted(room: string, id: string | undefined): MessageView | null | undefined {
  const find = useContext(FindMessage)
  const local = id === undefined ? undefined : find?.(id)
  const [, setTick] = useState(0)
  useEffect(() => {
    if (id === undefined || local !== undefined || fetched.has(id)) return
    let live = true
    call('history', { room, around: id, limit: 1 }).then(
      (messages: MessageView[]) => {
        fetched.set(id, messages.find((m) => m.id === id) ?? null)
        if (live) setTick((t) => t + 1)
      },
      () => undefined
    )
    return () => {
      live = false
    }
  }, [room, id, local])
  useEffect(() => {
    if (id === undefined) return
    // Edited or deleted since it was fetched: the quote reads as the original reads now.
    return bridge().onEvent((event: AppEvent) => {
      if (event.type !== 'message:updated' || event.id !== id) return
      const known = fetched.get(id)
      if (known === undefined || known === null) return
      const { type: _type, ...now } = event
      fetched.set(id, { ...known, ...now })
      setTick((t) => t + 1)
    })
  }, [id])
  if (id === undefined) return undefined
  return local ?? fetched.get(id)
}
