import { useRef, useState } from 'react'
import type { DemoState } from '../../../preload/contract'
import { call, describe } from '../api'
import { CONCEPTS } from '../guide'
import { PANEL_LABEL, type Panel } from '../store'

interface Props {
  demo: DemoState | null
  onPanel: (panel: Panel) => void
  onRoom: (room: string) => void
}

/** The lecture, one concept at a time, each with where to see it in this app. */
export function Walkthrough({ demo, onPanel, onRoom }: Props) {
  const [at, setAt] = useState(0)
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const story = useRef<HTMLButtonElement>(null)
  const concept = CONCEPTS[at]!
  const act = (action: 'start' | 'next' | 'stop') => {
    setBusy(true)
    setError(undefined)
    call('demo', { action })
      .then((state) => {
        if (action === 'start') onRoom(state.room)
        // Stop's button goes with the story: the keyboard goes back to Start, not to the top of the window.
        if (action === 'stop') story.current?.focus()
      })
      .catch((err: unknown) => setError(describe(err)))
      .finally(() => setBusy(false))
  }
  const steps = demo?.steps ?? []
  const done = demo?.done ?? 0
  const running = demo?.running === true
  // Unavailable, not disabled, where the focus may be: a disabled button lets go of it, and a keyboard user who
  // pressed Run step (busy at once) or Next concept on the last one was sent back to the top of the window.
  const canStep = !busy && done < steps.length

  return (
    <div className="guide" data-testid="walkthrough">
      <nav className="guide-steps" aria-label="Concepts">
        {CONCEPTS.map((c, i) => (
          <button key={c.id} className={i === at ? 'step active' : 'step'} aria-current={i === at ? 'step' : undefined} onClick={() => setAt(i)}>
            {i + 1}
          </button>
        ))}
      </nav>
      <h3>{concept.title}</h3>
      <p>{concept.idea}</p>
      <p className="try"><strong>See it: </strong>{concept.try}</p>
      {concept.panel !== undefined && <button onClick={() => onPanel(concept.panel!)}>Open {PANEL_LABEL[concept.panel]}</button>}

      {concept.id === 'causal' && (
        <section className="demo" aria-label="Sally, James and Henry" data-testid="demo">
          {/* One button that starts the story and then runs it step by step: the same element throughout, so the
              keyboard's focus stays on it from Start to the last step (a Start button replaced by Run step let go of it). */}
          {running && (
            // Each step run adds what it showed to its line: said to a screen reader, whose focus stays on Run step.
            <ol className="demo-steps" aria-live="polite">
              {steps.map((s, i) => (
                <li key={i} className={i < done ? 'done' : i === done ? 'next' : undefined}>
                  <strong>{s.title}</strong>
                  {i < done && <span className="muted small"> — {s.explain}</span>}
                </li>
              ))}
            </ol>
          )}
          <div className="actions">
            <button ref={story} className="primary" aria-disabled={running ? !canStep : busy} onClick={() => { if (!running) { if (!busy) act('start') } else if (canStep) act('next') }}>
              {!running ? 'Start Sally, James and Henry' : done >= steps.length ? 'Story done' : `Run step ${done + 1}`}
            </button>
            {running && <button aria-disabled={busy} onClick={() => { if (!busy) act('stop') }}>Stop the three engines</button>}
          </div>
          {running && (
            <>
              <p className="small">
                Henry delivered, in this order:
              </p>
              <ol data-testid="henry-order" className="small">
                {demo.henry.map((line, i) => <li key={i}>{line}</li>)}
              </ol>
            </>
          )}
        </section>
      )}
      {error !== undefined && <p className="error small" role="alert">{error}</p>}
      <div className="actions">
        <button aria-disabled={at === 0} onClick={() => setAt(Math.max(0, at - 1))}>Back</button>
        <button aria-disabled={at === CONCEPTS.length - 1} onClick={() => setAt(Math.min(CONCEPTS.length - 1, at + 1))}>Next concept</button>
      </div>
    </div>
  )
}
