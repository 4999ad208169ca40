/**
 * The files section's floor, as a process of its own with Node's defaults
 * (no V8 flags: "plain node:net"): SRC read, sent over one TCP socket on
 * 127.0.0.1 and written to DST, no encryption. Prints the milliseconds.
 *
 *   node bench/lib/raw-copy.mjs SRC DST
 */
import { createReadStream, createWriteStream } from 'node:fs'
import net from 'node:net'
import { pipeline } from 'node:stream/promises'

const [src, dst] = process.argv.slice(2)
if (src === undefined || dst === undefined) throw new Error('usage: raw-copy.mjs SRC DST')
const server = net.createServer((socket) => { void pipeline(createReadStream(src, { highWaterMark: 1024 * 1024 }), socket) })
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const t0 = performance.now()
const socket = net.connect({ port: server.address().port, host: '127.0.0.1' })
await pipeline(socket, createWriteStream(dst))
const ms = performance.now() - t0
server.close()
process.stdout.write(`${ms}\n`)
