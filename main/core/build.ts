/**
 * Which LAN Chat a peer runs, as its hello says, compared with ours: a
 * build that adds something older builds miss (a new optional field, a
 * sealed reaction older peers show as a lock) raises the feature level, so a
 * person can be told that someone will not see everything.
 *
 *   cleanAppVersion('0.2.0\u0007' + 'x'.repeat(1e6))   // '0.2.0x…' (32 characters at most, no control characters)
 *   compareBuild({ version: '0.1.0', level: 0 }, 1)    // 'older'
 */

/** The feature level from which a build opens padded private texts (chat/padding.ts): only such peers are sent them. */
export const PADDED_LEVEL = 2

/** What a person is told an older build of `level` misses of what we write privately, from the oldest builds' first. */
function missed (level: number): string[] {
  return [
    ...level < 1 ? ['reactions in private conversations show to them as 🔒'] : [],
    ...level < PADDED_LEVEL ? ['private texts to them go unpadded (relays see their length)'] : []
  ]
}

/** A build as a hello says it: its version and feature level (0: a build from before hellos said either). */
export interface AppBuild { version?: string; level: number }

/** A peer's build as the peer list shows it: `compared` to ours by feature level. */
export interface PeerBuild extends AppBuild { compared: 'older' | 'same' | 'newer' }

/** Longest version string kept from a hello; the rest is cut. */
export const MAX_APP_VERSION_CHARS = 32

/**
 * A version string from the wire, made safe to show: only letters, digits and
 * `.+-_` are kept (no control, direction or invisible characters, no spaces
 * or markup), at most MAX_APP_VERSION_CHARS of them; undefined when nothing is left.
 */
export function cleanAppVersion (raw: string): string | undefined {
  // Cut first: a 1 MB string is not scanned whole.
  const kept = raw.slice(0, MAX_APP_VERSION_CHARS * 4).replace(/[^0-9A-Za-z.+\-_]/g, '').slice(0, MAX_APP_VERSION_CHARS)
  return kept === '' ? undefined : kept
}

/** A feature level from the wire: a whole number, 0 for anything else. */
export function cleanLevel (raw: number): number {
  return Number.isSafeInteger(raw) && raw > 0 ? raw : 0
}

export function compareBuild (theirs: AppBuild, ourLevel: number): PeerBuild['compared'] {
  return theirs.level < ourLevel ? 'older' : theirs.level > ourLevel ? 'newer' : 'same'
}

export function peerBuild (theirs: AppBuild | undefined, ourLevel: number): PeerBuild {
  const b = theirs ?? { level: 0 }
  return { ...(b.version !== undefined ? { version: b.version } : {}), level: b.level, compared: compareBuild(b, ourLevel) }
}

/** Its version, or what a build that did not say is. */
function named (b: AppBuild): string {
  return b.version ?? 'a build from before versions were said'
}

/**
 * What to tell a person once about a peer (`hub`: the client's hub) whose build
 * differs from ours, in words; undefined when it is the same.
 */
export function buildNotice (who: string, theirs: PeerBuild, ours: { version: string }, hub = false): string | undefined {
  if (theirs.compared === 'same') return undefined
  if (theirs.compared === 'newer') {
    return `${who} runs a newer LAN Chat (${theirs.version ?? 'unknown version'}; yours is ${ours.version}): some of what they send may not show here until you update LAN Chat`
  }
  if (hub) {
    // Hubs have said their largest file since the day hellos said a build (level 1): only one saying none lacks it.
    const largest = theirs.level < 1 ? 'it does not say its largest file, and ' : ''
    return `the hub ${who} runs an older LAN Chat (${named(theirs)}; yours is ${ours.version}): ${largest}newer things may not reach everyone; ask whoever runs it to update to LAN Chat ${ours.version}`
  }
  return `${who} runs an older LAN Chat (${named(theirs)}; yours is ${ours.version}): ${[...missed(theirs.level), 'and some newer things do not reach them'].join(', ')}; they should update to LAN Chat ${ours.version}`
}

/**
 * A peer list's tooltip on an older or newer peer's mark: what it means, short. `hub`: the client's
 * hub, which nobody writes to privately: what an older person misses (reactions, padding) is not its.
 */
export function buildHint (b: PeerBuild, hub = false): string {
  if (b.compared === 'newer') return `Runs a newer ${buildLabel({ ...b, compared: 'same' })}: update yours to see all they send`
  if (hub) return `Runs an older LAN Chat${b.version !== undefined ? ` (${b.version})` : ''}: as the server, newer things may not reach everyone through it; ask whoever runs it to update`
  return `Runs an older LAN Chat${b.version !== undefined ? ` (${b.version})` : ''}: ${[...missed(b.level), 'and some newer things do not reach them'].join(', ')}`
}

/** A peer's build in a few words for a peer list: "LAN Chat 0.1.0", "older LAN Chat 0.0.9", "older LAN Chat" (one that does not say). */
export function buildLabel (b: PeerBuild): string {
  const which = b.compared === 'same' ? '' : `${b.compared} `
  return `${which}LAN Chat${b.version !== undefined ? ` ${b.version}` : ''}`
}
