/**
 * Running on with the window closed (main/desktop/background.ts): what
 * closing the window does with and without the setting, while quitting, and
 * with no tray icon to come back by; what the tray says and offers. (Electron
 * showing the icon and hiding the window runs in the packaged app's --smoke
 * run of the desktop workflow only.)
 */
import { describe, expect, it } from 'vitest'
import { connection, onClose, quitsWithLastWindow, trayMenu, trayTooltip } from '../main/desktop/background.js'

describe('closing the window', () => {
  it('hides it only when Settings keep the app running, a tray icon is up to bring it back, and the app is not quitting', () => {
    expect(onClose({ keepRunning: true, tray: true, quitting: false })).toBe('hide')
    expect(onClose({ keepRunning: false, tray: false, quitting: false })).toBe('close')
    // The tray could not be made (a desktop with none): the window must not vanish with no way back.
    expect(onClose({ keepRunning: true, tray: false, quitting: false })).toBe('close')
    // Quit from a menu or the system: the window closes for real.
    expect(onClose({ keepRunning: true, tray: true, quitting: true })).toBe('close')
  })

  it('quits with the last window on Windows and Linux, not on macOS', () => {
    expect(quitsWithLastWindow('win32')).toBe(true)
    expect(quitsWithLastWindow('linux')).toBe(true)
    expect(quitsWithLastWindow('darwin')).toBe(false)
  })
})

describe('the tray icon', () => {
  it('says who is connected to how many peers', () => {
    expect(trayTooltip({ running: true, peers: 3, name: 'Ada' })).toBe('LAN Chat — Ada: 3 peers connected')
    expect(trayTooltip({ running: true, peers: 1, name: 'Ada' })).toBe('LAN Chat — Ada: 1 peer connected')
    expect(trayTooltip({ running: true, peers: 0 })).toBe('LAN Chat: no peers connected')
    expect(trayTooltip({ running: false, peers: 2, name: 'Ada' })).toBe('LAN Chat — Ada: not connected')
  })

  it('offers Open and Quit, which do what they say, and shows the connection as a line that is not a button', () => {
    const done: string[] = []
    const menu = trayMenu({ running: true, peers: 2 }, { open: () => done.push('open'), quit: () => done.push('quit') })
    expect(menu.map((i) => i.type ?? i.label)).toEqual(['Open LAN Chat', connection({ running: true, peers: 2 }), 'separator', 'Quit LAN Chat'])
    expect(menu[1]).toMatchObject({ label: '2 peers connected', enabled: false })
    menu[0]!.click!()
    menu[3]!.click!()
    expect(done).toEqual(['open', 'quit'])
  })
})
