/**
 * A file name for an export of the conversation `where` (as its header names it: "#lobby", "@Ada",
 * "Design team"): `space-time-` and the name with what no system's file names allow (Windows
 * refuses `\ / : * ? " < > |`) or would hide (a leading dot, spaces) made dashes.
 */
export function exportName(where: string): string {
  const safe = where
    .replace(/^[#@]/, '')
    .replace(/[\\/:*?"<>|\p{Cc}\s]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)
  return `space-time-${safe === '' ? 'conversation' : safe}`
}
