/**
 * Profiles let one computer run several LAN Chat instances, each with its own
 * identity, history and settings: `npm start -- --profile bob` or
 * `LANCHAT_PROFILE=bob npm start`. The name becomes a directory, so it is
 * kept to a safe alphabet.
 */
import { InvalidRequestError } from './errors.js'

export const DEFAULT_PROFILE = 'default'
const PROFILE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/

export function profileFrom(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  let chosen: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--profile') chosen = argv[i + 1]
    else if (arg.startsWith('--profile=')) chosen = arg.slice('--profile='.length)
  }
  chosen ??= env.LANCHAT_PROFILE
  if (chosen === undefined || chosen === '') return DEFAULT_PROFILE
  if (!PROFILE.test(chosen)) {
    throw new InvalidRequestError(`Profile "${chosen}" is not allowed: use up to 32 letters, digits, "-" or "_".`)
  }
  return chosen
}
