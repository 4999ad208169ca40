/**
 * The files section's floor: SRC read, sent over one TCP socket on 127.0.0.1
 * and written to DST, no encryption; resolves with the milliseconds it took.
 * The section runs it as a process of its own with Node's defaults (no V8
 * flags: "plain node:net"), which prints the milliseconds, and once inside
 * its own process for reference.
 *
 *   node bench/lib/raw-copy.ts SRC DST
 *
 * Or its two ends as two processes (two hosts of lib/lan-link.ts): `serve`
 * prints its port and sends SRC to the first connection, `fetch` writes what
 * it reads to DST and prints the milliseconds from connecting to the end.
 *
 *   node bench/lib/raw-copy.ts serve SRC HOST
 *   node bench/lib/raw-copy.ts fetch HOST PORT DST
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

function serveOnce (src: string, host: string): void {
  const server = net.createServer((socket) => {
    server.close()
    void pipeline(createReadStream(src, { highWaterMark: 1024 * 1024 }), socket)
  })
  server.listen(0, host, () => { process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`) })
}

async function fetchOnce (host: string, port: number, dst: string): Promise<number> {
  const t0 = performance.now()
  await pipeline(net.connect({ port, host }), createWriteStream(dst))
  return performance.now() - t0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [a, b, c, d] = process.argv.slice(2)
  if (a === 'serve' && b !== undefined && c !== undefined) serveOnce(b, c)
  else if (a === 'fetch' && b !== undefined && Number(c) > 0 && d !== undefined) process.stdout.write(`${await fetchOnce(b, Number(c), d)}\n`)
  else if (a !== undefined && b !== undefined && c === undefined) process.stdout.write(`${await rawCopy(a, b)}\n`)
  else throw new Error('usage: raw-copy.ts SRC DST | serve SRC HOST | fetch HOST PORT DST')
}
