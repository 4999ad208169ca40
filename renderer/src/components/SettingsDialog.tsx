import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { ArchitectureMode, HubInfo, NotifyLevel, Settings, Theme } from '../../../preload/contract'
import { DEFAULT_AUTO_DOWNLOAD_IMAGES_MB, DEFAULT_KEEP_OTHERS_GB, DEFAULT_MAX_FILE_MB, MAX_FILE_MB_CEILING, MAX_KEEP_OTHERS_GB, MAX_NAME_LENGTH, spellcheckOn } from '../../../preload/contract'
import { call, describe } from '../api'
import { Dialog } from './Dialog'
import { StoredFiles } from './StoredFiles'
import { CopyAddress } from './ConnectDialog'
import { shareableAddresses } from '../connection'
import { COPY_WORDS, useCopy } from '../copy'
import { useSystemTheme } from '../theme'
import { pauseLabel, pausedTo, usePaused } from '../pause'
import { ClockWords } from './ClockWords'

/**
 * A pause of notifications (the sidebar's *Pause notifications*), said where they are set: until
 * when, and Resume, which takes effect at once, as the sidebar's does, not with Save.
 */
function PauseState({ until }: { until: Settings['notifyPausedUntil'] }) {
  const paused = usePaused(until)
  const [error, setError] = useState<string>()
  // The keyboard on Resume (its fieldset) when it goes, resumed or the pause over by itself: it goes on to
  // the notifications' choice just above, not to the page's start with the button taken away.
  const onResume = useRef<HTMLFieldSetElement | null>(null)
  useEffect(() => {
    if (paused) return
    const fieldset = onResume.current
    onResume.current = null
    if (fieldset === null || (document.activeElement !== null && document.activeElement !== document.body)) return
    fieldset.querySelector<HTMLInputElement>('input[name="notify"]:checked')?.focus()
  }, [paused])
  if (!paused) return null
  const resume = (): void => {
    setError(undefined)
    call('saveSettings', { notifyPausedUntil: 0 }).catch((err: unknown) => setError(describe(err)))
  }
  return (
    <>
      <p className="settings-paused" data-testid="settings-paused">
        <span>Paused <ClockWords text={pauseLabel(until)} at={pausedTo(until)} /></span> · <button
          type="button" className="settings-resume" aria-label="Resume notifications" onClick={resume}
          onFocus={(e) => { onResume.current = e.currentTarget.closest('fieldset') }}
          // Left for somewhere else (not taken away with the button, which has nowhere to go).
          onBlur={(e) => { if (e.relatedTarget !== null) onResume.current = null }}
        >Resume</button>
      </p>
      {error !== undefined && <p className="error" role="alert">{error}</p>}
    </>
  )
}

/**
 * Whether a typed server address is the hub this app hosts (ip:port or a multiaddr of one of its
 * addresses, or loopback on its port): once hosting is off nothing answers there.
 */
function isOwnHub(typed: string, hub: HubInfo | null): boolean {
  const text = typed.trim()
  if (hub === null || text === '') return false
  if (hub.addrs.includes(text)) return true
  const own = hub.addrs.flatMap((ma) => {
    const m = /^\/(?:ip4|ip6)\/([^/]+)\/tcp\/(\d+)(?:\/|$)/.exec(ma)
    return m === null ? [] : [{ ip: m[1]!, port: m[2]! }]
  })
  const m = /^\/(?:ip4|ip6|dns4|dns6|dns)\/([^/]+)\/tcp\/(\d+)(?:\/|$)/.exec(text) ?? /^\[?([^\]]*?)\]?:(\d+)$/.exec(text)
  if (m === null) return false
  const [, ip, port] = m as unknown as [string, string, string]
  const loopback = ip === 'localhost' || ip === '::1' || ip.startsWith('127.')
  return own.some((a) => a.port === port && (a.ip === ip || loopback))
}

interface Props {
  settings: Settings
  mdnsAvailable: boolean
  /** Spell checking would download dictionaries on this system: off unless turned on, and the hint says why. */
  spellcheckDownloads: boolean
  /** The hub this app hosts now, to show its addresses. */
  hub: HubInfo | null
  /** The TCP port the peer listens on now (P2P), which 0 in the field picked. */
  listening?: number
  onClose: () => void
  onSaved: () => void
}

/** 32 random bytes as 64 hex digits: what the engine reads as a network key. */
function newNetworkKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('')
}

export function SettingsDialog({ settings, mdnsAvailable, spellcheckDownloads, hub, listening, onClose, onSaved }: Props) {
  const [name, setName] = useState(settings.name)
  const [port, setPort] = useState(String(settings.listenPort))
  const [mdns, setMdns] = useState(settings.mdns)
  const [mode, setMode] = useState<ArchitectureMode>(settings.mode)
  const [server, setServer] = useState(settings.server)
  const [hostServer, setHostServer] = useState(settings.hostServer)
  const [keyOn, setKeyOn] = useState((settings.networkKey ?? '') !== '')
  const [networkKey, setNetworkKey] = useState(settings.networkKey ?? '')
  const copyKey = useCopy()
  const [downloadsDir, setDownloadsDir] = useState(settings.downloadsDir ?? '')
  const [imagesMB, setImagesMB] = useState(String(settings.autoDownloadImagesMB ?? DEFAULT_AUTO_DOWNLOAD_IMAGES_MB))
  const [maxMB, setMaxMB] = useState(String(settings.maxFileMB ?? DEFAULT_MAX_FILE_MB))
  const [keepGB, setKeepGB] = useState(String(settings.keepOthersGB ?? DEFAULT_KEEP_OTHERS_GB))
  const [serverKeepGB, setServerKeepGB] = useState((settings.serverKeepFilesGB ?? 0) > 0 ? String(settings.serverKeepFilesGB) : '')
  // `field`: the id of the input it is about: said under that field, which gets the keyboard (a
  // message at the foot of a dialog this tall was out of sight of what it was about).
  const [error, setError] = useState<{ text: string; field?: string }>()
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    const field = error?.field === undefined ? null : document.getElementById(error.field)
    if (field === null) return
    // Centred: the sticky Save and Cancel at the foot would cover a field scrolled only just into view.
    field.scrollIntoView({ block: 'center' })
    field.focus({ preventScroll: true })
  }, [error])
  const fieldError = (field: string) => (error?.field === field ? <p className="error" role="alert" id={`${field}-error`}>{error.text}</p> : null)
  const invalid = (field: string) => (error?.field === field ? { 'aria-invalid': true, 'aria-describedby': `${field}-error` } : {})
  const systemTheme = useSystemTheme()
  const [theme, setTheme] = useState<Theme>(settings.theme ?? 'system')
  const [notify, setNotify] = useState<NotifyLevel>(settings.notify ?? 'all')
  const [notifyPreview, setNotifyPreview] = useState(settings.notifyPreview !== false)
  const [spellcheck, setSpellcheck] = useState(spellcheckOn(spellcheckDownloads, settings.spellcheck))
  const [keepRunning, setKeepRunning] = useState(settings.keepRunning === true)
  const [openAtLogin, setOpenAtLogin] = useState(settings.openAtLogin === true)

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault()
    const listenPort = port.trim() === '' ? 0 : Number(port)
    if (!Number.isInteger(listenPort) || listenPort < 0 || listenPort > 65535) {
      setError({ text: 'The port is 0 (any free port) or a number from 1 to 65535.', field: 'settings-port' })
      return
    }
    const autoDownloadImagesMB = imagesMB.trim() === '' ? 0 : Number(imagesMB)
    if (!Number.isInteger(autoDownloadImagesMB) || autoDownloadImagesMB < 0 || autoDownloadImagesMB > 2048) {
      setError({ text: 'Images download on their own up to a whole number of MB, 0 (never) to 2048.', field: 'settings-images' })
      return
    }
    const maxFileMB = Number(maxMB.trim())
    if (maxMB.trim() === '' || !Number.isInteger(maxFileMB) || maxFileMB < 1 || maxFileMB > MAX_FILE_MB_CEILING) {
      setError({ text: `The largest file is a whole number of MB, 1 to ${MAX_FILE_MB_CEILING} (${DEFAULT_MAX_FILE_MB} MB is 2 GiB).`, field: 'settings-max-file' })
      return
    }
    const keepOthersGB = Number(keepGB.trim())
    if (keepGB.trim() === '' || !Number.isInteger(keepOthersGB) || keepOthersGB < 1 || keepOthersGB > MAX_KEEP_OTHERS_GB) {
      setError({ text: `What is kept of others' files is a whole number of GB, 1 to ${MAX_KEEP_OTHERS_GB}.`, field: 'settings-keep-others' })
      return
    }
    // Empty (or 0): the server keeps every file, as bin/lanchat server does without a limit. Saved only by an app that hosts one.
    const serverKeepFilesGB = serverKeepGB.trim() === '' ? 0 : Number(serverKeepGB.trim())
    if (hostServer && (!Number.isInteger(serverKeepFilesGB) || serverKeepFilesGB < 0 || serverKeepFilesGB > MAX_KEEP_OTHERS_GB)) {
      setError({ text: `What the server keeps of its clients' files is a whole number of GB, 1 to ${MAX_KEEP_OTHERS_GB}, or empty for no limit.`, field: 'settings-server-keep' })
      return
    }
    // Hosting off leaves no server here: client–server needs another computer's (nothing would answer at this one's).
    if (!hostServer && mode === 'client-server' && settings.hostServer && (server.trim() === '' || isOwnHub(server, hub))) {
      setError({ text: 'The server hosted here stops when hosting is off: type the address of another computer\'s server, or choose peer to peer.', field: 'settings-server' })
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      // Hosting a hub means using it: that is client–server mode.
      // The engine checks the key (NetworkKeyError) before anything is saved.
      const key = keyOn ? networkKey.trim() : ''
      // Saved only once chosen: left alone, each follows its default (spell checking's is the system's).
      const changed = {
        ...(spellcheck !== spellcheckOn(spellcheckDownloads, settings.spellcheck) ? { spellcheck } : {}),
        ...(keepRunning !== (settings.keepRunning === true) ? { keepRunning } : {}),
        ...(openAtLogin !== (settings.openAtLogin === true) ? { openAtLogin } : {})
      }
      if (keyOn && key === '') {
        setError({ text: 'Generate a network key or paste one, or turn the network key off.', field: 'settings-network-key' })
        return
      }
      await call('saveSettings', { name, listenPort, mdns, mode: hostServer ? 'client-server' : mode, server: server.trim(), hostServer, networkKey: key, downloadsDir: downloadsDir.trim(), autoDownloadImagesMB, maxFileMB, keepOthersGB, ...(hostServer ? { serverKeepFilesGB } : {}), theme, notify, notifyPreview, ...changed })
      onSaved()
    } catch (err) {
      // The engine checks the server address and the key: said at the field it is about.
      const name = (err as Error | undefined)?.name
      setError({ text: describe(err), field: name === 'BadAddressError' ? 'settings-server' : name === 'NetworkKeyError' ? 'settings-network-key' : undefined })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog title="Settings" label="Settings" onClose={onClose}>
      {/* A field's error goes once that field is changed: it spoke of a value no longer there. */}
      <form onSubmit={(e) => void submit(e)} onChange={(e) => { if (error?.field !== undefined && (e.target as HTMLElement).id === error.field) setError(undefined) }} className="stack">
        <label htmlFor="settings-name">Display name</label>
        <input id="settings-name" maxLength={MAX_NAME_LENGTH} value={name} onChange={(e) => setName(e.target.value)} />

        <label htmlFor="settings-port">Listen port</label>
        <input id="settings-port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} {...invalid('settings-port')} />
        {fieldError('settings-port')}
        <p className="hint" data-testid="port-hint">{listening !== undefined && Number(port.trim() === '' ? 0 : port) !== listening ? `Listening on ${listening} now. ` : ''}0: a free port, picked at the first start and kept after (another if it is taken), so an address others saved keeps working. Changing it restarts the network.</p>

        <label className="check">
          <input type="checkbox" checked={mdns} onChange={(e) => setMdns(e.target.checked)} />
          Discover peers on the LAN (mDNS)
        </label>
        {!mdnsAvailable && <p className="hint">This host keeps discovery off; the choice is saved for the desktop app.</p>}
        {!mdns && <p className="hint">Without it, connect to one peer by address (Connect to address…): the peers it is linked to come with it.</p>}

        <fieldset>
          <legend>Architecture</legend>
          <label className="check">
            <input
              type="radio"
              name="mode"
              value="p2p"
              checked={mode === 'p2p'}
              onChange={() => {
                setMode('p2p')
                // A hosted hub is only there to be used in client–server mode: peer to peer stops it.
                setHostServer(false)
              }}
            /> Peer to peer
          </label>
          <label className="check">
            <input type="radio" name="mode" value="client-server" checked={mode === 'client-server'} onChange={() => setMode('client-server')} /> Client–server
          </label>
          <label htmlFor="settings-server" className={mode === 'p2p' || hostServer ? 'muted' : undefined}>Server address</label>
          <input
            id="settings-server"
            placeholder="ip:port or multiaddr; empty: find one on the LAN"
            value={server}
            disabled={mode === 'p2p' || hostServer}
            onChange={(e) => setServer(e.target.value)}
            {...invalid('settings-server')}
          />
          {fieldError('settings-server')}
          <label className="check">
            <input
              type="checkbox"
              checked={hostServer}
              onChange={(e) => {
                setHostServer(e.target.checked)
                // Hosting a hub means using it.
                if (e.target.checked) setMode('client-server')
                // Hosting off, and no other server named: back to peer to peer, not a client of the hub that stops.
                else if (server.trim() === '' || isOwnHub(server, hub)) setMode('p2p')
              }}
            />
            Host a server on this computer
          </label>
          {hostServer && (
            <>
              <label htmlFor="settings-server-keep">Keep the server&apos;s files up to this many GB (empty: no limit)</label>
              <input id="settings-server-keep" inputMode="numeric" placeholder="no limit" value={serverKeepGB} onChange={(e) => setServerKeepGB(e.target.value)} {...invalid('settings-server-keep')} />
              {fieldError('settings-server-keep')}
              <p className="hint">
                The server keeps a copy of every file shared through it, so its clients can fetch one after whoever shared it
                has left. With a limit, past it the files served or stored longest ago go, and one is fetched again from whoever
                shared it when a client asks (gone if they have left). Either way it leaves 256 MB of its disk free.
              </p>
            </>
          )}
          {hostServer && settings.hostServer && mode === 'client-server' && (
            <p className="hint">Choosing peer to peer stops the server hosted here.</p>
          )}
          {hub !== null && shareableAddresses(hub.addrs).length > 0 && (
            <>
              <p className="hint" id="hub-addrs">Others join with this server address (Settings → Client–server on their computer):</p>
              <ul className="own-addresses" aria-labelledby="hub-addrs" data-testid="hub-addrs">
                {shareableAddresses(hub.addrs).map((a) => <CopyAddress key={a} address={a} testId="hub-address" />)}
              </ul>
            </>
          )}
          <p className="hint">
            Switching takes effect at once, without a restart. Each architecture keeps its own history (P2P in Lamport
            order, client–server in the hub's order): switching back shows the other one as you left it, and messages
            waiting for a hub stay pending until it is back.
          </p>
        </fieldset>

        <fieldset>
          <legend>Network key</legend>
          <label className="check">
            <input type="checkbox" checked={keyOn} onChange={(e) => setKeyOn(e.target.checked)} />
            Only computers with this network key can connect
          </label>
          {keyOn && (
            <>
              <label htmlFor="settings-network-key">Network key (64 hex digits)</label>
              <div className="key-row">
                <input
                  id="settings-network-key"
                  className="mono"
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="paste the key you were given, or generate one"
                  value={networkKey}
                  onChange={(e) => setNetworkKey(e.target.value)}
                  {...invalid('settings-network-key')}
                />
                <button type="button" onClick={() => setNetworkKey(newNetworkKey())}>Generate</button>
                <button type="button" disabled={networkKey.trim() === ''} onClick={() => copyKey.copy(networkKey.trim())}>{COPY_WORDS[copyKey.state]}</button>
              </div>
              {fieldError('settings-network-key')}
              <p className="hint">
                Share it with the computers that may join. Connections from computers without it fail during the
                handshake, so they see nothing, not even who is chatting. The server hosted here uses it too.
                Saving restarts the network.
              </p>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>Files</legend>
          <label htmlFor="settings-downloads">Save downloads to</label>
          <input
            id="settings-downloads"
            className="mono"
            spellCheck={false}
            placeholder="your Downloads folder"
            value={downloadsDir}
            onChange={(e) => setDownloadsDir(e.target.value)}
          />
          <p className="hint">The whole path of a folder; empty: your Downloads folder.</p>
          <label htmlFor="settings-images">Fetch images up to this many MB on their own, to show them (0: never)</label>
          <input id="settings-images" inputMode="numeric" value={imagesMB} onChange={(e) => setImagesMB(e.target.value)} {...invalid('settings-images')} />
          {fieldError('settings-images')}
          <p className="hint">They go to LAN Chat&apos;s own folder, not to your downloads: Save puts one there. Larger images and other files wait for you to click Download.</p>
          <label htmlFor="settings-max-file">Largest file to send or download, in MB</label>
          <input id="settings-max-file" inputMode="numeric" value={maxMB} onChange={(e) => setMaxMB(e.target.value)} {...invalid('settings-max-file')} />
          {fieldError('settings-max-file')}
          <p className="hint">{DEFAULT_MAX_FILE_MB} MB is 2 GiB. A bigger file is refused before any of it is read or fetched.</p>
          <label htmlFor="settings-keep-others">Keep copies of others&apos; files up to this many GB</label>
          <input id="settings-keep-others" inputMode="numeric" value={keepGB} onChange={(e) => setKeepGB(e.target.value)} {...invalid('settings-keep-others')} />
          {fieldError('settings-keep-others')}
          <p className="hint">Past it, the ones fetched, shown or passed on to others longest ago go. The files you shared and what you saved to your downloads folder are never counted nor removed. A server hosted here has its own limit, under Architecture.</p>
          <StoredFiles />
        </fieldset>

        <fieldset>
          <legend>Notifications</legend>
          {([['all', 'Every new message (but muted rooms\')'], ['mentions', 'Only direct messages and mentions'], ['off', 'None']] as const).map(([value, label]) => (
            <label key={value} className="check">
              <input type="radio" name="notify" value={value} checked={notify === value} onChange={() => setNotify(value)} />
              {label}
            </label>
          ))}
          <p className="hint">A desktop notification, while the window is in the background. Unread counts show either way.</p>
          {notify !== 'off' && <PauseState until={settings.notifyPausedUntil} />}
          <label className="check">
            <input type="checkbox" checked={notifyPreview} disabled={notify === 'off'} onChange={(e) => setNotifyPreview(e.target.checked)} />
            Show the message&apos;s words in a notification
          </label>
          <p className="hint">Off, a notification says who wrote and where, not what: for a screen others can see, or a locked one that shows notifications.</p>
        </fieldset>

        <fieldset>
          <legend>Appearance</legend>
          {([['system', `Like the system (now ${systemTheme})`], ['light', 'Light'], ['dark', 'Dark']] as const).map(([value, label]) => (
            <label key={value} className="check">
              <input type="radio" name="theme" value={value} checked={theme === value} onChange={() => setTheme(value)} />
              {label}
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>Typing</legend>
          <label className="check">
            <input type="checkbox" checked={spellcheck} onChange={(e) => setSpellcheck(e.target.checked)} />
            Check spelling as I type
          </label>
          {spellcheckDownloads && <p className="hint">On this system the first check downloads a dictionary from Google&apos;s servers (nothing you type is sent), so it is off until you turn it on.</p>}
        </fieldset>

        <fieldset>
          <legend>In the background</legend>
          <label className="check">
            <input type="checkbox" checked={keepRunning} onChange={(e) => setKeepRunning(e.target.checked)} />
            Keep running, with an icon in the system tray
          </label>
          <p className="hint">Closing the window then only hides it: others can still reach you, messages keep arriving and notify you; the icon opens the window or quits. Off: closing the window quits.</p>
          <label className="check">
            <input type="checkbox" checked={openAtLogin} onChange={(e) => setOpenAtLogin(e.target.checked)} />
            Start LAN Chat when I log in
          </label>
          <p className="hint">In the tray if it keeps running, else with its window. The installed app only.</p>
        </fieldset>
        {/* At the foot of the dialog's view however far it is scrolled: it is about 2,000 px tall. An error of no one field shows here. */}
        <div className="actions sticky-actions">
          {error !== undefined && error.field === undefined && <p className="error" role="alert">{error.text}</p>}
          <button type="button" onClick={onClose}>Cancel</button>
          <button className="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
        </div>
      </form>
    </Dialog>
  )
}
