import { Dialog } from './Dialog'

/** ⌘ on a Mac, Ctrl elsewhere: what the keys are called on this computer. */
const MOD = /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘' : 'Ctrl'

/** What each key does, grouped as a user looks for them. `desktop`: a key of the desktop app's menu (a browser keeps it for itself). */
const GROUPS: ReadonlyArray<{ title: string; keys: ReadonlyArray<{ keys: string[]; what: string; desktop?: boolean }> }> = [
  {
    title: 'Writing',
    keys: [
      { keys: ['Enter'], what: 'Send the message' },
      { keys: ['Shift', 'Enter'], what: 'New line' },
      { keys: ['↑'], what: 'Edit your last message (in an empty box)' },
      { keys: ['@'], what: 'Mention someone: ↑ ↓ choose, Enter or Tab picks' },
      { keys: [':'], what: 'An emoji by name (:tada:): ↑ ↓ choose, Enter or Tab picks' },
      { keys: ['Esc'], what: 'Drop the reply, cancel an edit, close a list' }
    ]
  },
  {
    title: 'Moving around',
    keys: [
      { keys: ['Alt', '↑'], what: 'The conversation above in the sidebar' },
      { keys: ['Alt', '↓'], what: 'The conversation below in the sidebar' },
      { keys: [MOD, 'K'], what: 'Go to a conversation by name' },
      { keys: [MOD, 'F'], what: 'Search messages' },
      { keys: [MOD, 'Shift', 'S'], what: 'Saved for later' },
      { keys: ['←'], what: 'The previous picture, in one opened full size' },
      { keys: ['→'], what: 'The next picture, in one opened full size' },
      { keys: ['Esc'], what: 'Close a dialog or the Network panel' }
    ]
  },
  {
    title: 'Dialogs',
    keys: [
      { keys: [MOD, 'Shift', 'K'], what: 'Connect to an address', desktop: true },
      { keys: [MOD, 'N'], what: 'Create or join a room', desktop: true },
      { keys: [MOD, ','], what: 'Settings', desktop: true },
      { keys: [MOD, '/'], what: 'These shortcuts' }
    ]
  }
]

/** Keyboard shortcuts (Ctrl/⌘+/ and Help → Keyboard Shortcuts), as Slack and Teams list theirs. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" label="Keyboard shortcuts" onClose={onClose}>
      <div className="shortcuts">
        {GROUPS.map((g, n) => (
          <section key={g.title} aria-labelledby={`keys-${n}`}>
            <h3 id={`keys-${n}`}>{g.title}</h3>
            <dl>
              {g.keys.map((k) => (
                <div key={`${k.keys.join('+')} ${k.what}`} className="shortcut">
                  <dt>{k.keys.map((key, i) => <span key={i}>{i > 0 && '+'}<kbd>{key}</kbd></span>)}</dt>
                  <dd>{k.what}{k.desktop === true && <span className="muted"> (desktop app)</span>}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  )
}
