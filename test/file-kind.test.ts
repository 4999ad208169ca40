/**
 * What a file card calls a shared file (renderer/src/file-kind.ts): a reader's words and an icon
 * of the kind, from the manifest's MIME type, else the name's extension.
 */
import { describe, expect, it } from 'vitest'
import { fileKind } from '../main/core/file-kind.js'
import { mimeOf, shownMime } from '../main/chat/mime.js'
import { VIEWABLE_IMAGE } from '../main/core/file.js'

describe('a shared file\'s kind', () => {
  it('names the office formats a sender\'s system types, not their MIME types', () => {
    expect(fileKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'minutes.docx')).toEqual({ kind: 'document', label: 'Word document' })
    expect(fileKind('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'grades.xlsx')).toEqual({ kind: 'spreadsheet', label: 'Excel spreadsheet' })
    expect(fileKind('application/vnd.openxmlformats-officedocument.presentationml.presentation', 'lecture 3.pptx')).toEqual({ kind: 'slides', label: 'PowerPoint presentation' })
    expect(fileKind('application/pdf', 'report.pdf')).toEqual({ kind: 'pdf', label: 'PDF' })
    expect(fileKind('text/plain; charset=utf-8', 'notes.txt')).toEqual({ kind: 'text', label: 'Text' })
  })

  it('falls back to the extension when the type says only "bytes", and to "File" when there is none', () => {
    expect(fileKind('application/octet-stream', 'Budget.XLSX')).toEqual({ kind: 'spreadsheet', label: 'Excel spreadsheet' })
    expect(fileKind('application/octet-stream', 'backup.tar.zst')).toEqual({ kind: 'other', label: 'ZST file' })
    expect(fileKind('application/octet-stream', 'README')).toEqual({ kind: 'other', label: 'File' })
    expect(fileKind('application/octet-stream', '.bashrc')).toEqual({ kind: 'other', label: 'File' })
    expect(fileKind('application/octet-stream', 'a.<script>')).toEqual({ kind: 'other', label: 'File' })
  })

  it('names pictures, sound and video by their format', () => {
    expect(fileKind('image/png', 'cat.png')).toEqual({ kind: 'image', label: 'PNG image' })
    expect(fileKind('image/svg+xml', 'logo.svg')).toEqual({ kind: 'image', label: 'SVG image' })
    expect(fileKind('audio/mpeg', 'talk.mp3')).toEqual({ kind: 'audio', label: 'MP3 audio' })
    expect(fileKind('video/quicktime', 'demo.mov')).toEqual({ kind: 'video', label: 'QuickTime video' })
    expect(fileKind('image/vnd.microsoft.icon', 'favicon.ico')).toEqual({ kind: 'image', label: 'Image' })
  })

  it('calls a DNG a raw photo, whatever type its sender claimed: a picture the window does not draw, shown as a file', () => {
    expect(mimeOf('PXL_20260504_123456.RAW-01.COVER.dng')).toBe('image/x-adobe-dng')
    expect(mimeOf('IMG_0042.DNG')).toBe('image/x-adobe-dng')
    for (const claimed of ['image/x-adobe-dng', 'application/octet-stream', 'image/dng']) {
      expect(shownMime(claimed, 'IMG_0042.dng'), claimed).toBe('image/x-adobe-dng')
      expect(fileKind(shownMime(claimed, 'IMG_0042.dng'), 'IMG_0042.dng'), claimed).toEqual({ kind: 'image', label: 'DNG raw photo' })
    }
    expect(VIEWABLE_IMAGE.test(mimeOf('IMG_0042.dng'))).toBe(false)
  })

  it('calls an Olympus ORF and a Panasonic RW2 raw photos too, by the types a Linux desktop gives them; never a picture to draw', () => {
    for (const [name, mime, label] of [['P1010042.ORF', 'image/x-olympus-orf', 'ORF raw photo'], ['P1010042.RW2', 'image/x-panasonic-rw2', 'RW2 raw photo']] as const) {
      expect(mimeOf(name), name).toBe(mime)
      for (const claimed of [mime, 'application/octet-stream', 'image/jpeg']) {
        expect(shownMime(claimed, name), claimed).toBe(mime)
        expect(fileKind(shownMime(claimed, name), name), claimed).toEqual({ kind: 'image', label })
      }
      expect(fileKind('application/octet-stream', name)).toEqual({ kind: 'image', label })
      expect(VIEWABLE_IMAGE.test(mimeOf(name)), name).toBe(false)
    }
  })

  it('has words for every type the sender\'s side names from an extension', () => {
    for (const ext of ['png', 'jpg', 'gif', 'webp', 'svg', 'bmp', 'dng', 'orf', 'rw2', 'pdf', 'zip', 'gz', 'tar', '7z', 'txt', 'md', 'csv', 'json', 'html', 'mp3', 'wav', 'ogg', 'mp4', 'webm', 'mov', 'doc', 'docx', 'xlsx', 'pptx']) {
      const { kind, label } = fileKind(mimeOf(`x.${ext}`), `x.${ext}`)
      expect(kind, ext).not.toBe('other')
      expect(label, ext).not.toContain('/')
    }
  })
})
