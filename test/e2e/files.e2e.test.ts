/**
 * End to end: files through the real UI in Chromium, two real engines.
 * Attach by the paperclip and by dropping on the conversation; the image's
 * thumbnail shows on the other page; Download shows a progress bar and ends
 * in "Saved"; the file on disk is the one that was sent; "Show in folder"
 * reaches the host (which, in the app, is Electron's main process).
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { chooseName, connectByAddress, eventually, listenPort, openPeer, peerCount, send, shownMessages, tempDir, texts, useSession, type Peer } from './harness.js'
import { FileHolder } from '../helpers/file-holder.js'
import { cleanupHubs, startHub } from '../helpers/hub.js'
import { cleanup, keepApart, startPeer, until } from '../helpers/peers.js'
import { selfId } from './views.js'
import { logoPng, png } from '../helpers/png.js'
import { DNG_SERIAL, phoneDng, pixels, previewDng } from '../helpers/tiff-file.js'
import { latitudeBytes, MAKER_SERIAL, phoneJpeg, SERIAL } from '../helpers/jpeg-exif.js'

const session = useSession()

/** The bytes the page makes for the dropped file (the same formula on both sides). */
const pattern = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255))
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** Send what is attached (Enter in the message box, as a person does), and wait until it has left the box. */
/**
 * The RGBA of an image's pixels at `points`, as the page decodes and draws it (a thumbnail's data: URL).
 * Page code as a string: this file is type-checked without the DOM's types.
 */
async function pixelsOf(page: Page, src: string, points: Array<[number, number]>): Promise<number[][]> {
  return await page.evaluate(`(async () => {
    const img = new Image()
    img.src = ${JSON.stringify(src)}
    await img.decode()
    const c = document.createElement('canvas')
    c.width = img.naturalWidth
    c.height = img.naturalHeight
    const g = c.getContext('2d')
    g.drawImage(img, 0, 0)
    return ${JSON.stringify(points)}.map(([x, y]) => Array.from(g.getImageData(x, y, 1, 1).data))
  })()`) as number[][]
}

async function sendAttached(page: Page): Promise<void> {
  await page.getByRole('textbox', { name: /^Message / }).press('Enter')
  await eventually(() => page.getByTestId('attachment').count()).toBe(0)
}

/**
 * Bob (a download stops after 2 s without a chunk) downloads Hana's scan.pdf (`content`, 2 MiB by
 * default); she sends `chunks` chunks of 64 KiB and then nothing: the download stops, kept with its
 * part to go on when someone who has the file is online.
 */
async function downloadStalled(content = pattern(2 * 1024 * 1024 + 5), chunks = 5): Promise<{ bob: Peer, hana: FileHolder, addr: string, content: Buffer }> {
  const bob = await openPeer(session.browser, { stallMs: 2_000 })
  session.open.push(bob)
  await chooseName(bob.page, 'Bob')
  const addr = `/ip4/127.0.0.1/tcp/${await listenPort(bob.page)}`
  const hana = await FileHolder.start(addr, content, 64 * 1024, { stallAfter: chunks }, 'Hana')
  await hana.announce('lobby', 'scan.pdf')
  const card = bob.page.getByTestId('file-card')
  await eventually(() => card.count()).toBe(1)
  await card.getByRole('button', { name: 'Download scan.pdf' }).click()
  await eventually(() => card.getAttribute('data-state')).toBe('failed')
  return { bob, hana, addr, content }
}

describe('files and images in the UI', () => {
  it('attach by the button, take one off, add a caption, Enter: the image arrives with it as a thumbnail on the other page', async () => {
    const { a, b } = await session.pair()
    const image = png(400, 300)
    const box = a.page.getByRole('textbox', { name: 'Message #lobby' })
    // Attached files wait above the box, each with its size and ✕, until the message goes.
    await a.page.getByTestId('file-input').setInputFiles([
      { name: 'sunset.png', mimeType: 'image/png', buffer: image },
      { name: 'draft.txt', mimeType: 'text/plain', buffer: Buffer.from('not this one') }
    ])
    const chips = a.page.getByRole('list', { name: 'Attached files' }).getByTestId('attachment')
    await eventually(() => chips.allTextContents()).toEqual([expect.stringMatching(/^sunset\.png[\d.]+ KiB✕$/), 'draft.txt12 B✕'])
    expect(await box.getAttribute('placeholder')).toBe('Add a message, or press Enter to send the 2 files')
    await a.page.getByRole('button', { name: 'Remove draft.txt' }).click()
    await eventually(() => chips.count()).toBe(1)
    // Nothing went out yet: the other page has no file.
    expect(await b.page.getByTestId('file-card').count()).toBe(0)
    await box.fill('The view from the roof')
    await sendAttached(a.page)
    await expect(box.inputValue()).resolves.toBe('')
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await expect(card.getByTestId('file-name').textContent()).resolves.toBe('sunset.png')
    // The words typed are the file's caption: one message, shown with it.
    await expect(b.page.getByTestId('message').filter({ has: card }).getByTestId('message-text').textContent()).resolves.toBe('The view from the roof')
    expect(texts(await shownMessages(b.page))).toEqual(['The view from the roof'])
    const thumb = card.getByTestId('file-thumbnail')
    await eventually(() => thumb.isVisible()).toBe(true)
    expect(await thumb.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)
    // The browser decoded it: a real picture, at most 240 px wide.
    await eventually(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(240)
    expect(await card.getByTestId('file-type').textContent()).toMatch(/ · PNG image$/)
    expect(await card.getByTestId('file-type').getAttribute('title')).toBe('image/png')

    // Paste an image into the message box: it is shared as it is, with its own thumbnail.
    // (Page code as a string: this file is type-checked without the DOM's types.)
    await a.page.evaluate(`{
      const dt = new DataTransfer()
      dt.items.add(new File([Uint8Array.from(atob('${png(64, 64).toString('base64')}'), (c) => c.charCodeAt(0))], '', { type: 'image/png' }))
      document.querySelector('textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    }`)
    await eventually(() => chips.allTextContents()).toEqual([expect.stringMatching(/^pasted image\d+ B✕$/)])
    await sendAttached(a.page)
    await eventually(() => b.page.getByTestId('file-card').count()).toBe(2)
    await expect(b.page.getByTestId('file-name').nth(1).textContent()).resolves.toBe('pasted-image.png')
    await eventually(() => b.page.getByTestId('file-thumbnail').nth(1).isVisible()).toBe(true)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('Free space in Settings, pressed with the keyboard, leaves it on what was freed, not on the page behind', async () => {
    const { a, b } = await session.pair()
    await a.page.getByTestId('file-input').setInputFiles({ name: 'whiteboard.png', mimeType: 'image/png', buffer: png(320, 240) })
    await sendAttached(a.page)
    await eventually(() => b.page.getByTestId('file-card').count()).toBe(1)
    await b.page.getByRole('button', { name: 'Settings' }).click()
    const stored = b.page.getByRole('dialog', { name: 'Settings' }).getByTestId('stored-files')
    await eventually(() => stored.getByTestId('stored-others').textContent()).toMatch(/^1 file, /)
    await stored.getByRole('button', { name: 'Free space' }).focus()
    await b.page.keyboard.press('Enter')
    await eventually(() => stored.getByRole('status').textContent()).toMatch(/^Freed 1 file/)
    // The button is disabled with nothing left to free: the line saying what was freed has the keyboard.
    await eventually(() => b.page.evaluate<string>('document.activeElement?.getAttribute("role") ?? document.activeElement?.tagName ?? ""')).toBe('status')
  })

  it('Download pressed with the keyboard leaves it on the card, on Show in folder once saved, not on the page', async () => {
    const { a, b } = await session.pair()
    await a.page.getByTestId('file-input').setInputFiles({ name: 'minutes.txt', mimeType: 'text/plain', buffer: Buffer.from('the minutes of the meeting\n') })
    await sendAttached(a.page)
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await card.getByRole('button', { name: 'Download minutes.txt' }).focus()
    await b.page.keyboard.press('Enter')
    await eventually(() => card.getAttribute('data-state')).toBe('done')
    // Download gave way to Cancel, Cancel to what can be done with it: the keyboard went along, so Tab goes on from the card.
    await eventually(() => b.page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Show in folder')
    // Which a screen reader says as a button's name: that the file was saved is said on its own.
    expect(await card.getByTestId('file-said').textContent()).toBe('Saved minutes.txt to your downloads folder')
    // A picture's card leads with its thumbnail, a button too: Save gives way to Show in folder all the same, not to the picture.
    await a.page.getByTestId('file-input').setInputFiles({ name: 'board.png', mimeType: 'image/png', buffer: png(320, 240) })
    await sendAttached(a.page)
    const picture = card.nth(1)
    await eventually(() => picture.getAttribute('data-state')).toBe('held')
    // Fetched on its own, not asked for: nothing said.
    expect(await picture.getByTestId('file-said').textContent()).toBe('')
    await picture.getByRole('button', { name: 'Save board.png to your downloads folder' }).focus()
    await b.page.keyboard.press('Enter')
    await eventually(() => picture.getAttribute('data-state')).toBe('done')
    await eventually(() => b.page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Show in folder')
    expect(await picture.getByTestId('file-said').textContent()).toBe('Saved board.png to your downloads folder')
  })

  it('a logo on a transparent background keeps it in its thumbnail: the card shows through around it, not a black box', async () => {
    const { a, b } = await session.pair()
    await a.page.getByTestId('file-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: logoPng(400, 200) })
    await sendAttached(a.page)
    const thumb = b.page.getByTestId('file-thumbnail')
    await eventually(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(240)
    // The thumbnail's pixels as the page draws them over the card: its corner lets the card through, its bar is black.
    const [corner, bar] = await pixelsOf(b.page, (await thumb.getAttribute('src')) ?? '', [[2, 2], [120, 60]])
    expect(corner![3]).toBe(0)
    expect(bar![3]).toBe(255)
    expect(Math.max(...bar!.slice(0, 3))).toBeLessThan(40)
  })

  it('a reply with a file attached: the words go as the reply to the message, the file right after', async () => {
    const { a, b } = await session.pair()
    await send(a.page, 'who has the minutes?')
    const asked = b.page.getByTestId('message').filter({ hasText: 'who has the minutes?' })
    await eventually(() => asked.isVisible()).toBe(true)
    await asked.hover()
    await asked.getByRole('button', { name: /^Reply to / }).click()
    await b.page.getByTestId('file-input').setInputFiles({ name: 'minutes.txt', mimeType: 'text/plain', buffer: Buffer.from('1. lunch') })
    await b.page.getByRole('textbox', { name: 'Message #lobby' }).fill('here, from Monday')
    await sendAttached(b.page)
    await eventually(() => b.page.getByTestId('replying').count()).toBe(0)
    const reply = a.page.getByTestId('message').filter({ hasText: 'here, from Monday' })
    await eventually(() => reply.getByTestId('quote').textContent()).toContain('who has the minutes?')
    await eventually(() => a.page.getByTestId('file-name').allTextContents()).toEqual(['minutes.txt'])
    // The file's message has no words of its own: its card names it.
    expect(texts(await shownMessages(a.page))).toEqual(['who has the minutes?', 'here, from Monday', ''])
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('a DNG with a preview gets a thumbnail drawn from it, upright as the DNG says, with none of the preview\'s EXIF: a ProRAW\'s JPEG and an Android phone\'s RGB; still a raw photo\'s file card', async () => {
    const { a, b } = await session.pair()
    // A real JPEG of 300 × 200 (the page's canvas makes it), then given the EXIF block a phone writes (GPS, serials).
    // (Page code as a string: this file is type-checked without the DOM's types.)
    const drawn = Buffer.from(await a.page.evaluate(`(() => {
      const c = document.createElement('canvas')
      c.width = 300
      c.height = 200
      const g = c.getContext('2d')
      g.fillStyle = '#f00'
      g.fillRect(0, 0, 150, 200)
      g.fillStyle = '#00f'
      g.fillRect(150, 0, 150, 200)
      return c.toDataURL('image/jpeg', 0.9).split(',')[1]
    })()`) as string, 'base64')
    // Its EXIF block says orientation 6 as the DNG's IFD0 does: the thumbnail is turned once, not twice.
    const exif = phoneJpeg('II', 6)
    const app1 = exif.subarray(2, 4 + exif.readUInt16BE(4))
    const jpeg = Buffer.concat([drawn.subarray(0, 2), app1, drawn.subarray(2)])
    const proRaw = previewDng('II', { jpeg }, 6)
    const android = previewDng('MM', { rgb: pixels(30 * 20 * 3), width: 30, height: 20 })
    await a.page.getByTestId('file-input').setInputFiles([
      { name: 'IMG_0042.DNG', mimeType: 'image/x-adobe-dng', buffer: proRaw },
      // No type: as a desktop that knows no DNG gives it; the name says what it is.
      { name: 'PXL_20260504.dng', mimeType: '', buffer: android }
    ])
    await sendAttached(a.page)
    const cards = b.page.getByTestId('file-card')
    await eventually(() => cards.count()).toBe(2)
    const size = async (n: number): Promise<number[]> => await cards.nth(n).getByTestId('file-thumbnail').evaluate((img) => {
      const i = img as unknown as { naturalWidth: number, naturalHeight: number }
      return [i.naturalWidth, i.naturalHeight]
    })
    // The ProRAW's preview turned a quarter as its IFD0 says (orientation 6): taller than wide, at most 240 px.
    await eventually(() => size(0)).toEqual([160, 240])
    await eventually(() => size(1)).toEqual([30, 20])
    // Turned once: the preview's own EXIF orientation (6 too, as a phone writes it) is not applied on top of IFD0's.
    // Stored red on the left, blue on the right: upright, red is at the top.
    const shown = await cards.nth(0).getByTestId('file-thumbnail').getAttribute('src')
    const ends = (await pixelsOf(b.page, shown ?? '', [[80, 20], [80, 220]])).map((rgba) => rgba.slice(0, 3).map((v) => (v > 128 ? 1 : 0)).join(''))
    expect(ends).toEqual(['100', '001'])
    for (const n of [0, 1]) {
      const card = cards.nth(n)
      expect(await card.getByTestId('file-type').textContent()).toMatch(/ · DNG raw photo$/)
      const src = (await card.getByTestId('file-thumbnail').getAttribute('src')) ?? ''
      expect(src).toMatch(/^data:image\/jpeg;base64,/)
      const thumb = Buffer.from(src.split(',')[1]!, 'base64')
      for (const secret of [SERIAL, MAKER_SERIAL, 'Exif\0\0']) expect(thumb.includes(Buffer.from(secret, 'latin1')), secret).toBe(false)
      expect(thumb.includes(latitudeBytes('II'))).toBe(false)
      // A picture the window does not draw: its thumbnail offers a Download to open it, not a view; nothing is fetched on its own.
      const name = await card.getByTestId('file-name').textContent()
      expect(await card.getByRole('button', { name: `Download ${name} to open it` }).count()).toBe(1)
      expect(await b.page.getByRole('button', { name: `View ${name}` }).count()).toBe(0)
      expect(await card.getAttribute('data-state')).toBe('none')
    }
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('a phone\'s raw DNG photo shows as a raw photo\'s file card, not a picture; Download saves it without the camera\'s serial and the GPS block', async () => {
    const { a, b } = await session.pair()
    const dng = phoneDng('II')
    // The type a Linux desktop gives a .dng: the window names it from the extension either way.
    await a.page.getByTestId('file-input').setInputFiles({ name: 'PXL_20260504.dng', mimeType: 'image/x-adobe-dng', buffer: dng })
    await sendAttached(a.page)
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    expect(await card.getByTestId('file-type').textContent()).toMatch(/ · DNG raw photo$/)
    expect(await card.getByTestId('file-type').getAttribute('title')).toBe('image/x-adobe-dng')
    // Chromium draws no raw photo: no thumbnail, nothing to view in the window, nothing fetched on its own.
    expect(await card.getByTestId('file-thumbnail').count()).toBe(0)
    expect(await b.page.getByRole('button', { name: 'View PXL_20260504.dng' }).count()).toBe(0)
    expect(await card.getAttribute('data-state')).toBe('none')
    await card.getByRole('button', { name: 'Download PXL_20260504.dng' }).click()
    await eventually(() => card.getAttribute('data-state')).toBe('done')
    const saved = readFileSync(join(b.dataDir, 'downloads', 'PXL_20260504.dng'))
    expect(saved.length).toBe(dng.length)
    expect(saved.includes(Buffer.from(DNG_SERIAL))).toBe(false)
    expect(saved.includes(latitudeBytes('II'))).toBe(false)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('an image in a direct message: the other page sees its real name and thumbnail, shows it full size without saving it, and saves the very bytes on request', async () => {
    const { a, b } = await session.pair()
    await a.page.getByRole('button', { name: 'Message Bob privately' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    const image = png(300, 200)
    await a.page.getByTestId('file-input').setInputFiles({ name: 'secret-beach.png', mimeType: 'image/png', buffer: image })
    await sendAttached(a.page)
    const alice = b.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Alice/ })
    await eventually(() => alice.isVisible()).toBe(true)
    await alice.click()
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await expect(card.getByTestId('file-name').textContent()).resolves.toBe('secret-beach.png')
    expect(await card.getByTestId('file-type').textContent()).toMatch(/ · PNG image$/)
    const thumb = card.getByTestId('file-thumbnail')
    await eventually(() => thumb.isVisible()).toBe(true)
    expect(await thumb.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)
    expect(await b.page.getByTestId('message').getByRole('img', { name: 'End-to-end encrypted' }).count()).toBe(1)
    // A small image is fetched on its own, to be shown: nothing is saved to the downloads folder.
    await eventually(() => card.getAttribute('data-state')).toBe('held')
    expect(existsSync(join(b.dataDir, 'downloads'))).toBe(false)
    // Shown full size, decrypted in memory.
    await b.page.getByRole('button', { name: 'View secret-beach.png' }).click()
    const viewer = b.page.getByRole('dialog', { name: 'Picture secret-beach.png' })
    await eventually(() => viewer.getByTestId('image-full').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(300)
    // Save, from the viewer: decrypted into the downloads folder under its real name, byte for byte.
    await viewer.getByRole('button', { name: 'Save secret-beach.png to your downloads folder' }).click()
    await eventually(() => viewer.getByRole('button', { name: 'Show in folder' }).isVisible()).toBe(true)
    expect(sha(readFileSync(join(b.dataDir, 'downloads', 'secret-beach.png')))).toBe(sha(image))
    expect(await card.getAttribute('data-state')).toBe('done')
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('a picture with no thumbnail (shared from a terminal) opens in the viewer from its icon; one the window cannot draw says so in words', async () => {
    const { a, b } = await session.pair()
    // As `bin/lanchat peer`'s /file shares it: the bytes and a name, no thumbnail.
    const photo = png(800, 600)
    const { upload } = await a.host.call('uploadFile', { size: photo.length, data: photo.toString('base64') })
    await a.host.call('sendFile', { room: 'lobby', upload, name: 'from-terminal.png', mime: 'image/png' })
    await b.page.getByRole('button', { name: 'View from-terminal.png' }).click()
    const viewer = b.page.getByRole('dialog', { name: 'Picture from-terminal.png' })
    await eventually(() => viewer.getByTestId('image-full').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(800)
    await viewer.getByRole('button', { name: 'Close' }).click()
    // A scan saved as a PDF under a picture's name: no thumbnail either, and a broken-image icon is no answer.
    await a.page.getByTestId('file-input').setInputFiles({ name: 'scan.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n') })
    await sendAttached(a.page)
    await b.page.getByRole('button', { name: 'View scan.jpg' }).click()
    const broken = b.page.getByRole('dialog', { name: 'Picture scan.jpg' })
    await eventually(() => broken.getByRole('status').allTextContents()).toEqual([
      "LAN Chat cannot show scan.jpg: it is damaged, is not the kind of picture its name says, or is too large to draw. Save it, then Open, to see it with the computer's own app."
    ])
    expect(await broken.getByTestId('image-full').count()).toBe(0)
  })

  it('a click on a thumbnail shows the picture full size in the window, fetching it first if need be; nothing is saved or opened on the computer', async () => {
    const { a, b } = await session.pair()
    // Bob fetches no image on his own: the viewer must fetch it.
    await b.page.getByRole('button', { name: 'Settings' }).click()
    const settings = b.page.getByRole('dialog', { name: 'Settings' })
    await settings.getByLabel(/Fetch images up to this many MB/).fill('0')
    await settings.getByRole('button', { name: 'Save' }).click()
    await eventually(() => settings.isVisible()).toBe(false)

    const image = png(1200, 800)
    await a.page.getByTestId('file-input').setInputFiles({ name: 'whiteboard.png', mimeType: 'image/png', buffer: image })
    await sendAttached(a.page)
    const card = b.page.getByTestId('file-card')
    await eventually(() => b.page.getByTestId('file-thumbnail').isVisible()).toBe(true)
    expect(await card.getAttribute('data-state')).toBe('none')
    await b.page.getByRole('button', { name: 'View whiteboard.png' }).click()
    const viewer = b.page.getByRole('dialog', { name: 'Picture whiteboard.png' })
    // The picture itself, not the 240 px thumbnail: every pixel of it, fitted inside the window.
    const full = viewer.getByTestId('image-full')
    await eventually(() => full.evaluate((img) => { const i = img as unknown as { naturalWidth: number; naturalHeight: number }; return [i.naturalWidth, i.naturalHeight] })).toEqual([1200, 800])
    const fits = await full.evaluate((img) => {
      const r = (img as unknown as { getBoundingClientRect: () => { right: number; bottom: number } }).getBoundingClientRect()
      const w = (img as unknown as { ownerDocument: { defaultView: { innerWidth: number; innerHeight: number } } }).ownerDocument.defaultView
      return r.right <= w.innerWidth && r.bottom <= w.innerHeight
    })
    expect(fits).toBe(true)
    // Fetched to be shown, not saved: Save is a click away, and the downloads folder has nothing yet.
    expect(await card.getAttribute('data-state')).toBe('held')
    expect(existsSync(join(b.dataDir, 'downloads'))).toBe(false)
    await eventually(() => viewer.getByRole('button', { name: 'Save whiteboard.png to your downloads folder' }).isVisible()).toBe(true)
    const { violations } = await new AxeBuilder({ page: b.page }).include('dialog.viewer').analyze()
    expect(violations.map((v) => v.id)).toEqual([])
    // ← and → go through the conversation's pictures: a second one arrives, → shows it (downloaded for it), ← goes back.
    await a.page.getByTestId('file-input').setInputFiles({ name: 'chart.png', mimeType: 'image/png', buffer: png(640, 480) })
    await sendAttached(a.page)
    await eventually(() => viewer.getByTestId('viewer-position').textContent()).toBe('1 of 2')
    await b.page.keyboard.press('ArrowRight')
    const second = b.page.getByRole('dialog', { name: 'Picture chart.png' })
    await eventually(() => second.getByTestId('image-full').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(640)
    expect(await second.getByTestId('viewer-position').textContent()).toBe('2 of 2')
    expect(await second.getByRole('button', { name: 'Next picture' }).isDisabled()).toBe(true)
    await second.getByRole('button', { name: 'Previous picture' }).click()
    await eventually(() => viewer.getByTestId('image-full').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1200)
    await b.page.keyboard.press('Escape')
    await eventually(() => viewer.count()).toBe(0)
    // The window showed it; the computer opened nothing.
    expect(b.host.revealed()).toEqual([])
    // Freed in Settings, the picture is fetched again the next time it is shown.
    await b.page.getByRole('button', { name: 'Settings' }).click()
    const stored = b.page.getByRole('dialog', { name: 'Settings' }).getByTestId('stored-files')
    await eventually(() => stored.getByTestId('stored-others').textContent()).toMatch(/^2 files, /)
    await stored.getByRole('button', { name: 'Free space' }).click()
    await eventually(() => stored.getByTestId('stored-others').textContent()).toBe('None')
    await b.page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Cancel' }).click()
    await b.page.getByRole('button', { name: 'View whiteboard.png' }).click()
    await eventually(() => viewer.getByTestId('image-full').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1200)
    await b.page.keyboard.press('Escape')
    await eventually(() => viewer.count()).toBe(0)

    // The sender sees her own picture full size from what she shared, with nothing saved to her Downloads.
    await a.page.getByRole('button', { name: 'View whiteboard.png' }).click()
    const own = a.page.getByRole('dialog', { name: 'Picture whiteboard.png' }).getByTestId('image-full')
    await eventually(() => own.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1200)
    expect(await a.page.getByTestId('file-card').first().getAttribute('data-state')).toBe('held')
    expect(existsSync(join(a.dataDir, 'downloads'))).toBe(false)
    await a.page.getByRole('dialog', { name: 'Picture whiteboard.png' }).getByRole('button', { name: 'Close' }).click()
    await eventually(() => a.page.getByRole('dialog').count()).toBe(0)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('files sent one after the other arrive in that order, though the later one is quicker to upload', async () => {
    const { a, b } = await session.pair()
    // A few MB, then a tiny picture straight after, while the first is still uploading.
    await a.page.getByTestId('file-input').setInputFiles({ name: 'slides.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(6 * 1024 * 1024, 7) })
    await sendAttached(a.page)
    await a.page.getByTestId('file-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png(10, 10) })
    await sendAttached(a.page)
    const names = async (peer: typeof a) => (await peer.host.call('history', { room: 'lobby' })).map((m) => m.file?.name)
    await eventually(() => names(b)).toEqual(['slides.pdf', 'dot.png'])
    await expect(names(a)).resolves.toEqual(['slides.pdf', 'dot.png'])
    // And drawn so: the picture's thumbnail is in the last row.
    await eventually(() => b.page.getByTestId('message').last().getByTestId('file-thumbnail').count()).toBe(1)
    // The PDF's card names its kind in words, with an icon of it, and keeps the MIME type for the tooltip.
    const pdf = b.page.getByTestId('file-card').filter({ hasText: 'slides.pdf' })
    await expect(pdf.getByTestId('file-type').textContent()).resolves.toBe('6.0 MiB · PDF')
    await expect(pdf.getByTestId('file-type').getAttribute('title')).resolves.toBe('application/pdf')
    await expect(pdf.locator('svg.file-kind-icon').getAttribute('data-kind')).resolves.toBe('pdf')
    // A picture's card shows its thumbnail instead.
    await expect(b.page.getByTestId('file-card').filter({ hasText: 'dot.png' }).locator('svg.file-kind-icon').count()).resolves.toBe(0)
  })

  it('pictures deleted while the viewer is open: the one shown stays, a deleted one shown gives way to the next, none left closes it', async () => {
    const { a, b } = await session.pair()
    const names = ['one.png', 'two.png', 'three.png']
    for (const [i, name] of names.entries()) {
      await a.page.getByTestId('file-input').setInputFiles({ name, mimeType: 'image/png', buffer: png(100 * (i + 1), 80) })
      await sendAttached(a.page)
    }
    await eventually(() => b.page.getByTestId('file-thumbnail').count()).toBe(3)
    const ids = new Map((await a.host.call('history', { room: 'lobby' })).map((m) => [m.file?.name, m.id]))
    const viewer = (name: string) => b.page.getByRole('dialog', { name: `Picture ${name}` })
    const width = (name: string) => viewer(name).getByTestId('image-full').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)
    await b.page.getByRole('button', { name: 'View one.png' }).click()
    await eventually(() => viewer('one.png').getByTestId('viewer-position').textContent()).toBe('1 of 3')
    await b.page.keyboard.press('ArrowRight')
    await eventually(() => width('two.png')).toBe(200)
    // The picture it was opened from is deleted: the one shown stays, one fewer to go through.
    await a.host.call('delete', { id: ids.get('one.png')! })
    await eventually(() => viewer('two.png').getByTestId('viewer-position').textContent()).toBe('1 of 2')
    expect(await width('two.png')).toBe(200)
    // The one shown is deleted: the next takes its place, not a deleted one.
    await a.host.call('delete', { id: ids.get('two.png')! })
    await eventually(() => width('three.png')).toBe(300)
    expect(await b.page.getByRole('dialog').count()).toBe(1)
    await a.host.call('delete', { id: ids.get('three.png')! })
    await eventually(() => b.page.getByRole('dialog').count()).toBe(0)
  })

  it('a blocked person\'s pictures are not among those ← and → go through: their message is folded', async () => {
    const { a, b } = await session.pair()
    await a.page.getByTestId('file-input').setInputFiles({ name: 'theirs.png', mimeType: 'image/png', buffer: png(100, 80) })
    await sendAttached(a.page)
    await b.page.getByTestId('file-input').setInputFiles({ name: 'mine.png', mimeType: 'image/png', buffer: png(200, 80) })
    await sendAttached(b.page)
    await eventually(() => b.page.getByTestId('file-thumbnail').count()).toBe(2)
    await b.host.call('block', { peerId: (await b.host.call('peers'))[0]!.peerId })
    await eventually(() => b.page.locator('[data-blocked="true"]').count()).toBe(1)
    await b.page.getByRole('button', { name: 'View mine.png' }).click()
    const viewer = b.page.getByRole('dialog', { name: 'Picture mine.png' })
    await eventually(() => viewer.getByTestId('image-full').isVisible()).toBe(true)
    expect(await viewer.getByTestId('viewer-position').count()).toBe(0)
    await b.page.keyboard.press('ArrowLeft')
    await b.page.waitForTimeout(300)
    expect(await b.page.getByRole('dialog', { name: 'Picture theirs.png' }).count()).toBe(0)
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
    // Refused as it is attached: nothing waits to be sent.
    expect(await b.page.getByTestId('attachment').count()).toBe(0)
    // a allows 3 MB and sends it; b's download stops at once with the limit named.
    await a.page.getByTestId('file-input').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: pattern(2 * 1024 * 1024) })
    await sendAttached(a.page)
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await card.getByRole('button', { name: 'Download big.bin' }).click()
    await eventually(() => card.getAttribute('data-state')).toBe('failed')
    await expect(card.getByRole('status').textContent()).resolves.toMatch(/2\.0 MiB; the limit is 1\.0 MiB/)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('a client\'s attach check keeps to the server\'s largest file when it is smaller than Settings\', and says whose limit refused the file', async () => {
    const hub = await startHub({ maxFileBytes: 1024 * 1024 })
    try {
      // Settings allow 3 MB; the server keeps files up to 1 MiB.
      const a = await openPeer(session.browser, { defaults: { name: 'Alice', mode: 'client-server', server: hub.addr(), maxFileMB: 3 } })
      session.open.push(a)
      await eventually(() => a.page.locator('.chat-header .muted.small').first().textContent()).toBe('connected to the hub')
      const attach = async (name: string, mib: number) => await a.page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: pattern(mib * 1024 * 1024) })
      const refused = a.page.getByRole('alert').filter({ hasText: 'Could not send the file' })
      // Over the server's: refused as it is attached, in words naming the server's limit; nothing waits to be sent.
      await attach('big.bin', 2)
      await eventually(() => refused.textContent()).toMatch(/big\.bin is 2\.0 MiB; the server does not keep files over 1\.0 MiB, so nobody could download it through the server\./)
      expect(await a.page.getByTestId('attachment').count()).toBe(0)
      await refused.getByRole('button', { name: 'Dismiss' }).click()
      await eventually(() => refused.count()).toBe(0)

      // The server's limit raised past Settings' while linked: the window follows it, and Settings' own limit is the one that refuses.
      hub.hub.setMaxFileBytes(8 * 1024 * 1024)
      await eventually(async () => (await a.host.call('snapshot')).status).toMatchObject({ serverMaxFileBytes: 8 * 1024 * 1024 })
      await attach('mid.bin', 2)
      await eventually(() => a.page.getByTestId('attachment').count()).toBe(1)
      await a.page.getByRole('button', { name: 'Remove mid.bin' }).click()
      await attach('huge.bin', 4)
      await eventually(() => refused.textContent()).toMatch(/huge\.bin is 4\.0 MiB; the largest file you can send is 3\.0 MiB \(see Settings\)\./)
      expect(await a.page.getByTestId('attachment').count()).toBe(0)
    } finally {
      await cleanupHubs()
    }
  })

  it('a small image is fetched on its own and saved on request; Settings choose the folder and the size, and 0 leaves it to Download; Settings free the copies kept of others\' files', async () => {
    const { a, b } = await session.pair()
    const first = png(320, 200)
    await a.page.getByTestId('file-input').setInputFiles({ name: 'first.png', mimeType: 'image/png', buffer: first })
    await sendAttached(a.page)
    const card = b.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    // Nobody clicked: it is fetched, to be shown, and saved nowhere yet; Save puts it in the downloads folder, byte for byte.
    await eventually(() => card.getAttribute('data-state')).toBe('held')
    expect(existsSync(join(b.dataDir, 'downloads'))).toBe(false)
    await card.getByRole('button', { name: 'Save first.png to your downloads folder' }).click()
    await eventually(() => card.getAttribute('data-state')).toBe('done')
    expect(sha(readFileSync(join(b.dataDir, 'downloads', 'first.png')))).toBe(sha(first))
    // The sender's own card does not fetch what it has: it offers Save, a copy of what she sent, then Open.
    const own = a.page.getByTestId('file-card')
    expect(await own.getAttribute('data-state')).toBe('held')
    await own.getByRole('button', { name: 'Save first.png to your downloads folder' }).click()
    await eventually(() => own.getAttribute('data-state')).toBe('done')
    expect(sha(readFileSync(join(a.dataDir, 'downloads', 'first.png')))).toBe(sha(first))
    await expect(own.getByRole('button', { name: 'Open first.png' }).isVisible()).resolves.toBe(true)

    const elsewhere = join(b.dataDir, 'elsewhere')
    await b.page.getByRole('button', { name: 'Settings' }).click()
    const settings = b.page.getByRole('dialog', { name: 'Settings' })
    // Settings say what LAN Chat keeps to pass on: Bob a copy of Alice's picture, which he frees; his saved one stays.
    const stored = settings.getByTestId('stored-files')
    await eventually(() => stored.getByTestId('stored-others').textContent()).toMatch(/^1 file, [\d.]+ KiB$/)
    await expect(stored.getByTestId('stored-shared').textContent()).resolves.toBe('None')
    await stored.getByRole('button', { name: 'Free space' }).click()
    await eventually(() => stored.getByRole('status').textContent()).toMatch(/^Freed 1 file, [\d.]+ KiB\. What you saved to your downloads folder stays\.$/)
    await expect(stored.getByTestId('stored-others').textContent()).resolves.toBe('None')
    await expect(stored.getByRole('button', { name: 'Free space' }).isDisabled()).resolves.toBe(true)
    expect(sha(readFileSync(join(b.dataDir, 'downloads', 'first.png')))).toBe(sha(first))
    expect(await card.getAttribute('data-state')).toBe('done')
    await settings.getByLabel(/Keep copies of others' files up to this many GB/).fill('0')
    await settings.getByRole('button', { name: 'Save' }).click()
    await eventually(() => settings.getByRole('alert').textContent()).toBe('What is kept of others\' files is a whole number of GB, 1 to 65536.')
    await settings.getByLabel(/Keep copies of others' files up to this many GB/).fill('2')
    await settings.getByLabel('Save downloads to').fill('not/absolute')
    await settings.getByRole('button', { name: 'Save' }).click()
    await eventually(() => settings.getByRole('alert').textContent()).toMatch(/whole path of the folder/)
    await settings.getByLabel('Save downloads to').fill(elsewhere)
    await settings.getByLabel(/Fetch images up to this many MB/).fill('0')
    await settings.getByRole('button', { name: 'Save' }).click()
    await eventually(() => settings.isVisible()).toBe(false)
    expect((await b.host.call('snapshot')).settings.keepOthersGB).toBe(2)

    const second = png(200, 100)
    await a.page.getByTestId('file-input').setInputFiles({ name: 'second.png', mimeType: 'image/png', buffer: second })
    await sendAttached(a.page)
    await eventually(() => card.count()).toBe(2)
    const next = card.nth(1)
    const download = next.getByRole('button', { name: 'Download second.png' })
    await eventually(() => download.isVisible()).toBe(true)
    expect(await next.getAttribute('data-state')).toBe('none')
    await download.click()
    await eventually(() => next.getAttribute('data-state')).toBe('done')
    expect(sha(readFileSync(join(elsewhere, 'second.png')))).toBe(sha(second))
    // Alice keeps the two pictures she shared, and frees nothing of them.
    await a.page.getByRole('button', { name: 'Settings' }).click()
    const hers = a.page.getByRole('dialog', { name: 'Settings' }).getByTestId('stored-files')
    await eventually(() => hers.getByTestId('stored-shared').textContent()).toMatch(/^2 files, [\d.]+ KiB$/)
    await expect(hers.getByRole('button', { name: 'Free space' }).isDisabled()).resolves.toBe(true)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('a small picture the window cannot show (SVG) is not fetched on its own: it waits for Download, as other files do', async () => {
    const { a, b } = await session.pair()
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    await a.page.getByTestId('file-input').setInputFiles([{ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: svg }, { name: 'dot.png', mimeType: 'image/png', buffer: png(20, 20) }])
    await sendAttached(a.page)
    const cards = b.page.getByTestId('file-card')
    await eventually(() => cards.count()).toBe(2)
    // The PNG after it is fetched on its own, so the SVG had its chance first.
    await eventually(() => cards.nth(1).getAttribute('data-state')).toBe('held')
    expect(await cards.nth(0).getAttribute('data-state')).toBe('none')
    await expect(cards.nth(0).getByRole('button', { name: 'Download logo.svg' }).isVisible()).resolves.toBe(true)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })

  it('a download whose only holder quits says it waits for one, not its last speed, and goes on when one is back', async () => {
    const bob = await openPeer(session.browser)
    session.open.push(bob)
    await chooseName(bob.page, 'Bob')
    const addr = `/ip4/127.0.0.1/tcp/${await listenPort(bob.page)}`
    // A holder serving 64 KiB every 40 ms, so the download is still running when it quits.
    const content = pattern(2 * 1024 * 1024 + 5)
    const first = await FileHolder.start(addr, content, 64 * 1024, { delayMs: 40 }, 'Hana')
    await first.announce('lobby', 'scan.pdf')
    const card = bob.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await card.getByRole('button', { name: 'Download scan.pdf' }).click()
    const speed = card.getByTestId('file-speed')
    await eventually(() => speed.textContent()).toMatch(/ of 2\.0 MiB · [\d.]+ [KM]iB\/s/)
    await first.stop()
    await eventually(() => speed.textContent()).toMatch(/^[\d.]+ [KM]iB of 2\.0 MiB · waiting for someone who has it to connect \(what came is kept\)$/)
    expect(await card.getAttribute('data-state')).toBe('downloading')
    const second = await FileHolder.start(addr, content, 64 * 1024, {}, 'Hana again')
    await eventually(() => card.getAttribute('data-state')).toBe('done')
    expect(sha(readFileSync(join(bob.dataDir, 'downloads', 'scan.pdf')))).toBe(sha(content))
    await second.stop()
    expect(bob.errors).toEqual([])
  })

  it('a picture fetched while the viewer waits for it: a screen reader is told it is downloading, once, not every percent', async () => {
    const bob = await openPeer(session.browser)
    session.open.push(bob)
    await chooseName(bob.page, 'Bob')
    const addr = `/ip4/127.0.0.1/tcp/${await listenPort(bob.page)}`
    const holder = await FileHolder.start(addr, pattern(2 * 1024 * 1024), 64 * 1024, { delayMs: 40 }, 'Hana')
    await holder.announce('lobby', 'plan.png', { mime: 'image/png' })
    await bob.page.getByRole('button', { name: 'View plan.png' }).click()
    await bob.page.evaluate(`
      window.announced = new Set()
      new MutationObserver(() => {
        for (const s of document.querySelectorAll('.viewer-wait[role="status"], .viewer-wait [role="status"]')) window.announced.add(s.textContent)
      }).observe(document.body, { subtree: true, childList: true, characterData: true })`)
    await eventually(() => bob.page.getByTestId('file-card').getAttribute('data-state')).toBe('held')
    expect(await bob.page.evaluate('[...window.announced].filter((t) => /\\d/.test(t))')).toEqual([])
    await holder.stop()
  })

  it('a cancelled download offers Retry, by the name it shows (speech control says "click Retry"), and Retry finishes it', async () => {
    const bob = await openPeer(session.browser)
    session.open.push(bob)
    await chooseName(bob.page, 'Bob')
    const addr = `/ip4/127.0.0.1/tcp/${await listenPort(bob.page)}`
    const content = pattern(2 * 1024 * 1024 + 5)
    const holder = await FileHolder.start(addr, content, 64 * 1024, { delayMs: 40 }, 'Hana')
    await holder.announce('lobby', 'scan.pdf')
    const card = bob.page.getByTestId('file-card')
    await eventually(() => card.count()).toBe(1)
    await card.getByRole('button', { name: 'Download scan.pdf' }).click()
    await eventually(() => card.getAttribute('data-state')).toBe('downloading')
    await card.getByRole('button', { name: /^Cancel/ }).click()
    await eventually(() => card.getAttribute('data-state')).toBe('failed')
    // Its accessible name starts with the word on it, as the other buttons' do.
    const retry = card.getByRole('button', { name: /^Retry/ })
    await expect(retry.textContent()).resolves.toBe('Retry')
    await retry.click()
    await eventually(() => card.getAttribute('data-state')).toBe('done')
    await holder.stop()
  })

  it('a download that stopped waiting for someone who has the file offers Cancel: it is given up with what came, and Download is offered again', async () => {
    const { bob, hana } = await downloadStalled()
    const card = bob.page.getByTestId('file-card')
    await expect(card.getByRole('status').textContent()).resolves.toMatch(/stopped sending/)
    expect((await bob.host.call('fileStorage')).partial.files).toBe(1)
    const cancel = card.getByRole('button', { name: 'Cancel download of scan.pdf' })
    await expect(cancel.textContent()).resolves.toBe('Cancel')
    await cancel.click()
    // Back to where it was before Download, and nothing of it kept.
    await eventually(() => card.getAttribute('data-state')).toBe('none')
    expect(await card.getByRole('button', { name: 'Download scan.pdf' }).isVisible()).toBe(true)
    expect((await bob.host.call('fileStorage')).partial).toEqual({ files: 0, bytes: 0 })
    await hana.stop()
    expect(bob.errors).toEqual([])
  })

  it('Settings count what a download waiting for someone who has the file holds against the limit on others\' files, and say Free space gives it up', async () => {
    // 20 chunks of 64 KiB come (1.25 MiB), then nothing.
    const { bob, hana } = await downloadStalled(pattern(3 * 1024 * 1024), 20)
    await bob.page.getByRole('button', { name: 'Settings' }).click()
    const stored = bob.page.getByRole('dialog', { name: 'Settings' }).getByTestId('stored-files')
    await eventually(() => stored.getByTestId('stored-partial').textContent()).toMatch(/^1 file, 1\.\d MiB, waiting for someone who has the file \(Free space gives it up\)$/)
    await expect(stored.getByTestId('stored-others').textContent()).resolves.toBe('None')
    // No whole copy of anyone's file is kept, yet the part counts against the limit.
    await expect(stored.getByTestId('stored-limit').textContent()).resolves.toMatch(/^1\.\d MiB of 5\.0 GiB$/)
    await stored.getByRole('button', { name: 'Free space' }).click()
    await eventually(() => stored.getByRole('status').textContent()).toMatch(/^Freed 1 file, 1\.\d MiB\./)
    expect(await stored.getByTestId('stored-partial').count()).toBe(0)
    await expect(stored.getByTestId('stored-limit').textContent()).resolves.toBe('0 B of 5.0 GiB')
    // Its card no longer says what came is kept: given up, it offers Download again, as Cancel would have.
    await bob.page.keyboard.press('Escape')
    const card = bob.page.getByTestId('file-card')
    await eventually(() => card.getAttribute('data-state')).toBe('none')
    expect(await card.getByRole('button', { name: 'Download scan.pdf' }).isVisible()).toBe(true)
    await hana.stop()
    expect(bob.errors).toEqual([])
  })

  it('a download waiting for someone who has the file still shows so after a reload and a restart, with how much is here and Cancel', async () => {
    const stalled = await downloadStalled()
    let { bob } = stalled
    const card = (p: Page) => p.getByTestId('file-card')
    await stalled.hana.stop()
    const waiting = /^Waiting for someone who has it to be online: 320 KiB of 2\.0 MiB here$/
    /** The card says it waits, with how much is here, and offers Retry and Cancel, not Download. */
    const showsWaiting = async (p: Page, says = waiting): Promise<void> => {
      await eventually(() => card(p).getAttribute('data-state')).toBe('failed')
      expect(await card(p).getByRole('status').textContent()).toMatch(says)
      expect(await card(p).getByRole('button', { name: 'Cancel download of scan.pdf' }).isVisible()).toBe(true)
      expect(await card(p).getByRole('button', { name: 'Retry downloading scan.pdf' }).isVisible()).toBe(true)
      expect(await card(p).getByRole('button', { name: 'Download scan.pdf' }).count()).toBe(0)
    }

    // The page reloads: the card still says the download waits, from what the engine keeps.
    await bob.page.reload()
    await showsWaiting(bob.page)
    // The app restarts: the same (and after a reload then).
    await bob.close()
    session.open.splice(session.open.indexOf(bob), 1)
    bob = await openPeer(session.browser, { dataDir: bob.dataDir, stallMs: 2_000 })
    session.open.push(bob)
    await eventually(() => bob.page.getByTestId('self-name').textContent()).toBe('Bob')
    // (The engine tries it again as it starts: the page may have heard that try fail, nobody being there.)
    await showsWaiting(bob.page, new RegExp(`${waiting.source}|^no connected peer has the file$`))
    expect((await bob.host.call('fileStorage')).partial.files).toBe(1)
    await bob.page.reload()
    await showsWaiting(bob.page)
    // Cancel gives it up with its part, and Download is offered again.
    await card(bob.page).getByRole('button', { name: 'Cancel download of scan.pdf' }).click()
    await eventually(() => card(bob.page).getAttribute('data-state')).toBe('none')
    expect(await card(bob.page).getByRole('button', { name: 'Download scan.pdf' }).isVisible()).toBe(true)
    expect((await bob.host.call('fileStorage')).partial).toEqual({ files: 0, bytes: 0 })
    // And so it stays after a reload.
    await bob.page.reload()
    await eventually(() => card(bob.page).getByRole('button', { name: 'Download scan.pdf' }).isVisible()).toBe(true)
    expect(bob.errors).toEqual([])
  })

  it('Retry on a waiting download shown again after a reload finishes it from the part already here, once someone who has the file is back', async () => {
    // Five of the 33 chunks come.
    const { bob, hana, addr, content } = await downloadStalled()
    const card = bob.page.getByTestId('file-card')
    await hana.stop()
    await eventually(() => peerCount(bob.page)).toBe('0 peers connected')

    // The page reloads: the card is one waiting, from what the engine keeps, with Retry.
    await bob.page.reload()
    await eventually(() => card.getAttribute('data-state')).toBe('failed')
    await eventually(() => card.getByRole('status').textContent()).toMatch(/^Waiting for someone who has it to be online: 320 KiB of 2\.0 MiB here$/)
    const retry = card.getByRole('button', { name: 'Retry downloading scan.pdf' })
    expect(await retry.isVisible()).toBe(true)
    // Someone who has the file comes online; Retry goes on from the part: only the 28 chunks missing are asked of them.
    const back = await FileHolder.start(addr, content, 64 * 1024, {}, 'Hana again')
    await eventually(() => peerCount(bob.page)).toBe('1 peer connected')
    await retry.click()
    await eventually(() => card.getAttribute('data-state')).toBe('done')
    expect(back.served).toBe(33 - 5)
    expect(sha(readFileSync(join(bob.dataDir, 'downloads', 'scan.pdf')))).toBe(sha(content))
    expect((await bob.host.call('fileStorage')).partial).toEqual({ files: 0, bytes: 0 })
    await back.stop()
    expect(bob.errors).toEqual([])
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
    // Dropped on the sidebar, the file is refused where it falls: the cursor says no, and the window
    // keeps the app (a drop nobody cancels is the browser's cue to open the file in its place).
    const onSidebar = await dropped.evaluate((dt: { dropEffect: string }) => {
      type Page = {
        document: { querySelector: (s: string) => { dispatchEvent: (e: object) => boolean } }
        DragEvent: new (type: string, init: object) => { defaultPrevented: boolean }
      }
      const { document, DragEvent } = globalThis as unknown as Page
      const sidebar = document.querySelector('.sidebar')
      sidebar.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
      const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true })
      sidebar.dispatchEvent(drop)
      return { effect: dt.dropEffect, kept: drop.defaultPrevented }
    })
    expect(onSidebar).toEqual({ effect: 'none', kept: true })
    expect(await a.page.getByTestId('attachment').count()).toBe(0)
    await a.page.dispatchEvent('main.chat', 'dragover', { dataTransfer: dropped })
    await a.page.dispatchEvent('main.chat', 'drop', { dataTransfer: dropped })
    await eventually(() => a.page.getByTestId('attachment').textContent()).toBe('report.bin3.0 MiB✕')
    // What a screen reader is told while it goes: what is being sent, once, not every figure of its progress.
    await a.page.evaluate(`
      window.announced = new Set()
      new MutationObserver(() => {
        for (const s of document.querySelectorAll('[data-testid="upload"][role="status"], [data-testid="upload"] [role="status"]')) window.announced.add(s.textContent)
      }).observe(document.body, { subtree: true, childList: true, characterData: true })`)
    // Dropped, the box has the keyboard: Enter sends it.
    await sendAttached(a.page)
    expect(await a.page.evaluate('[...window.announced]')).toEqual(['Sending report.bin'])
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
    // Named with the file, as Download and Cancel were: among several saved files a screen reader says which one.
    await card.getByRole('button', { name: 'Show in folder: report.bin', exact: true }).click()
    await eventually(() => b.host.revealed()).toEqual([{ action: 'folder', path: saved }])
    await card.getByRole('button', { name: 'Open report.bin', exact: true }).click()
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

    // Bob quits and starts again: the file is still Saved, a click from its folder, not offered for download.
    await b.close()
    session.open.splice(session.open.indexOf(b), 1)
    const again = await openPeer(session.browser, { dataDir: b.dataDir })
    session.open.push(again)
    const after = again.page.getByTestId('file-card')
    await eventually(() => after.getAttribute('data-state')).toBe('done')
    expect(await after.getByRole('button', { name: 'Download report.bin' }).count()).toBe(0)
    await after.getByRole('button', { name: 'Show in folder' }).click()
    await eventually(() => again.host.revealed()).toEqual([{ action: 'folder', path: saved }])
    // Moved out of the folder (or deleted) since: Open says so, and the card no longer says Saved but offers it again.
    rmSync(saved)
    await after.getByRole('button', { name: 'Open' }).click()
    await eventually(() => after.getAttribute('data-state')).toBe('failed')
    await expect(after.getByRole('status').textContent()).resolves.toBe('It is no longer where it was saved (moved or deleted)')
    await after.getByRole('button', { name: 'Retry downloading report.bin' }).click()
    await eventually(() => after.getAttribute('data-state')).toBe('done')
    expect(sha(readFileSync(saved))).toBe(sha(pattern(size)))
    expect(again.errors).toEqual([])
  })
})

describe('attached files across a restart', () => {
  it('files attached and a pasted picture come back on the box after a restart, with their previews, and Send sends them as they were; one deleted meanwhile says so and is not sent', async () => {
    // Bob picks his files from this folder (the file chooser hands the window their paths).
    const folder = tempDir('picked')
    const report = pattern(300 * 1024)
    writeFileSync(join(folder, 'report.bin'), report)
    writeFileSync(join(folder, 'notes.txt'), 'deleted before the restart')
    const pasted = png(64, 48)
    const a = await openPeer(session.browser)
    session.open.push(a)
    let b = await openPeer(session.browser, { pickFolder: folder })
    session.open.push(b)
    await chooseName(a.page, 'Alice')
    await chooseName(b.page, 'Bob')
    await connectByAddress(b.page, `127.0.0.1:${await listenPort(a.page)}`)
    await eventually(() => peerCount(b.page)).toBe('1 peer connected')

    await b.page.getByTestId('file-input').setInputFiles([join(folder, 'report.bin'), join(folder, 'notes.txt')])
    // (Page code as a string: this file is type-checked without the DOM's types.)
    await b.page.evaluate(`{
      const dt = new DataTransfer()
      dt.items.add(new File([Uint8Array.from(atob('${pasted.toString('base64')}'), (c) => c.charCodeAt(0))], '', { type: 'image/png' }))
      document.querySelector('textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    }`)
    const chips = (p: Page) => p.getByRole('list', { name: 'Attached files' }).getByTestId('attachment')
    await eventually(() => chips(b.page).allTextContents()).toEqual(['report.bin300 KiB✕', 'notes.txt26 B✕', expect.stringMatching(/^pasted image\d+ B✕$/)])
    // The picture shows its preview on its chip.
    await eventually(() => chips(b.page).nth(2).getByTestId('attachment-thumbnail').isVisible()).toBe(true)
    // Kept by the host: the picked files by their paths (nothing of them copied), the pasted picture's bytes in the data directory.
    await eventually(async () => (await b.host.call('stagedFiles')).map((f) => [f.name, f.size, f.pasted === true])).toEqual([['report.bin', report.length, false], ['notes.txt', 26, false], ['pasted-image.png', pasted.length, true]])
    const keptHere = (): string[] => existsSync(join(b.dataDir, 'staged')) ? readdirSync(join(b.dataDir, 'staged')).filter((f) => f.endsWith('.bin')) : []
    expect(keptHere()).toHaveLength(1)
    expect(readFileSync(join(b.dataDir, 'staged', keptHere()[0]!)).equals(pasted)).toBe(true)

    // The window closes (an update, a crash); one of the files is deleted meanwhile.
    await b.close()
    session.open.splice(session.open.indexOf(b), 1)
    rmSync(join(folder, 'notes.txt'))
    b = await openPeer(session.browser, { dataDir: b.dataDir, pickFolder: folder })
    session.open.push(b)
    await eventually(() => b.page.getByTestId('self-name').textContent()).toBe('Bob')
    // All three are back on the lobby's box, the picture with its preview; the deleted one says it is gone.
    await eventually(() => chips(b.page).count()).toBe(3)
    expect(await chips(b.page).nth(0).textContent()).toBe('report.bin300 KiB✕')
    expect(await chips(b.page).nth(1).textContent()).toBe('notes.txt26 B not sent: it was moved or deleted since it was attached✕')
    expect(await chips(b.page).nth(2).textContent()).toMatch(/^pasted image\d+ B✕$/)
    const thumb = chips(b.page).nth(2).getByTestId('attachment-thumbnail')
    await eventually(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(64)
    expect(await b.page.getByRole('textbox', { name: 'Message #lobby' }).getAttribute('placeholder')).toBe('Add a message, or press Enter to send the 2 files')

    // Send sends the two there as they were attached, the words typed as the first one's caption.
    await eventually(() => peerCount(b.page)).toBe('1 peer connected')
    await eventually(() => b.page.getByRole('button', { name: 'Send', exact: true }).isEnabled()).toBe(true)
    await b.page.getByRole('textbox', { name: 'Message #lobby' }).fill('as promised')
    await b.page.getByRole('textbox', { name: 'Message #lobby' }).press('Enter')
    const cards = a.page.getByTestId('file-card')
    await eventually(() => cards.count()).toBe(2)
    expect(await cards.getByTestId('file-name').allTextContents()).toEqual(['report.bin', 'pasted-image.png'])
    await eventually(() => cards.nth(1).getByTestId('file-thumbnail').isVisible()).toBe(true)
    expect(texts(await shownMessages(a.page))[0]).toBe('as promised')
    // The bytes Alice downloads are the ones attached.
    const files = (await a.host.call('history', { room: 'lobby' })).filter((m) => m.file !== undefined)
    for (const [m, bytes] of [[files[0]!, report], [files[1]!, pasted]] as const) {
      await a.host.call('download', { id: m.id })
      const saved = join(a.dataDir, 'downloads', m.file!.name)
      await eventually(() => existsSync(saved) && sha(readFileSync(saved)) === sha(bytes)).toBe(true)
    }
    // The deleted one stayed on the box, unsent; nothing else is kept, and the pasted picture's copy is gone.
    await eventually(() => chips(b.page).count()).toBe(1)
    expect(await chips(b.page).first().getAttribute('data-gone')).toBe('true')
    await eventually(async () => (await b.host.call('stagedFiles')).map((f) => f.name)).toEqual(['notes.txt'])
    expect(keptHere()).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await cards.count()).toBe(2)
    // Taken off, it is not kept either.
    await b.page.getByRole('button', { name: 'Remove notes.txt' }).click()
    await eventually(async () => (await b.host.call('stagedFiles')).length).toBe(0)
  })

  it('a pasted file too large to keep across a restart says so on its chip, and a restart indeed takes it off', async () => {
    let b = await openPeer(session.browser)
    session.open.push(b)
    await chooseName(b.page, 'Bob')
    // The engine is running: the box takes files (before, it says it waits for the engine).
    await eventually(() => b.page.getByRole('textbox', { name: 'Message #lobby' }).getAttribute('placeholder')).toBe('Message #lobby')
    const small = png(32, 24)
    // A picture of 17 MiB made in the page (over MAX_STAGED_BYTES, 16 MiB), and a small one, pasted together.
    await b.page.evaluate(`{
      const dt = new DataTransfer()
      dt.items.add(new File([new Uint8Array(17 * 1024 * 1024).fill(7)], '', { type: 'image/png' }))
      dt.items.add(new File([Uint8Array.from(atob('${small.toString('base64')}'), (c) => c.charCodeAt(0))], '', { type: 'image/png' }))
      document.querySelector('textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    }`)
    const chips = (p: Page) => p.getByRole('list', { name: 'Attached files' }).getByTestId('attachment')
    await eventually(() => chips(b.page).count()).toBe(2)
    // The small one is kept by the host; the large one is not, and its chip says a restart takes it off.
    await eventually(async () => (await b.host.call('stagedFiles')).map((f) => f.size)).toEqual([small.length])
    const big = chips(b.page).nth(0)
    await eventually(() => big.getByTestId('attachment-unkept').textContent()).toBe('this window only')
    const why = 'A pasted file over 16 MiB is not kept across a restart. It stays attached in this window only: a restart takes it off.'
    expect(await big.getAttribute('title')).toBe(why)
    // Its accessible description says the same (a screen reader hears it with the chip).
    const described = await big.getAttribute('aria-describedby')
    expect(await b.page.locator(`[id="${described}"]`).textContent()).toBe(why)
    expect(await chips(b.page).nth(1).getByTestId('attachment-unkept').count()).toBe(0)
    expect(await chips(b.page).nth(1).getAttribute('aria-describedby')).toBeNull()
    const report = await new AxeBuilder({ page: b.page }).include('.attachments').analyze()
    expect(report.violations.map((v) => v.id)).toEqual([])

    // As said: after a restart only the small one is back on the box.
    await b.close()
    session.open.splice(session.open.indexOf(b), 1)
    b = await openPeer(session.browser, { dataDir: b.dataDir })
    session.open.push(b)
    await eventually(() => b.page.getByTestId('self-name').textContent()).toBe('Bob')
    await eventually(() => chips(b.page).allTextContents()).toEqual([expect.stringMatching(/^pasted image\d+ B✕$/)])
  })

  it('a file attached in a direct message or an invite-only room says on its chip that a restart takes it off, and one does', async () => {
    const pair = await session.pair()
    let { a } = pair
    const chips = (p: Page) => p.getByRole('list', { name: 'Attached files' }).getByTestId('attachment')
    const why = 'A file attached in a direct message or an invite-only room is never written to disk, as its draft is not. It stays attached in this window only: a restart takes it off.'
    /** The one chip on the box says "this window only", with why in its tooltip and as its accessible description. */
    const saysUnkept = async (name: string): Promise<void> => {
      await eventually(() => chips(a.page).count()).toBe(1)
      const chip = chips(a.page).first()
      await expect(chip.locator('.attachment-name').textContent()).resolves.toBe(name)
      await eventually(() => chip.getByTestId('attachment-unkept').textContent()).toBe('this window only')
      expect(await chip.getAttribute('title')).toBe(why)
      const described = await chip.getAttribute('aria-describedby')
      expect(await a.page.locator(`[id="${described}"]`).textContent()).toBe(why)
    }
    // A public room's file is kept: no such word on its chip.
    await a.page.getByTestId('file-input').setInputFiles({ name: 'agenda.txt', mimeType: 'text/plain', buffer: Buffer.from('public') })
    await eventually(async () => (await a.host.call('stagedFiles')).map((f) => f.name)).toEqual(['agenda.txt'])
    expect(await chips(a.page).first().getByTestId('attachment-unkept').count()).toBe(0)
    expect(await chips(a.page).first().getAttribute('aria-describedby')).toBeNull()

    await a.page.getByRole('button', { name: 'Message Bob privately' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    await a.page.getByTestId('file-input').setInputFiles({ name: 'payslip.txt', mimeType: 'text/plain', buffer: Buffer.from('private') })
    await saysUnkept('payslip.txt')

    await a.page.getByRole('button', { name: 'Create or join a private room' }).click()
    const dialog = a.page.getByRole('dialog', { name: 'Private room' })
    await dialog.getByLabel('New private room').fill('Crew')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await a.page.getByRole('dialog', { name: 'Private room created' }).getByRole('button', { name: 'Open the room' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('Crew')
    await a.page.getByTestId('file-input').setInputFiles({ name: 'roster.txt', mimeType: 'text/plain', buffer: Buffer.from('crew only') })
    await saysUnkept('roster.txt')
    const report = await new AxeBuilder({ page: a.page }).include('.attachments').analyze()
    expect(report.violations.map((v) => v.id)).toEqual([])
    // Nothing of either was given to the host to keep.
    expect((await a.host.call('stagedFiles')).map((f) => f.name)).toEqual(['agenda.txt'])

    // As said: after a restart the DM's and the room's boxes are empty; the public room's file is back.
    await a.close()
    session.open.splice(session.open.indexOf(a), 1)
    a = await openPeer(session.browser, { dataDir: a.dataDir })
    session.open.push(a)
    await eventually(() => a.page.getByTestId('self-name').textContent()).toBe('Alice')
    // (The window opens where it was left, the private room: the lobby is opened first.)
    await a.page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: /lobby/ }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
    await eventually(() => chips(a.page).allTextContents()).toEqual([expect.stringMatching(/^agenda\.txt/)])
    await a.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Crew/ }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('Crew')
    expect(await chips(a.page).count()).toBe(0)
    await a.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Bob/ }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    expect(await chips(a.page).count()).toBe(0)
  })
})

describe('a picture whose delete is taken back', () => {
  /**
   * Dan's window fetched Cat's picture on its own; Ann, cut off from both, removes Cat from the room, and Cat, not
   * knowing, deletes it: Dan takes the delete in first, and his engine drops the picture's bytes with it. Once he hears
   * of the removal the delete no longer counts: the message is asked for again and restored, and his window fetches
   * the picture on its own again, as it does a newly arrived one, with no click.
   */
  it('is fetched on its own again once its message is restored, as a newly arrived one is', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    try {
      const d = await openPeer(session.browser, { defaults: { name: 'Dan' } })
      session.open.push(d)
      const dan = await selfId(d)
      await c.engine.dial(a.addr())
      await d.host.call('dial', { address: a.addr() })
      await until('ann linked to both', () => a.engine.peers().filter((p) => p.connected).length === 2)
      const { room } = await a.engine.createPrivateRoom('Crew')
      const code = a.engine.invite(room)
      await c.engine.joinInvite(code)
      await d.host.call('joinInvite', { code })
      await eventually(async () => (await d.host.call('privateRoom', { room })).members.length).toBe(3)
      await d.page.getByRole('button', { name: /Crew/ }).first().click()
      await eventually(() => d.page.getByRole('heading', { level: 1 }).textContent()).toBe('Crew')

      const path = join(tempDir('lanchat-src-'), 'harbour.png')
      writeFileSync(path, png(240, 160))
      const shared = await c.engine.sendFile(room, path)
      // Ann keeps a copy, to pass on; Dan's window fetches it on its own, to show it.
      await until('ann has it', () => a.engine.history(room).some((m) => m.id === shared.id))
      await a.engine.hold(shared.id)
      const card = d.page.getByTestId('file-card')
      await eventually(() => card.getAttribute('data-state')).toBe('held')
      const heldByDan = async (): Promise<boolean | undefined> => (await d.host.call('history', { room })).find((m) => m.id === shared.id)?.file?.held
      await eventually(heldByDan).toBe(true)

      // Ann alone removes Cat; Cat, unaware, deletes the picture, and Dan, linked to her, takes the delete in.
      await d.host.call('dial', { address: c.addr() })
      await eventually(async () => (await d.host.call('peers')).some((p) => p.peerId === c.engine.peerId && p.connected)).toBe(true)
      await keepApart(a, c)
      await a.engine.cut(dan)
      await d.host.call('partition', { peerId: a.engine.peerId })
      await until('ann alone', () => a.engine.peers().every((p) => !p.connected))
      await a.engine.removeMember(room, c.engine.peerId)
      await c.engine.delete(room, shared.id)
      const row = d.page.getByTestId('message').filter({ has: d.page.getByText('message deleted') })
      await eventually(() => row.count()).toBe(1)
      await eventually(() => card.count()).toBe(0)
      await eventually(async () => (await d.host.call('history', { room })).find((m) => m.id === shared.id)?.deleted).toBe(true)

      // Linked again, Dan hears of the removal: the delete no longer counts, the message comes back from Ann, and the picture with it.
      for (const p of [a, c]) p.engine.heal()
      await d.host.call('heal')
      await d.host.call('dial', { address: a.addr() })
      await eventually(async () => (await d.host.call('privateRoom', { room })).members.length).toBe(2)
      await eventually(async () => (await d.host.call('history', { room })).find((m) => m.id === shared.id)?.deleted ?? true).toBe(false)
      await eventually(() => card.count()).toBe(1)
      await eventually(heldByDan).toBe(true)
      await eventually(() => card.getAttribute('data-state')).toBe('held')
      expect(d.errors).toEqual([])
    } finally {
      await cleanup()
    }
  }, 90_000)
})
