/**
 * The files section's floor: SRC read, sent over one TCP socket on 127.0.0.1
 * and written to DST, no encryption; resolves with the milliseconds it took.
 * The section runs it as a process of its own with Node's defaults (no V8
 * flags: "plain node:net"), which prints the milliseconds, and once inside
 * its own process for reference.
 *
 *   node bench/lib/raw-copy.ts SRC DST
 */
import { createReadStream, createWriteStream } from 'node:fs'
import net from 'node:net'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'

export async function rawCopy (src: string, dst: string): Promise<number> {
  const server = net.createServer((socket) => { void pipeline(createReadStream(src, { highWaterMark: 1024 * 1024 }), socket) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  const t0 = performance.now()
  const socket = net.connect({ port, host: '127.0.0.1' })
  await pipeline(socket, createWriteStream(dst))
  const ms = performance.now() - t0
  server.close()
  return ms
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [src, dst] = process.argv.slice(2)
  if (src === undefined || dst === undefined) throw new Error('usage: raw-copy.ts SRC DST')
  process.stdout.write(`${await rawCopy(src, dst)}\n`)
}
