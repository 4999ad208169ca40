import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { StoreError } from './errors.js'
import { writeFileAtomic } from './files.js'

export const IDENTITY_FILE = 'identity.key'

/**
 * The peer's Ed25519 key: made on first start, then the same for ever in this
 * data directory, so the peer id (derived from it) survives restarts.
 */
export async function loadOrCreateIdentity (dataDir: string): Promise<PrivateKey> {
  const path = join(dataDir, IDENTITY_FILE)
  let bytes: Uint8Array | undefined
  try {
    bytes = readFileSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (bytes !== undefined) {
    try {
      return privateKeyFromProtobuf(bytes)
    } catch (err) {
      throw new StoreError(`${path} is not a valid key (${(err as Error).message}); move it away to start with a new identity`)
    }
  }
  const key = await generateKeyPair('Ed25519')
  writeFileAtomic(path, privateKeyToProtobuf(key))
  return key
}
