/**
 * The messages this person saved for later, as the engine lists them (every conversation, newest
 * saved first, at most 1,000): the sidebar's Saved count and its list, the Save or Unsave of each
 * message's actions, and the Saved mark on a row. Theirs alone: nothing of it reaches anyone, so no
 * event tells of it: asked for on a new engine, after each save or unsave here, and when a
 * `message:updated` changes one listed (an edit, or its author's delete: "message deleted").
 */
import { createContext, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { MessageView } from '../../preload/contract'
import { bridge, call, describe } from './api'
import { Reloads } from './reloads'

export interface Saved {
  messages: MessageView[]
  /** Their ids: what a row asks to show its mark and to offer Save or Unsave. */
  ids: ReadonlySet<string>
  error?: string
}

/** The ids saved, for the rows (none outside a running engine). */
export const SavedIds = createContext<ReadonlySet<string>>(new Set())

/** A list with `id` saved or taken off, as the engine will answer it: shown at once, before its answer. */
export function withSaved(list: readonly MessageView[], m: MessageView, on: boolean, at: number): MessageView[] {
  const rest = list.filter((s) => s.id !== m.id)
  return on ? [{ ...m, savedAt: list.find((s) => s.id === m.id)?.savedAt ?? at }, ...rest] : rest
}

/**
 * The saved list while an engine runs (`engineKey` tells one engine from the next, a mode switch
 * included: the list is one for both modes, but each lists what its own history has), and `save`,
 * which saves or takes one off; a refusal (1,000 saved already, deleted meanwhile) goes to `fail`.
 * `readable` changes when what the engine can list does, with no event about a saved message: an
 * invite-only room left (its keys forgotten, its messages no longer open), another hub's history.
 */
export function useSaved(running: boolean, engineKey: string, readable: string, fail: (title: string, why: string) => void): { saved: Saved | undefined; save: (m: MessageView, on: boolean) => void } {
  const [messages, setMessages] = useState<MessageView[]>()
  const [error, setError] = useState<string>()
  const reloads = useRef<Reloads | null>(null)
  useEffect(() => {
    setMessages(undefined)
    if (!running) return
    let live = true
    let listed: MessageView[] = []
    const r = new Reloads(() => call('saved').then(
      (list) => {
        if (!live) return
        listed = list
        setMessages(list)
        setError(undefined)
      },
      (err: unknown) => { if (live) setError(describe(err)) }
    ))
    reloads.current = r
    r.now()
    // An edit of one listed reads anew; its author's delete makes it "message deleted".
    const off = bridge().onEvent((event) => {
      if (event.type === 'message:updated' && listed.some((m) => m.id === event.id)) r.soon()
    })
    return () => {
      live = false
      r.stop()
      if (reloads.current === r) reloads.current = null
      off()
    }
  }, [running, engineKey])
  // Read again, not emptied first: what is still listed stays in place, and what no longer opens goes.
  const listedFor = useRef(readable)
  useEffect(() => {
    if (listedFor.current === readable) return
    listedFor.current = readable
    reloads.current?.soon()
  }, [readable])
  const save = useCallback((m: MessageView, on: boolean) => {
    setMessages((list) => (list === undefined ? list : withSaved(list, m, on, Date.now())))
    call('save', { id: m.id, on }).then(
      () => reloads.current?.soon(),
      (err: unknown) => {
        fail(on ? 'Could not save' : 'Could not remove from Saved', describe(err))
        reloads.current?.soon()
      }
    )
  }, [fail])
  const saved = useMemo<Saved | undefined>(() => (messages === undefined ? undefined : { messages, ids: new Set(messages.map((m) => m.id)), ...(error !== undefined ? { error } : {}) }), [messages, error])
  return { saved, save }
}
