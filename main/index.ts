/**
 * Electron glue only: one hardened window, the menu, notifications, the
 * unread badge, and IPC relayed to the engine. The engine (ChatApp, libp2p,
 * signatures, disk writes) runs in a utilityProcess (out/main/engine.js, the
 * protocol of main/app/engine-link.ts), so none of it blocks this process or
 * the window; it is stopped (history flushed) before the app quits.
 *
 * Startup cannot hang or lie: the window opens first ("Loading…") while the
 * engine opens behind main/app/startup.ts; a failure to open is shown in the
 * window with what to do; when no window can be shown (a bad --profile, a page
 * that cannot load) an error box says why and the process exits, so it never
 * lingers holding the single-instance lock.
 *
 * Hardening follows Electron's security checklist: sandboxed renderer with
 * context isolation and no Node, served from app:// (main/desktop/scheme.ts)
 * under the one CSP of main/app/csp.ts, no navigation but a reload, no new windows, no webviews, every permission denied, and every IPC message's
 * sender frame checked against the page we loaded ourselves.
 */
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, screen, session, shell, Tray, utilityProcess, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { channelOf, EVENT_CHANNEL, OPERATIONS, type AppEvent, type EngineStatus, type MenuCommand, type RequestOf, type ResponseOf, type Settings } from '../preload/contract.js'
import { EngineLink, type FromEngine } from './app/engine-link.js'
import type { EngineProcessOptions } from './app/engine-serve.js'
import { ForbiddenSenderError, toErrorInfo } from './app/errors.js'
import { dispatchOver } from './app/handlers.js'
import { hostOperations, isHostOperation } from './app/links.js'
import type { BurstNotification } from './app/notify.js'
import { Notifier } from './app/notifier.js'
import { profileFrom } from './app/profile.js'
import { contentSecurityPolicy } from './app/csp.js'
import { isOurPage as isPage, mayNavigate, mayUse } from './app/navigation.js'
import { APP_PAGE, registerAppScheme, serveApp } from './desktop/scheme.js'
import { APP_ID } from './desktop/app-id.js'
import { isSmoke, runSmoke } from './desktop/smoke.js'
import { loadWindowState, MIN_SIZE, placeWindow, saveWindowState } from './desktop/window-state.js'
import { contextMenu } from './desktop/context-menu.js'
import { spellcheckDownloads, spellcheckOn } from './desktop/spellcheck.js'
import { onClose, quitsWithLastWindow, trayMenu, trayTooltip, type TrayState } from './desktop/background.js'
import { applyOpenAtLogin, autostartPath, HIDDEN_FLAG, startsHidden } from './desktop/login.js'
// Copied into out/ by the build; the tray's icon.
import trayIconPath from '../build/icons/32x32.png?asset'

const here = fileURLToPath(new URL('.', import.meta.url))
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const pageUrl = devUrl ?? APP_PAGE

// Privileged schemes must be registered before 'ready'.
registerAppScheme()
if (process.platform === 'win32') app.setAppUserModelId(APP_ID)

const smoke = isSmoke(process.argv)

/** Nothing can be shown (no window, or it cannot load): say so in a box and exit, never linger. */
function fatal(title: string, err: unknown, code = 1): void {
  const message = err instanceof Error ? err.message : String(err)
  console.error(`${title}: ${message}`)
  // A modal box would hang an unattended smoke run; stderr says it there.
  if (!smoke) dialog.showErrorBox(title, message)
  app.exit(code)
}

// Profiles: a directory each, set before anything reads userData, so the
// single-instance lock below is per profile too. A bad --profile stops here.
function chooseProfile(): string | undefined {
  try {
    // The smoke test never touches a real profile.
    const argv = smoke && !process.argv.some((a) => a.startsWith('--profile')) ? [...process.argv, '--profile', 'smoke'] : process.argv
    return profileFrom(argv, process.env)
  } catch (err) {
    fatal('LAN Chat cannot start', err, 2)
    return undefined
  }
}

const chosen = chooseProfile()
const profile = chosen ?? 'default'
/**
 * The end-to-end tests' hook (test/e2e/electron-peer.ts), honoured only when the app is
 * not packaged: their own data folder, loopback only, no mDNS, preset settings.
 */
const testing = !app.isPackaged && process.env.LANCHAT_E2E_OPTIONS !== undefined
  ? JSON.parse(process.env.LANCHAT_E2E_OPTIONS) as Partial<EngineProcessOptions>
  : {}
const dataDir = testing.dataDir ?? join(app.getPath('userData'), 'profiles', profile, 'chat')
let window: BrowserWindow | undefined
/** The engine's last status, from its events (for the tray). */
let status: EngineStatus = { state: 'starting' }
/** The notification on screen for each conversation (replaced by the next of its burst). */
const shownNotes = new Map<string, Notification>()
/**
 * What notifies, from the engine's snapshot and events (settings, peers, status): one notification
 * per conversation per burst, while the window is in the background and notifications are not paused.
 */
const notifier = new Notifier({
  screen: { show: showNote, close: (room) => shownNotes.get(room)?.close(), showing: (room) => shownNotes.has(room) },
  clock: Date.now,
  background: () => window !== undefined && !window.isDestroyed() && !window.isFocused() && Notification.isSupported()
})
/** Settings → Keep running when the window is closed (main/desktop/background.ts), from the same snapshot and events. */
let keepRunning = false
/** The app is quitting: the window closes for real. */
let quitting = false
/** The tray icon, while the app keeps running with its window closed. */
let tray: Tray | undefined
/** What the tray says: connected or not, to how many peers, as whom. */
const trayState: TrayState = { running: false, peers: 0 }
/** Started at login (--hidden): the window waits for the settings to say whether a tray icon can bring it back. */
let hiddenStart = process.argv.includes(HIDDEN_FLAG)
/** The window has been on screen once (before that, ready-to-show shows it: nothing else should, or it flashes blank). */
let windowShown = false
/** Settings → Start when I log in, as last registered with the system (undefined: not touched this run). */
let openAtLogin: boolean | undefined

if (chosen !== undefined) {
  app.setPath('userData', join(app.getPath('userData'), 'profiles', profile))
  app.enableSandbox()
  if (!app.requestSingleInstanceLock()) {
    app.quit()
  } else {
    main().catch((err: unknown) => fatal('LAN Chat cannot start', err))
  }
}

const isOurPage = (url: string | undefined): boolean => isPage(url, pageUrl, devUrl !== undefined)

function command(cmd: MenuCommand): void {
  window?.webContents.send(EVENT_CHANNEL, { type: 'command', command: cmd } satisfies AppEvent)
}

function buildMenu(): Menu {
  const mac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'Chat',
      submenu: [
        { label: 'Go to Conversation…', accelerator: 'CmdOrCtrl+K', click: () => command('switcher') },
        { label: 'Connect to Address…', accelerator: 'CmdOrCtrl+Shift+K', click: () => command('connect') },
        { label: 'New or Join Room…', accelerator: 'CmdOrCtrl+N', click: () => command('new-room') },
        { label: 'Search Messages…', accelerator: 'CmdOrCtrl+F', click: () => command('search') },
        { label: 'Saved for Later…', accelerator: 'CmdOrCtrl+Shift+S', click: () => command('saved') },
        { type: 'separator' },
        { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: () => command('settings') },
        ...(mac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }])
      ]
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }])
      ]
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Keyboard Shortcuts', accelerator: 'CmdOrCtrl+/', click: () => command('shortcuts') }, { type: 'separator' }, {
        label: 'About LAN Chat',
        click: () => void dialog.showMessageBox({ message: 'LAN Chat', detail: `Peer-to-peer chat on your local network.\nProfile: ${profile}\nData: ${dataDir}` })
      }]
    }
  ]
  return Menu.buildFromTemplate(template)
}

function harden(): void {
  serveApp(session.defaultSession)
  // app:// responses carry the CSP already; this covers the dev server's.
  const csp = contentSecurityPolicy(devUrl !== undefined ? 'dev' : 'app')
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
  // Off until the settings say otherwise where it would fetch dictionaries from Google (main/desktop/spellcheck.ts).
  spellcheck(undefined)
  // Refused, all but the Copy buttons' clipboard writes from our own page (main/app/navigation.ts).
  const dev = devUrl !== undefined
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(mayUse(permission, { requestingUrl: details.requestingUrl || contents.getURL(), isMainFrame: details.isMainFrame }, pageUrl, dev)))
  session.defaultSession.setPermissionCheckHandler((contents, permission, _origin, details) =>
    mayUse(permission, { requestingUrl: details.requestingUrl ?? contents?.getURL(), isMainFrame: details.isMainFrame }, pageUrl, dev))
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    // Only a reload of the page being shown (the Try again button); nothing else.
    contents.on('will-navigate', (event) => {
      if (!mayNavigate(event.url, contents.getURL(), pageUrl, devUrl !== undefined)) event.preventDefault()
    })
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}

function createWindow(): BrowserWindow {
  // Where the window was left, on the displays there are now (main/desktop/window-state.ts).
  const saved = loadWindowState(dataDir)
  if (saved.problem !== undefined) console.error(`LAN Chat: the window's last place was not used: ${saved.problem}`)
  const place = placeWindow(saved.state, screen.getAllDisplays().map((d) => d.workArea))
  const win = new BrowserWindow({
    width: place.width,
    height: place.height,
    ...(place.x !== undefined && place.y !== undefined ? { x: place.x, y: place.y } : {}),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: profile === 'default' ? 'LAN Chat' : `LAN Chat — ${profile}`,
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
      // Middle-click must not open anything: no auxclick handlers in the page.
      disableBlinkFeatures: 'Auxclick'
    }
  })
  win.once('ready-to-show', () => {
    if (hiddenStart) return // shown once the settings say there is no tray icon (see main)
    if (place.maximized) win.maximize()
    win.show()
  })
  // Right-click: spelling, cut, copy, paste, a link's address (main/desktop/context-menu.ts); Electron has no menu of its own.
  win.webContents.on('context-menu', (_event, params) => {
    const items = contextMenu(params, {
      replaceMisspelling: (word) => win.webContents.replaceMisspelling(word),
      addToDictionary: (word) => void win.webContents.session.addWordToSpellCheckerDictionary(word),
      copyText: (text) => clipboard.writeText(text)
    })
    if (items.length > 0) Menu.buildFromTemplate(items).popup({ window: win })
  })
  win.on('close', (event) => {
    try {
      saveWindowState(dataDir, { ...win.getNormalBounds(), maximized: win.isMaximized() })
    } catch (err) {
      console.error(`LAN Chat: could not keep the window's place: ${(err as Error).message}`)
    }
    // Kept running: the window only hides, and the tray icon brings it back.
    if (onClose({ keepRunning, quitting, tray: tray !== undefined }) === 'hide') {
      event.preventDefault()
      win.hide()
    }
  })
  // Windows ending the session (shut down, log off) closes windows without before-quit: they must close, not hide.
  win.on('session-end', () => { quitting = true })
  // Looking at the window has seen what was notified: the next message notifies (and sounds) afresh.
  win.on('focus', () => notifier.seen())
  // A page that cannot load or dies before it is shown can show nothing: box and exit.
  let shown = false
  win.once('show', () => {
    shown = true
    windowShown = true
  })
  win.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    // -3 is ERR_ABORTED: a navigation we refused, not a page that failed.
    if (isMainFrame && code !== -3) fatal('LAN Chat cannot show its window', new Error(`Loading ${url} failed (${description}, ${code}). Reinstall LAN Chat; if you run it from source, run \`npm run build\` first.`))
  })
  win.webContents.on('render-process-gone', (_event, details) => {
    if (!shown) fatal('LAN Chat cannot show its window', new Error(`The window's renderer stopped (${details.reason}) before it could show anything.`))
  })
  win.loadURL(pageUrl).catch(() => undefined) // did-fail-load reports it
  return win
}

/** The window, shown again (after the tray hid it, or recreated after macOS closed it), in front. */
function showWindow(): void {
  hiddenStart = false
  if (window === undefined || window.isDestroyed()) {
    window = createWindow()
    return
  }
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}

/** The tray icon up while the app keeps running with its window closed, saying how connected it is; gone otherwise. */
function updateTray(): void {
  if (!keepRunning) {
    tray?.destroy()
    tray = undefined
    return
  }
  if (tray === undefined) {
    try {
      const image = nativeImage.createFromPath(trayIconPath)
      tray = new Tray(process.platform === 'darwin' ? image.resize({ width: 16, height: 16 }) : image)
    } catch (err) {
      // No tray: closing the window then quits, as without the setting.
      console.error(`LAN Chat: no tray icon, so closing the window quits: ${(err as Error).message}`)
      return
    }
    // Windows and Linux: a click opens the window (the menu is on a right-click); macOS shows the menu.
    tray.on('click', () => { if (process.platform !== 'darwin') showWindow() })
  }
  tray.setToolTip(trayTooltip(trayState))
  tray.setContextMenu(Menu.buildFromTemplate(trayMenu(trayState, { open: showWindow, quit: () => app.quit() })))
}

/** Spell checking on or off for every window, as Settings say (on Windows and Linux turning it on lets Electron fetch dictionaries). */
function spellcheck(chosen: boolean | undefined): void {
  session.defaultSession.setSpellCheckerEnabled(spellcheckOn(spellcheckDownloads(process.platform), chosen))
}

/** What main keeps of the settings: spell checking, running on with the window closed (the notifier keeps its own). */
function applySettings(settings: Settings): void {
  spellcheck(settings.spellcheck)
  keepRunning = settings.keepRunning === true
  updateTray()
  // Registered when chosen (and again each start while on, so a moved AppImage is found); never touched unasked.
  if (settings.openAtLogin !== undefined && (settings.openAtLogin || openAtLogin !== undefined) && settings.openAtLogin !== openAtLogin) {
    openAtLogin = settings.openAtLogin
    try {
      console.log(`LAN Chat ${applyOpenAtLogin(openAtLogin, loginHost())}`)
    } catch (err) {
      console.error(`LAN Chat: could not change the start at login: ${(err as Error).message}`)
    }
  }
}

function loginHost(): Parameters<typeof applyOpenAtLogin>[1] {
  return {
    platform: process.platform,
    packaged: app.isPackaged,
    exec: process.env.APPIMAGE ?? process.execPath,
    env: process.env,
    home: app.getPath('home'),
    setLoginItem: (settings) => { app.setLoginItemSettings(settings) }
  }
}

/** Whether this app starts at login now, as the system has it (for the smoke test). */
function loginRegistered(): boolean {
  if (process.platform === 'linux') return existsSync(autostartPath(process.env, app.getPath('home')))
  return app.getLoginItemSettings(process.platform === 'win32' ? { args: [HIDDEN_FLAG] } : undefined).openAtLogin
}

function notify(event: AppEvent): void {
  if (event.type === 'status') {
    status = event.status
    trayState.running = status.state === 'running'
    if (status.state === 'running') trayState.name = status.name
    if (tray !== undefined) updateTray()
  }
  if (event.type === 'peers') {
    // Only when the count changes: a classroom's presence comes as many such events.
    const peers = event.peers.filter((p) => p.connected).length
    if (peers !== trayState.peers) {
      trayState.peers = peers
      if (tray !== undefined) updateTray()
    }
  }
  if (event.type === 'settings') applySettings(event.settings)
  // A muted room's messages stay quiet, one that mentions you notifies anyway, and nothing does while paused (main/app/notify.ts).
  notifier.event(event)
}

/** Show a conversation's notification, in place of the one on screen for it when it `replaces` it. */
function showNote(shown: BurstNotification): void {
  if (!Notification.isSupported()) return
  if (shown.replaces) shownNotes.get(shown.room)?.close()
  const note = new Notification({ title: shown.title, body: shown.body, silent: shown.silent })
  shownNotes.set(shown.room, note)
  note.on('close', () => { if (shownNotes.get(shown.room) === note) shownNotes.delete(shown.room) })
  // A click opens the conversation at that message, as chat apps do.
  note.on('click', () => {
    window?.show()
    window?.focus()
    window?.webContents.send(EVENT_CHANNEL, { type: 'open', room: shown.room, id: shown.id } satisfies AppEvent)
  })
  note.show()
}

/** Show a finished download in its folder, or open it with the system's handler (never run by the app itself). */
async function reveal(request: RequestOf<'reveal'>, path: string): Promise<void> {
  // Under the end-to-end tests nothing is opened on the machine: the request is only logged.
  if (Object.keys(testing).length > 0) { console.log(`reveal (${request.action}): ${path}`); return }
  if (request.action === 'folder') shell.showItemInFolder(path)
  else await shell.openPath(path)
}

async function main(): Promise<void> {
  await app.whenReady()
  harden()
  Menu.setApplicationMenu(buildMenu())

  // The engine in its own process. The window comes first and shows "Loading…"
  // while the engine opens; calls wait there (main/app/startup.ts), and a failure
  // to open is answered to the page, which shows it with a Try again button.
  const options: EngineProcessOptions = { downloadsDir: app.getPath('downloads'), ...testing, dataDir, profile }
  const child = utilityProcess.fork(join(here, 'engine.js'), ['--options', JSON.stringify(options)], { serviceName: 'LAN Chat engine', stdio: 'inherit' })
  const opening = new EngineLink({
    send: (m) => { child.postMessage(m) },
    onMessage: (listener) => { child.on('message', (m: FromEngine) => { listener(m) }) },
    onGone: (listener) => { child.on('exit', (code) => { listener(code) }) }
  })
  // The badge is this process's: answered here, through the same schema as everything else.
  // So is the system browser: a link the schema let through (http/https only) opens there (main/app/links.ts).
  const hostOnly = dispatchOver(hostOperations({
    setUnread: (count) => { app.setBadgeCount(count) },
    openLink: async (url) => {
      if (Object.keys(testing).length > 0) { console.log(`openLink: ${url}`); return }
      await shell.openExternal(url)
    },
    // Input to other programs counts too: someone writing in another window all afternoon is not away.
    systemIdle: () => powerMonitor.getSystemIdleTime() * 1000
  }))
  for (const op of OPERATIONS) {
    ipcMain.handle(channelOf(op), async (event: IpcMainInvokeEvent, payload: unknown) => {
      // Only our own top-level page may drive the engine.
      if (event.senderFrame === null || event.senderFrame !== event.sender.mainFrame || !isOurPage(event.senderFrame.url)) {
        return { ok: false, error: toErrorInfo(new ForbiddenSenderError('IPC from an unknown frame was refused.')) }
      }
      if (isHostOperation(op)) return await hostOnly(op, payload)
      const result = await opening.dispatch(op, payload)
      // The engine says where a finished download is; showing or opening it is this process's, on the user's click.
      if (op === 'reveal' && result.ok) await reveal(payload as RequestOf<'reveal'>, (result.value as ResponseOf<'reveal'>).path)
      return result
    })
  }
  opening.on((event) => {
    if (window !== undefined && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event)
    notify(event)
  })

  window = createWindow()
  void opening.started().then(async () => {
    if (!opening.opened) console.error(`LAN Chat could not open: ${opening.failure?.message ?? 'closed'}`)
    const snapshot = await opening.dispatch('snapshot', undefined)
    if (snapshot.ok) {
      const { settings, peers } = snapshot.value as ResponseOf<'snapshot'>
      applySettings(settings)
      notifier.settings(settings)
      notifier.peers(peers)
    }
    // A start at login stays out of sight only if the tray icon can bring the window back.
    if (hiddenStart && !startsHidden(process.argv, tray !== undefined)) {
      hiddenStart = false
      showWindow()
    }
  })
  if (smoke) {
    runSmoke(window, dataDir, { trayUp: () => tray !== undefined, open: showWindow, packaged: app.isPackaged, loginRegistered }).then(
      () => {
        console.log('smoke: ok')
        app.quit() // before-quit stops the engine; the exit code is 0
      },
      (err: unknown) => {
        console.error(`smoke: FAILED: ${err instanceof Error ? err.message : String(err)}`)
        app.exit(1)
      }
    )
  }
  // LAN Chat started again (its icon, a shortcut): this one's window comes up, hidden or not.
  app.on('second-instance', showWindow)
  // macOS: a click on the dock icon (also sent at launch, before the window is ready: it shows itself then).
  app.on('activate', () => {
    if (window === undefined || window.isDestroyed() || (windowShown && !window.isVisible())) showWindow()
  })
  app.on('window-all-closed', () => {
    if (quitsWithLastWindow(process.platform)) app.quit()
  })

  // The system shutting down or restarting (macOS, Linux): the window closes, not hides.
  powerMonitor.on('shutdown', () => { quitting = true })

  // Stop the engine before exiting so the history on disk is complete.
  let stopped = false
  app.on('before-quit', (event) => {
    quitting = true
    if (stopped) return
    event.preventDefault()
    stopped = true
    void opening.close().finally(() => app.quit())
  })
}
