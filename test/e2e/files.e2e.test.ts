/**
 * End to end: files through the real UI in Chromium, two real engines.
 * Attach by the paperclip and by dropping on the conversation; the image's
 * thumbnail shows on the other page; Download shows a progress bar and ends
 * in "Saved"; the file on disk is the one that was sent; "Show in folder"
 * reaches the host (which, in the app, is Electron's main process).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { describe, expect, it } from 'vitest'
import { eventually, useSession } from './harness.js'
import { png } from '../helpers/png.js'

const session = useSession()

/** The bytes the page makes for the dropped file (the same formula on both sides). */
const pattern = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255))
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe('files and images in the UI', () => {
  it('attach by the button: the image arrives as a thumbnail on the other page', async () => {
    const { a, b } = await session.pair()
    const image = png(400, 300)
    await a.page.getByTestId('file-input').setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: image })
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await expect(card.getByTestId('file-name').textContent()).resolves.toBe('sunset.png')
    const thumb = card.getByTestId('file-thumbnail')
    await eventually(() => thumb.isVisible()).toBe(true)
    expect(await thumb.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)
    // The browser decoded it: a real picture, at most 240 px wide.
    await eventually(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(240)
    expect(await card.textContent()).toContain('image/png')

    // Paste an image into the message box: it is shared as it is, with its own thumbnail.
    // (Page code as a string: this file is type-checked without the DOM's types.)
    await a.page.evaluate(`{
      const dt = new DataTransfer()
      dt.items.add(new File([Uint8Array.from(atob('${png(64, 64).toString('base64')}'), (c) => c.charCodeAt(0))], '', { type: 'image/png' }))
      document.querySelector('textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    }`)
    await eventually(() => b.page.getByTestId('file-card').count()).toBe(2)
    await expect(b.page.getByTestId('file-name').nth(1).textContent()).resolves.toBe('pasted-image.png')
    await eventually(() => b.page.getByTestId('file-thumbnail').nth(1).isVisible()).toBe(true)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('an image in a direct message: the other page sees its real name and thumbnail, and saves the very bytes', async () => {
    const { a, b } = await session.pair()
    await a.page.getByRole('button', { name: 'Message Bob privately' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('🔒@Bob')
    const image = png(300, 200)
    await a.page.getByTestId('file-input').setInputFiles({ name: 'secret-beach.png', mimeType: 'image/png', buffer: image })
    const alice = b.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Alice/ })
    await eventually(() => alice.isVisible()).toBe(true)
    await alice.click()
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await expect(card.getByTestId('file-name').textContent()).resolves.toBe('secret-beach.png')
    expect(await card.textContent()).toContain('image/png')
    const thumb = card.getByTestId('file-thumbnail')
    await eventually(() => thumb.isVisible()).toBe(true)
    expect(await thumb.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)
    expect(await b.page.getByTestId('message').getByRole('img', { name: 'End-to-end encrypted' }).count()).toBe(1)
    // A small image downloads on its own: decrypted, under its real name, byte for byte.
    await eventually(() => card.getAttribute('data-state')).toBe('done')
    expect(sha(readFileSync(join(b.dataDir, 'downloads', 'secret-beach.png')))).toBe(sha(image))
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('Settings\' largest file: a bigger one is refused before it is read to send, and its download fails with the reason', async () => {
    const { a, b } = await session.pair()
    for (const page of [a.page, b.page]) {
      await page.getByRole('button', { name: 'Settings' }).click()
      const settings = page.getByRole('dialog', { name: 'Settings' })
      await settings.getByLabel('Largest file to send or download, in MB').fill('0')
      await settings.getByRole('button', { name: 'Save' }).click()
      await eventually(() => settings.getByRole('alert').textContent()).toMatch(/whole number of MB, 1 to 65536/)
      await settings.getByLabel('Largest file to send or download, in MB').fill(page === a.page ? '3' : '1')
      await settings.getByRole('button', { name: 'Save' }).click()
      await eventually(() => settings.isVisible()).toBe(false)
    }
    // b allows 1 MB: a file of 2 MiB is refused on its page, and nothing of it goes out.
    await b.page.getByTestId('file-input').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: pattern(2 * 1024 * 1024) })
    await eventually(() => b.page.getByRole('alert').filter({ hasText: 'Could not send the file' }).textContent()).toMatch(/big\.bin is 2\.0 MiB; the largest file you can send is 1\.0 MiB/)
    // a allows 3 MB and sends it; b's download stops at once with the limit named.
    await a.page.getByTestId('file-input').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: pattern(2 * 1024 * 1024) })
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await card.getByRole('button', { name: 'Download big.bin' }).click()
    await eventually(() => card.getAttribute('data-state')).toBe('failed')
    await expect(card.getByRole('status').textContent()).resolves.toMatch(/2\.0 MiB; the limit is 1\.0 MiB/)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('a small image downloads on its own; Settings choose the folder and the size, and 0 leaves it to Download', async () => {
    const { a, b } = await session.pair()
    const first = png(320, 200)
    await a.page.getByTestId('file-input').setInputFiles({ name: 'first.png', mimeType: 'image/png', buffer: first })
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    // Nobody clicked: it is saved, in the downloads folder, byte for byte.
    await eventually(() => card.getAttribute('data-state')).toBe('done')
    expect(sha(readFileSync(join(b.dataDir, 'downloads', 'first.png')))).toBe(sha(first))
    // The sender's own card does not fetch what it has.
    expect(await a.page.getByTestId('file-card').getAttribute('data-state')).toBe('none')

    const elsewhere = join(b.dataDir, 'elsewhere')
    await b.page.getByRole('button', { name: 'Settings' }).click()
    const settings = b.page.getByRole('dialog', { name: 'Settings' })
    await settings.getByLabel('Save downloads to').fill('not/absolute')
    await settings.getByRole('button', { name: 'Save' }).click()
    await eventually(() => settings.getByRole('alert').textContent()).toMatch(/whole path of the folder/)
    await settings.getByLabel('Save downloads to').fill(elsewhere)
    await settings.getByLabel(/Download images up to this many MB/).fill('0')
    await settings.getByRole('button', { name: 'Save' }).click()
    await eventually(() => settings.isVisible()).toBe(false)

    const second = png(200, 100)
    await a.page.getByTestId('file-input').setInputFiles({ name: 'second.png', mimeType: 'image/png', buffer: second })
    await eventually(() => card.count()).toBe(2)
    const next = card.nth(1)
    const download = next.getByRole('button', { name: 'Download second.png' })
    await eventually(() => download.isVisible()).toBe(true)
    expect(await next.getAttribute('data-state')).toBe('none')
    await download.click()
    await eventually(() => next.getAttribute('data-state')).toBe('done')
    expect(sha(readFileSync(join(elsewhere, 'second.png')))).toBe(sha(second))
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('drop a file on the conversation; Download shows progress, saves the same bytes, Show in folder reaches the host', async () => {
    const { a, b } = await session.pair()
    const size = 3 * 1024 * 1024 + 11
    const dropped = await a.page.evaluateHandle(`(() => {
      const bytes = new Uint8Array(${size})
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 255
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], 'report.bin', { type: 'application/octet-stream' }))
      return dt
    })()`)
    await a.page.dispatchEvent('main.chat', 'dragover', { dataTransfer: dropped })
    await a.page.dispatchEvent('main.chat', 'drop', { dataTransfer: dropped })
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await expect(card.textContent()).resolves.toContain('3.0 MiB')
    // Record whether a progress bar was ever on the page (a transfer on loopback is quick).
    await b.page.evaluate(`
      window.sawProgress = false
      new MutationObserver(() => { if (document.querySelector('[data-testid="file-progress"]') !== null) window.sawProgress = true })
        .observe(document.body, { subtree: true, childList: true })`)
    await card.getByRole('button', { name: 'Download report.bin' }).click()
    await eventually(() => card.getAttribute('data-state')).toBe('done')
    expect(await b.page.evaluate('window.sawProgress')).toBe(true)
    const saved = join(b.dataDir, 'downloads', 'report.bin')
    expect(sha(readFileSync(saved))).toBe(sha(pattern(size)))
    await card.getByRole('button', { name: 'Show in folder' }).click()
    await eventually(() => b.host.revealed()).toEqual([{ action: 'folder', path: saved }])
    await card.getByRole('button', { name: 'Open' }).click()
    await eventually(() => b.host.revealed().length).toBe(2)
    expect(b.host.revealed()[1]).toEqual({ action: 'open', path: saved })
    // The card passes axe-core in both themes (the rest of the page is audited in a11y.e2e.test.ts).
    for (const colorScheme of ['light', 'dark'] as const) {
      await b.page.emulateMedia({ colorScheme })
      const { violations } = await new AxeBuilder({ page: b.page }).include('[data-testid="file-card"]').analyze()
      expect(violations.map((v) => `${colorScheme}: ${v.id}`)).toEqual([])
    }
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })
})
