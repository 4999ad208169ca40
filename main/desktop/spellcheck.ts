/**
 * Spell checking in the message box. On macOS Chromium asks the system's own
 * checker; on Windows and Linux Electron fetches Hunspell dictionaries from
 * Google's servers the first time it checks, which a LAN app that contacts
 * nothing outside the network should not do unasked. So it is off there
 * until the user turns it on in Settings, and on where nothing is fetched.
 * Pure (no Electron): main applies it to the session, the window to its
 * text boxes.
 */

/** Whether turning spell checking on lets Electron download dictionaries on this system (`process.platform`). */
export function spellcheckDownloads(platform: string): boolean {
  return platform !== 'darwin'
}

/** Spell checking on or off: as the user chose in Settings, else on only where nothing is downloaded for it (`downloads`). */
export function spellcheckOn(downloads: boolean, chosen: boolean | undefined): boolean {
  return chosen ?? !downloads
}
