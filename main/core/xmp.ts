/**
 * The XMP packet's properties that say where a picture was taken, with which
 * camera or by whom, written over with spaces in place (core/exif.ts uses it
 * on a JPEG's, a TIFF's and Photoshop's XMP; chat/photo-metadata.ts on PNG's,
 * WebP's and HEIC's).
 *
 * @example
 * ```ts
 * scrubXmp(packet) // true: its exif:GPSLatitude="…" is now spaces, at the same length
 * ```
 */

/**
 * The XMP properties that say where and with what a picture was taken: every
 * `GPS…` property (exif:GPSLatitude, exif:GPSLongitude, exif:GPSAltitude…),
 * and the body's, the lens's and the owner's serial or name; and the IPTC
 * fields photo editors copy into XMP beside the IPTC records (`IPTC_PRIVATE`
 * there): the place (photoshop:City, State, Country, Iptc4xmpCore:Location,
 * CountryCode, Iptc4xmpExt:LocationCreated and LocationShown with all they
 * hold), the author (dc:creator, photoshop:AuthorsPosition, CaptionWriter) and
 * their contact (Iptc4xmpCore:CreatorContactInfo, its Ci… fields). The
 * caption, title, keywords and rights stay, as in IPTC. The namespace prefix
 * is whatever the packet bound, so any prefix is taken.
 */
const XMP_PRIVATE = String.raw`[A-Za-z_][\w.-]*:(?:GPS[A-Za-z]*|SerialNumber|BodySerialNumber|LensSerialNumber|CameraOwnerName|OwnerName` +
  String.raw`|City|State|Country|CountryCode|CountryName|ProvinceState|Sublocation|WorldRegion|Location|LocationName|LocationCreated|LocationShown` +
  String.raw`|creator|AuthorsPosition|CaptionWriter|CreatorContactInfo|CiAdr[A-Za-z]*|CiTelWork|CiEmailWork|CiUrlWork)`
/** `prefix:Name="value"` (or single quotes): the value is group 2. */
const XMP_ATTRIBUTE = new RegExp(String.raw`(\s${XMP_PRIVATE}\s*=\s*)("[^"]*"|'[^']*')`, 'g')
/**
 * `<prefix:Name …>…</prefix:Name>`, found as its opening tag's start (the name is group 1) and its closing tag, each
 * by a pattern of its own: one pattern for the whole element (`…([\s\S]*?)</\2>`) looked from every opening tag to
 * the packet's end for a closing one that is not there, and a made-up 4 MB packet of opening tags took the sender
 * hours to share. The content may hold nested elements: only their text is blanked.
 */
const XMP_OPEN = new RegExp(String.raw`<(${XMP_PRIVATE})(?=[\s>])`, 'g')
const XMP_CLOSE = new RegExp(String.raw`</(${XMP_PRIVATE})>`, 'g')

/**
 * Write spaces over the values of the XMP properties that say where a picture
 * was taken or by which camera or owner (`XMP_PRIVATE`), in place: the packet
 * keeps its length and stays well-formed XML (an attribute's quotes and an
 * element's tags stay; only text between them goes). True when anything was
 * blanked. UTF-8 is read as bytes: a multi-byte letter becomes as many spaces.
 */
export function scrubXmp (xmp: Uint8Array): boolean {
  const text = latin1(xmp)
  let changed = false
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (xmp[k] !== 0x20) { xmp[k] = 0x20; changed = true }
    }
  }
  for (const m of text.matchAll(XMP_ATTRIBUTE)) {
    const start = m.index + m[1]!.length + 1 // after the opening quote
    blank(start, start + m[2]!.length - 2)
  }
  // Where each name's closing tags are, in order; each name's next one not yet passed.
  const closes = new Map<string, number[]>()
  for (const m of text.matchAll(XMP_CLOSE)) {
    const list = closes.get(m[1]!) ?? []
    list.push(m.index)
    closes.set(m[1]!, list)
  }
  const passed = new Map<string, number>()
  let done = 0 // the end of the last element blanked: what is in it was blanked with it
  let tagEnd = -1 // the first '>' at or after the opening tag last looked at
  for (const m of text.matchAll(XMP_OPEN)) {
    if (m.index < done) continue
    const name = m[1]!
    if (tagEnd < m.index) tagEnd = text.indexOf('>', m.index)
    if (tagEnd < 0) break // no tag after this one ends either
    const start = tagEnd + 1
    const list = closes.get(name) ?? []
    let next = passed.get(name) ?? 0
    while (next < list.length && list[next]! < start) next++
    passed.set(name, next)
    if (next === list.length) continue
    const end = list[next]!
    // Only the text between nested tags: the tags themselves stay, so the packet still parses.
    let inTag = false
    for (let k = start; k < end; k++) {
      const c = text[k]
      if (c === '<') inTag = true
      else if (c === '>') inTag = false
      else if (!inTag && c !== '\n' && c !== '\r' && c !== '\t' && c !== ' ') blank(k, k + 1)
    }
    done = end + name.length + 3
  }
  return changed
}

/** `bytes` as a string of one character a byte (so string offsets are byte offsets). */
function latin1 (bytes: Uint8Array): string {
  let out = ''
  for (let k = 0; k < bytes.length; k += 8192) out += String.fromCharCode(...bytes.subarray(k, k + 8192))
  return out
}
