import { useState } from 'react'
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
  const concept = CONCEPTS[at]!
  const act = (action: 'start' | 'next' | 'stop') => {
    setBusy(true)
    setError(undefined)
    call('demo', { action })
      .then((state) => {
        if (action === 'start') onRoom(state.room)
      })
      .catch((err: unknown) => setError(describe(err)))
      .finally(() => setBusy(false))
  }
  const steps = demo?.steps ?? []
  const done = demo?.done ?? 0
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
          {demo?.running !== true ? (
            <button className="primary" disabled={busy} onClick={() => act('start')}>Start Sally, James and Henry</button>
          ) : (
            <>
              {/* Each step run adds what it showed to its line: said to a screen reader, whose focus stays on Run step. */}
              <ol className="demo-steps" aria-live="polite">
                {steps.map((s, i) => (
                  <li key={i} className={i < done ? 'done' : i === done ? 'next' : undefined}>
                    <strong>{s.title}</strong>
                    {i < done && <span className="muted small"> — {s.explain}</span>}
                  </li>
                ))}
              </ol>
              <div className="actions">
                <button className="primary" aria-disabled={!canStep} onClick={() => { if (canStep) act('next') }}>
                  {done >= steps.length ? 'Story done' : `Run step ${done + 1}`}
                </button>
                <button aria-disabled={busy} onClick={() => { if (!busy) act('stop') }}>Stop the three engines</button>
              </div>
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
