/**
 * The messages this person saved for later, as the engine lists them (every conversation, newest
 * saved first, at most 1,000): the sidebar's Saved count, the Save or Unsave of each message's
 * actions and the Saved mark on a row need only their ids (`savedIds`), read on a new engine and
 * when what it can list changes; a save or an unsave here is applied in place, with its answer, not
 * read again. The messages themselves, words and all (a thousand of 64 KiB would be megabytes),
 * are read only while the Saved list is open (`saved`), and kept up to date there by the
 * `message:updated` events (an edit, or its author's delete: "message deleted"). Theirs alone:
 * nothing of it reaches anyone, so no event tells of a save; a pending message the hub refuses
 * (an `error` with its id) goes from both at once.
 */
import { createContext, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { MessageView, SavedMark } from '../../preload/contract'
import { bridge, call, describe } from './api'
import { Reloads } from './reloads'

export interface Saved {
  /** The messages, whole: only while the list is open (undefined until read). */
  messages?: MessageView[]
  /** Their ids: what a row asks to show its mark and to offer Save or Unsave. */
  ids: ReadonlySet<string>
  /** How many are listed: the sidebar's count. */
  count: number
  /** Why the ids or the messages could not be read: the list says so, with Try again (`retry`). */
  error?: string
}

/** The ids saved, for the rows (none outside a running engine). */
export const SavedIds = createContext<ReadonlySet<string>>(new Set())

/** A list with `id` saved or taken off, as the engine will answer it: shown at once, before its answer. */
export function withSaved(list: readonly MessageView[], m: MessageView, on: boolean, at: number): MessageView[] {
  const rest = list.filter((s) => s.id !== m.id)
  return on ? [{ ...m, savedAt: list.find((s) => s.id === m.id)?.savedAt ?? at }, ...rest] : rest
}

/** The same for the ids alone: saving one saved keeps its time and place. */
export function withMark(marks: readonly SavedMark[], id: string, on: boolean, at: number): SavedMark[] {
  const rest = marks.filter((s) => s.id !== id)
  return on ? [{ id, savedAt: marks.find((s) => s.id === id)?.savedAt ?? at }, ...rest] : rest
}

/** `event`'s new view of a listed message put in its place (its `savedAt` kept): no list read again. */
export function withUpdate(list: readonly MessageView[], event: MessageView): MessageView[] {
  if (!list.some((m) => m.id === event.id)) return list as MessageView[]
  const { type: _type, cause: _cause, ...view } = event as MessageView & { type?: string; cause?: unknown }
  return list.map((m) => (m.id === event.id ? { ...view, ...(m.savedAt !== undefined ? { savedAt: m.savedAt } : {}) } : m))
}

/**
 * The saved ids while an engine runs (`engineKey` tells one engine from the next, a mode switch
 * included: the list is one for both modes, but each lists what its own history has), the messages
 * while `open`, and `save`, which saves or takes one off; a refusal (1,000 saved already, deleted
 * meanwhile) goes to `fail`. `readable` changes when what the engine can list does, with no event
 * about a saved message: an invite-only room left (its keys forgotten, its messages no longer
 * open), another hub's history. The ids or the list not read (the engine refused or did not answer)
 * is `error`, not an endless "Loading…": `retry` reads again what was not read.
 */
export function useSaved(running: boolean, engineKey: string, readable: string, open: boolean, fail: (title: string, why: string) => void): { saved: Saved | undefined; save: (m: MessageView, on: boolean) => void; retry: () => void } {
  const [marks, setMarks] = useState<SavedMark[]>()
  const [messages, setMessages] = useState<MessageView[]>()
  // Apart: the list read fine says nothing of the ids not read, nor the other way round.
  const [marksError, setMarksError] = useState<string>()
  const [error, setError] = useState<string>()
  const markReloads = useRef<Reloads | null>(null)
  const listReloads = useRef<Reloads | null>(null)
  useEffect(() => {
    setMarks(undefined)
    setMarksError(undefined)
    if (!running) return
    let live = true
    const r = new Reloads(() => call('savedIds').then(
      (ids) => {
        if (!live) return
        setMarks(ids)
        setMarksError(undefined)
      },
      (err: unknown) => { if (live) setMarksError(describe(err)) }
    ))
    markReloads.current = r
    r.now()
    // A pending message the hub refused will never be delivered: it goes (the engine no longer lists it).
    const off = bridge().onEvent((event) => {
      if (event.type !== 'error' || event.id === undefined) return
      const gone = event.id
      setMarks((list) => (list?.some((m) => m.id === gone) === true ? list.filter((m) => m.id !== gone) : list))
      setMessages((list) => (list?.some((m) => m.id === gone) === true ? list.filter((m) => m.id !== gone) : list))
    })
    return () => {
      live = false
      r.stop()
      if (markReloads.current === r) markReloads.current = null
      off()
    }
  }, [running, engineKey])
  // The messages, whole, only while the list is open: read once as it opens, then kept by events.
  useEffect(() => {
    setMessages(undefined)
    setError(undefined)
    if (!running || !open) return
    let live = true
    const r = new Reloads(() => call('saved').then(
      (list) => {
        if (!live) return
        setMessages(list)
        setError(undefined)
      },
      (err: unknown) => { if (live) setError(describe(err)) }
    ))
    listReloads.current = r
    r.now()
    // An edit of one listed, or its author's delete ("message deleted"): the event has its new view.
    const off = bridge().onEvent((event) => {
      if (event.type === 'message:updated') setMessages((list) => (list === undefined ? list : withUpdate(list, event)))
    })
    return () => {
      live = false
      r.stop()
      if (listReloads.current === r) listReloads.current = null
      off()
    }
  }, [running, engineKey, open])
  // Read again, not emptied first: what is still listed stays in place, and what no longer opens goes.
  const listedFor = useRef(readable)
  useEffect(() => {
    if (listedFor.current === readable) return
    listedFor.current = readable
    markReloads.current?.soon()
    listReloads.current?.soon()
  }, [readable])
  const save = useCallback((m: MessageView, on: boolean) => {
    const at = Date.now()
    setMarks((list) => (list === undefined ? list : withMark(list, m.id, on, at)))
    setMessages((list) => (list === undefined ? list : withSaved(list, m, on, at)))
    call('save', { id: m.id, on }).then(
      (view) => {
        // The engine's time for it (one saved before keeps its own): in place, nothing read again.
        const savedAt = view?.savedAt
        if (!on || savedAt === undefined) return
        setMarks((list) => list?.map((s) => (s.id === m.id ? { ...s, savedAt } : s)))
        setMessages((list) => list?.map((s) => (s.id === m.id ? { ...s, savedAt } : s)))
      },
      (err: unknown) => {
        fail(on ? 'Could not save' : 'Could not remove from Saved', describe(err))
        markReloads.current?.soon()
        listReloads.current?.soon()
      }
    )
  }, [fail])
  // Try again: what failed is read again, "Loading…" meanwhile (what was read stays).
  const retry = useCallback(() => {
    if (marksError !== undefined) {
      setMarksError(undefined)
      markReloads.current?.soon()
    }
    if (error !== undefined) {
      setError(undefined)
      listReloads.current?.soon()
    }
  }, [marksError, error])
  const failed = error ?? marksError
  const saved = useMemo<Saved | undefined>(() => (marks === undefined && failed === undefined ? undefined : {
    ...(messages !== undefined ? { messages } : {}),
    ids: new Set((marks ?? []).map((m) => m.id)),
    count: marks?.length ?? 0,
    ...(failed !== undefined ? { error: failed } : {})
  }), [marks, messages, failed])
  return { saved, save, retry }
}
