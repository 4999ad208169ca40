/**
 * A MIME type from a file name's extension, for the manifest (the receiver never acts on it).
 * A DNG (a phone's or a camera's raw photo) has no registered type: image/x-adobe-dng is the one
 * systems give it (freedesktop's shared-mime-info, Android); an Olympus ORF and a Panasonic RW2
 * take shared-mime-info's too. A photo, so it is named one, but no picture the window draws
 * (Chromium decodes no raw format): a file card, opened with the computer's own app, as TIFF and
 * HEIC are.
 */
const TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', bmp: 'image/bmp',
  avif: 'image/avif', heic: 'image/heic', heif: 'image/heif', tif: 'image/tiff', tiff: 'image/tiff', dng: 'image/x-adobe-dng',
  orf: 'image/x-olympus-orf', rw2: 'image/x-panasonic-rw2',
  pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', tar: 'application/x-tar', '7z': 'application/x-7z-compressed',
  txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', json: 'application/json', html: 'text/html',
  mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime',
  m4a: 'audio/mp4', flac: 'audio/flac', aac: 'audio/aac', opus: 'audio/opus', mkv: 'video/x-matroska', avi: 'video/x-msvideo', m4v: 'video/x-m4v', jfif: 'image/jpeg',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation'
}

export function mimeOf (name: string): string {
  return TYPES[extensionOf(name) ?? ''] ?? 'application/octet-stream'
}

function extensionOf (name: string): string | undefined {
  const dot = name.lastIndexOf('.')
  return dot <= 0 || dot === name.length - 1 ? undefined : name.slice(dot + 1).toLowerCase()
}

/**
 * The type a received file is shown and handled as. A system opens a file by its name's extension,
 * whatever type its sender claimed: "holiday.exe" sent as image/png is an EXE file, not a picture
 * to show, fetch by itself or offer to open as one. So a name whose extension we know is its type;
 * a name with an extension we do not know keeps a claimed type unless that type says picture,
 * sound or video (a file a window would treat as harmless media); a name without an extension
 * keeps what was claimed (nothing opens it by its name).
 */
export function shownMime (claimed: string, name: string): string {
  const ext = extensionOf(name)
  if (ext === undefined) return claimed
  const byName = TYPES[ext]
  if (byName !== undefined) return claimed.split(';')[0]!.trim().toLowerCase() === byName ? claimed : byName
  return /^(image|audio|video)\//i.test(claimed.trim()) ? 'application/octet-stream' : claimed
}
