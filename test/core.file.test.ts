import { describe, expect, it } from 'vitest'
import { chunkSizeFor, numberedName, safeFileName, validateManifest, type FileManifest } from '../main/core/file.js'
import { encodeBody, messageFromBody, UNSIGNED } from '../main/net/codec.js'
import { png } from './helpers/png.js'

const good: FileManifest = { name: 'a.txt', size: 100, mime: 'text/plain', sha256: 'a'.repeat(64), chunkSize: 1024 * 1024, chunksRoot: 'b'.repeat(64) }

describe('file names and manifests', () => {
  it('makes any name safe to create in a folder', () => {
    expect(safeFileName('../../.bashrc')).toBe('_bashrc')
    expect(safeFileName('..')).toBe('file')
    expect(safeFileName('C:\\Windows\\system32\\evil.dll')).toBe('evil.dll')
    expect(safeFileName('CON')).toBe('_CON')
    expect(safeFileName('lpt1.txt')).toBe('_lpt1.txt')
    expect(safeFileName('what?<>|*.txt')).toBe('what_____.txt')
    expect(safeFileName('trailing. . ')).toBe('trailing')
    expect(safeFileName('bell\u0007.txt')).toBe('bell.txt')
    expect(new TextEncoder().encode(safeFileName(`${'é'.repeat(300)}.tar.gz`)).byteLength).toBeLessThanOrEqual(255)
    expect(safeFileName(`${'é'.repeat(300)}.gz`).endsWith('.gz')).toBe(true)
    expect(numberedName('photo.jpg', 2)).toBe('photo (2).jpg')
    expect(numberedName('README', 1)).toBe('README (1)')
  })

  it('picks 256 KiB chunks, larger ones only past 2 GiB', () => {
    expect(chunkSizeFor(0)).toBe(256 * 1024)
    expect(chunkSizeFor(2 * 1024 ** 3)).toBe(256 * 1024)
    expect(chunkSizeFor(2 * 1024 ** 3 + 1)).toBe(512 * 1024)
    expect(chunkSizeFor(64 * 1024 ** 3)).toBe(4 * 1024 * 1024)
    expect(() => { validateManifest({ ...good, size: 64 * 1024 ** 3, chunkSize: chunkSizeFor(64 * 1024 ** 3) }) }).not.toThrow()
  })

  it('refuses manifests that cannot describe a file', () => {
    expect(() => { validateManifest(good) }).not.toThrow()
    for (const bad of [
      { size: -1 }, { size: 2 ** 60 }, { sha256: 'xyz' }, { chunkSize: 1 }, { mime: 'not a mime' }, { name: '' }, { name: 'evil\u001b[2J.txt' },
      { thumbnail: new Uint8Array(40_000), thumbnailMime: 'image/png' }, { thumbnail: new Uint8Array(10), thumbnailMime: 'text/html' },
      { size: 100 * 1024 ** 3, chunkSize: 16 * 1024 }
    ]) expect(() => { validateManifest({ ...good, ...bad }) }, JSON.stringify(Object.keys(bad))).toThrow(expect.objectContaining({ name: 'InvalidManifestError' }))
  })

  it('carries the manifest in the signed body: it round-trips and changes the id', () => {
    const base = { room: 'lobby', author: 'me', name: 'me', text: '📎 a.txt', lamport: 1, sentAt: 1, seq: 1, prev: '', deps: [] }
    const withFile = { ...base, file: { ...good, thumbnail: new Uint8Array(png(24, 16)), thumbnailMime: 'image/png' } }
    const m = messageFromBody(encodeBody(withFile), UNSIGNED)
    expect(m.file).toEqual(withFile.file)
    expect(m.id).not.toBe(messageFromBody(encodeBody(base), UNSIGNED).id)
    expect(messageFromBody(encodeBody(base), UNSIGNED).file).toBeUndefined()
  })
})
