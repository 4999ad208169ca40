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
/** `<prefix:Name …>…</prefix:Name>`: the content is group 2 (it may hold nested elements: only their text is blanked). */
const XMP_ELEMENT = new RegExp(String.raw`(<(${XMP_PRIVATE})(?:\s[^>]*)?>)([\s\S]*?)</\2>`, 'g')

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
  for (const m of text.matchAll(XMP_ELEMENT)) {
    const start = m.index + m[1]!.length
    const inner = m[3]!
    // Only the text between nested tags: the tags themselves stay, so the packet still parses.
    let inTag = false
    for (let k = 0; k < inner.length; k++) {
      const c = inner[k]
      if (c === '<') inTag = true
      else if (c === '>') inTag = false
      else if (!inTag && c !== '\n' && c !== '\r' && c !== '\t' && c !== ' ') blank(start + k, start + k + 1)
    }
  }
  return changed
}

/** `bytes` as a string of one character a byte (so string offsets are byte offsets). */
function latin1 (bytes: Uint8Array): string {
  let out = ''
  for (let k = 0; k < bytes.length; k += 8192) out += String.fromCharCode(...bytes.subarray(k, k + 8192))
  return out
}
