/**
 * What kind of file a shared file is, as a reader names it: the file card shows "PDF" or "Word
 * document" and an icon of that kind, not "application/vnd.openxmlformats-officedocument…" (the
 * MIME type stays in the tooltip). Read from the manifest's MIME type, then the name's extension;
 * only words and an icon are chosen from it, nothing is ever run or opened by it. The terminal
 * prints the same words after a file's size.
 *
 *   fileKind('application/pdf', 'report.pdf')                  // { kind: 'pdf', label: 'PDF' }
 *   fileKind('application/octet-stream', 'backup.tar.zst')     // { kind: 'other', label: 'ZST file' }
 */
export type FileKindName = 'pdf' | 'document' | 'spreadsheet' | 'slides' | 'archive' | 'audio' | 'video' | 'image' | 'code' | 'text' | 'other'

export interface FileKind {
  kind: FileKindName
  label: string
}

const BY_MIME: Record<string, FileKind> = {
  'application/pdf': { kind: 'pdf', label: 'PDF' },
  'application/msword': { kind: 'document', label: 'Word document' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'document', label: 'Word document' },
  'application/vnd.oasis.opendocument.text': { kind: 'document', label: 'OpenDocument text' },
  'application/rtf': { kind: 'document', label: 'Rich text document' },
  'application/vnd.ms-excel': { kind: 'spreadsheet', label: 'Excel spreadsheet' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'spreadsheet', label: 'Excel spreadsheet' },
  'application/vnd.oasis.opendocument.spreadsheet': { kind: 'spreadsheet', label: 'OpenDocument spreadsheet' },
  'text/csv': { kind: 'spreadsheet', label: 'CSV table' },
  'application/vnd.ms-powerpoint': { kind: 'slides', label: 'PowerPoint presentation' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: 'slides', label: 'PowerPoint presentation' },
  'application/vnd.oasis.opendocument.presentation': { kind: 'slides', label: 'OpenDocument presentation' },
  'application/zip': { kind: 'archive', label: 'ZIP archive' },
  'application/gzip': { kind: 'archive', label: 'Gzip archive' },
  'application/x-tar': { kind: 'archive', label: 'Tar archive' },
  'application/x-7z-compressed': { kind: 'archive', label: '7-Zip archive' },
  'application/vnd.rar': { kind: 'archive', label: 'RAR archive' },
  'application/x-rar-compressed': { kind: 'archive', label: 'RAR archive' },
  'application/json': { kind: 'code', label: 'JSON' },
  'application/xml': { kind: 'code', label: 'XML' },
  'text/html': { kind: 'code', label: 'HTML' },
  'text/javascript': { kind: 'code', label: 'JavaScript' },
  'text/markdown': { kind: 'text', label: 'Markdown' },
  'text/plain': { kind: 'text', label: 'Text' },
  // A raw photo: a picture, yet not one the window draws; the words say why it shows as a file.
  'image/x-adobe-dng': { kind: 'image', label: 'DNG raw photo' },
  'image/x-olympus-orf': { kind: 'image', label: 'ORF raw photo' },
  'image/x-panasonic-rw2': { kind: 'image', label: 'RW2 raw photo' }
}

/** Extensions a sender's system may not have named a type for (application/octet-stream). */
const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text', rtf: 'application/rtf',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet', csv: 'text/csv',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odp: 'application/vnd.oasis.opendocument.presentation',
  zip: 'application/zip', gz: 'application/gzip', tgz: 'application/gzip', tar: 'application/x-tar', '7z': 'application/x-7z-compressed', rar: 'application/vnd.rar',
  json: 'application/json', xml: 'application/xml', html: 'text/html', js: 'text/javascript', md: 'text/markdown', txt: 'text/plain',
  dng: 'image/x-adobe-dng', orf: 'image/x-olympus-orf', rw2: 'image/x-panasonic-rw2'
}

const SUBTYPE_NAMES: Record<string, string> = { jpeg: 'JPEG', 'svg+xml': 'SVG', mpeg: 'MP3', quicktime: 'QuickTime' }

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot <= 0 || dot === name.length - 1 ? '' : name.slice(dot + 1).toLowerCase()
}

/** The kind of a file and its name for a reader, from its MIME type and file name. */
export function fileKind(mime: string, name: string): FileKind {
  const type = mime.split(';')[0]!.trim().toLowerCase()
  const ext = extensionOf(name)
  const known = BY_MIME[type] ?? BY_MIME[BY_EXTENSION[ext] ?? '']
  if (known !== undefined) return known
  const [top, sub = ''] = type.split('/')
  const subName = SUBTYPE_NAMES[sub] ?? (/^[a-z0-9]{1,8}$/.test(sub) ? sub.toUpperCase() : '')
  if (top === 'image') return { kind: 'image', label: subName === '' ? 'Image' : `${subName} image` }
  if (top === 'audio') return { kind: 'audio', label: subName === '' ? 'Audio' : `${subName} audio` }
  if (top === 'video') return { kind: 'video', label: subName === '' ? 'Video' : `${subName} video` }
  if (top === 'text') return { kind: 'text', label: 'Text' }
  return { kind: 'other', label: /^[a-z0-9]{1,8}$/.test(ext) ? `${ext.toUpperCase()} file` : 'File' }
}
