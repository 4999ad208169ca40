/**
 * A refused request in words a person reads. Each schema says its own rules
 * where people meet them ("A status has at most 80 characters."); the rest of
 * zod's checks ("Too small: expected string to have >=1 characters") are said
 * here, naming the field as a command names it.
 *
 * @example
 * ```ts
 * requestSchemas.switchMode.safeParse({ mode: 'foo' }, { error: plainWords })
 * // issue message: '"mode" is p2p or client'
 * ```
 */
import type { z } from 'zod'

/** Fields a JSON command spells otherwise than the request it makes (lines.ts): said as the person typed them. */
const TYPED_AS: Record<string, string> = { status: 'text', address: 'addr' }

const KIND: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'an object', array: 'a list' }

/** `a`, `a or b`, `a, b or c`. */
const either = (values: readonly unknown[]): string => {
  const said = values.map(String)
  return said.length <= 1 ? said.join('') : `${said.slice(0, -1).join(', ')} or ${said.at(-1)!}`
}

/** zod's per-parse error map: called only for checks whose schema gave no message of its own. */
export function plainWords (issue: z.core.$ZodRawIssue): string | undefined {
  const key = issue.path?.at(-1)
  const field = key === undefined ? 'the request' : `"${TYPED_AS[String(key)] ?? String(key)}"`
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `${field} is missing` : `${field} should be ${KIND[issue.expected] ?? issue.expected}`
    case 'invalid_value': return `${field} is ${either(issue.values)}`
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${field} cannot be empty` : `${field} needs at least ${issue.minimum} characters`
      return `${field} is at least ${issue.minimum}`
    case 'too_big':
      return issue.origin === 'string' ? `${field} has at most ${issue.maximum} characters` : `${field} is at most ${issue.maximum}`
    case 'invalid_format': return `${field} is not in the right form`
    case 'unrecognized_keys': return `${issue.keys.map(k => `"${k}"`).join(', ')} ${issue.keys.length === 1 ? 'is' : 'are'} not known here`
    default: return undefined
  }
}
