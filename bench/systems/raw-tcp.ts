/**
 * Baseline (a), the floor: plain TCP on 127.0.0.1, one JSON object per line,
 * no encryption, no signature, nothing persisted. The sender holds one socket
 * per receiver (a star) and writes each line to each; a receiver splits lines
 * and JSON.parses them, which is the least any chat wire format must do.
 */
import net from 'node:net'
import type { Topology } from '../lib/harness.js'

interface Line { id: number, body: string }

function listen (server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))
  })
}

function connect (port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Calls `onLine` for each complete line; keeps the partial tail between chunks. */
function lineReader (socket: net.Socket, onLine: (line: string) => void): void {
  let tail = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    const text = tail + chunk
    let start = 0
    let nl = text.indexOf('\n', start)
    while (nl !== -1) {
      onLine(text.slice(start, nl))
      start = nl + 1
      nl = text.indexOf('\n', start)
    }
    tail = text.slice(start)
  })
}

export async function rawTcpStar (receivers: number): Promise<Topology> {
  let deliver: () => void = () => {}
  const servers: net.Server[] = []
  const accepted: net.Socket[] = []
  const outs: net.Socket[] = []
  for (let r = 0; r < receivers; r++) {
    const server = net.createServer({ noDelay: true }, (socket) => {
      accepted.push(socket)
      lineReader(socket, (line) => {
        const msg = JSON.parse(line) as Line
        if (typeof msg.body === 'string') deliver()
      })
    })
    servers.push(server)
    outs.push(await connect(await listen(server)))
  }
  let nextId = 0
  // One pending 'drain' wait per socket, shared by every send that hit a full buffer.
  const draining = new Map<net.Socket, Promise<void>>()
  const drained = (socket: net.Socket): Promise<void> => {
    let wait = draining.get(socket)
    if (wait == null) {
      wait = new Promise((resolve) => socket.once('drain', () => { draining.delete(socket); resolve() }))
      draining.set(socket, wait)
    }
    return wait
  }
  return {
    receivers,
    send (body) {
      const line = JSON.stringify({ id: nextId++, body } satisfies Line) + '\n'
      const full: Array<Promise<void>> = []
      for (const socket of outs) {
        if (!socket.write(line)) full.push(drained(socket))
      }
      return full.length > 0 ? Promise.all(full).then(() => {}) : undefined
    },
    onDeliver (fn) { deliver = fn },
    connections: () => outs.filter((s) => !s.destroyed).length,
    async close () {
      for (const socket of [...outs, ...accepted]) socket.destroy()
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
    }
  }
}
