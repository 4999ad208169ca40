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
    return `the hub ${who} runs an older LAN Chat (${named(theirs)}; yours is ${ours.version}): ${hubMissed(theirs.level)}; ask whoever runs it to update to LAN Chat ${ours.version}`
  }
  return `${who} runs an older LAN Chat (${named(theirs)}; yours is ${ours.version}): ${[...missed(theirs.level), 'and some newer things do not reach them'].join(', ')}; they should update to LAN Chat ${ours.version}`
}

/**
 * What an older hub of `level` misses, in words: nothing private is written to a hub, so not what a person
 * misses; every hub that says its level says its largest file too (level 1 came after it): only one from before levels does not.
 */
function hubMissed (level: number): string {
  return `${level < 1 ? 'it does not say its largest file, and ' : ''}newer things may not reach everyone`
}

/** A peer list's tooltip on an older or newer peer's mark (`hub`: the client's hub, a server, not a person): what it means, short. */
export function buildHint (b: PeerBuild, hub = false): string {
  if (b.compared === 'newer') return `Runs a newer ${buildLabel({ ...b, compared: 'same' })}: update yours to see all ${hub ? 'that comes through it' : 'they send'}`
  const older = `Runs an older LAN Chat${b.version !== undefined ? ` (${b.version})` : ''}`
  if (hub) return `${older}: ${hubMissed(b.level)}`
  return `${older}: ${[...missed(b.level), 'and some newer things do not reach them'].join(', ')}`
}

/** A peer's build in a few words for a peer list: "LAN Chat 0.1.0", "older LAN Chat 0.0.9", "older LAN Chat" (one that does not say). */
export function buildLabel (b: PeerBuild): string {
  const which = b.compared === 'same' ? '' : `${b.compared} `
  return `${which}LAN Chat${b.version !== undefined ? ` ${b.version}` : ''}`
}
