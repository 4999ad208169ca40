import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { call, describe, RemoteError } from '../api'
import { Dialog } from './Dialog'
import { shareableAddresses } from '../connection'
import { COPY_WORDS, useCopy } from '../copy'
import { ANSWERS_LATER, hostPort } from '../../../preload/contract'

/** One address to give to someone, with a button that copies it. */
export function CopyAddress({ address, testId = 'own-address' }: { address: string; testId?: string }) {
  const { state, copy } = useCopy()
  return (
    <li className="key-row">
      <code className="mono" data-testid={testId}>{address}</code>
      <button type="button" aria-label={state === 'idle' ? `Copy ${address}` : COPY_WORDS[state]} onClick={() => copy(address)}>{COPY_WORDS[state]}</button>
    </li>
  )
}

/** A titled list of addresses, or nothing when it has none. */
function Addresses({ id, title, children }: { id: string; title: string; children: ReactNode[] }) {
  if (children.length === 0) return null
  return (
    <>
      <p className="muted" id={id}>{title}</p>
      <ul className="own-addresses" aria-labelledby={id}>{children}</ul>
    </>
  )
}

/** An address tried in the background, as ip:port, with a button that stops trying it. */
function TryingAddress({ address }: { address: string }) {
  const [error, setError] = useState<string>()
  const shown = hostPort(address)
  async function stop(): Promise<void> {
    try {
      await call('stopDialing', { address })
    } catch (err) {
      setError(describe(err))
    }
  }
  return (
    <li className="key-row" data-testid="trying-address">
      <code className="mono">{shown}</code>
      <button type="button" aria-label={`Stop trying ${shown}`} onClick={() => void stop()}>Stop</button>
      {error !== undefined && <span className="error small" role="alert">{error}</span>}
    </li>
  )
}

/**
 * Connect to a peer by ip:port or multiaddr; main checks and converts the address. Shows this app's
 * own, to give to others. In P2P, an address that did not answer (the other app not started yet)
 * can be kept trying in the background until it answers.
 */
export function ConnectDialog({ addrs, p2p, dialing = [], linked = [], onClose, onConnected, onTrying }: {
  addrs: readonly string[]
  p2p: boolean
  /** The addresses tried in the background until they answer: each can be stopped here. */
  dialing?: readonly string[]
  onClose: () => void
  /** The peers linked now: one the address reaches among them when it is typed was connected already. */
  linked?: readonly string[]
  onConnected: (multiaddr: string, name: string | undefined, already: boolean) => void
  onTrying: (address: string) => void
}) {
  const own = shareableAddresses(addrs)
  const [address, setAddress] = useState('')
  const [error, setError] = useState<{ message: string; later: boolean }>()
  const [busy, setBusy] = useState(false)
  const field = useRef<HTMLInputElement>(null)
  const connect = useRef<HTMLButtonElement>(null)
  // Connect, pressed itself, lets go of the keyboard as it is disabled to try: on a failure the address to
  // correct takes it. Looked at once the failure is drawn (the answer can come before the busy button was):
  // the keyboard lost to the page, or still on Connect, goes to the address; anywhere else the person put it, it stays.
  const [failed, setFailed] = useState(0)
  useEffect(() => {
    if (failed === 0) return
    const now = document.activeElement
    if (now === null || now === document.body || now === connect.current) field.current?.focus()
  }, [failed])

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    // Whom we were linked to as Connect was pressed (the link a dial makes is told before its answer).
    const before = new Set(linked)
    try {
      const { multiaddr, peerId, name } = await call('dial', { address })
      onConnected(multiaddr, name, peerId !== undefined && before.has(peerId))
    } catch (err) {
      const later = p2p && err instanceof RemoteError && err.name === 'ConnectError' && ANSWERS_LATER.has(err.code ?? '')
      setError({ message: describe(err), later })
      setFailed((n) => n + 1)
    } finally {
      setBusy(false)
    }
  }

  async function keepTrying(): Promise<void> {
    try {
      await call('dial', { address, keepTrying: true })
      onTrying(address.trim())
    } catch (err) {
      setError({ message: describe(err), later: false })
    }
  }

  return (
    <Dialog title="Connect to address" label="Connect to address" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p className="muted">Peers on your network usually appear by themselves. If one does not, type the address this dialog shows on the other computer, or give it yours: one is enough, the peers it is linked to come with it.</p>
        <label htmlFor="connect-address">Address</label>
        <input id="connect-address" ref={field} autoFocus spellCheck={false} value={address} placeholder="192.168.1.20:4001 or /ip4/…/tcp/…/p2p/…" onChange={(e) => setAddress(e.target.value)} />
        {error !== undefined && <p className="error" role="alert">{error.message}</p>}
        {error?.later === true && (
          <div className="key-row">
            <span className="muted small">Not started there yet? LAN Chat can try it again in the background until it answers.</span>
            <button type="button" onClick={() => void keepTrying()}>Keep trying</button>
          </div>
        )}
        <Addresses id="trying-addresses" title="Trying in the background until they answer:">
          {dialing.map((a) => <TryingAddress key={a} address={a} />)}
        </Addresses>
        <Addresses id="own-addresses" title="Or give yours to the other computer:">
          {own.map((a) => <CopyAddress key={a} address={a} />)}
        </Addresses>
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button ref={connect} className="primary" type="submit" disabled={busy || address.trim() === ''}>{busy ? 'Connecting…' : 'Connect'}</button>
        </div>
      </form>
    </Dialog>
  )
}
