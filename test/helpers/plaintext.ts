import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { encodeFrame, type Frame } from '../../main/net/codec.js'
import type { TestPeer } from './peers.js'

/**
 * Where a private text must not be: every byte a peer keeps on disk, and
 * every frame its mesh received. The privacy tests search both for the words.
 */

/** Every byte under a directory (the database, its WAL, the identity, settings). */
export function filesOf (dir: string): Buffer {
  const parts: Buffer[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    parts.push(statSync(p).isDirectory() ? filesOf(p) : readFileSync(p))
  }
  return Buffer.concat(parts)
}

export const holds = (bytes: Buffer, text: string): boolean => bytes.includes(Buffer.from(text, 'utf8'))

/** Every frame a peer's mesh received, re-encoded as the bytes it read. */
export function capture (p: TestPeer): Buffer[] {
  const frames: Buffer[] = []
  const t = p.engine.ordering!.transport as unknown as EventTarget
  t.addEventListener('frame', (e) => { frames.push(Buffer.from(encodeFrame((e as CustomEvent<{ frame: Frame }>).detail.frame))) })
  return frames
}
