/**
 * Bytes on the wire, counted at the TCP level for whatever runs in this process.
 *
 * Node publishes every socket it creates on the `net.client.socket` and
 * `net.server.socket` diagnostics channels. We keep each one and read its
 * `bytesWritten`, so raw TCP, gossipsub and the LAN Chat engine are counted the
 * same way (headers, Noise, yamux and protobuf framing included), without any
 * hook in the code under test.
 */
import dc from 'node:diagnostics_channel'
import type { Socket } from 'node:net'

const sockets = new Set<Socket>()
let installed = false

function track (message: unknown): void {
  const socket = (message as { socket?: Socket }).socket
  if (socket != null) {
    sockets.add(socket)
    // Keep the final count after close: bytesWritten survives on the object.
  }
}

export function installWireCounter (): void {
  if (installed) return
  installed = true
  dc.subscribe('net.client.socket', track)
  dc.subscribe('net.server.socket', track)
}

/** Total bytes written by every TCP socket seen so far (both ends count, loopback). */
export function bytesWritten (): number {
  let total = 0
  for (const socket of sockets) total += socket.bytesWritten
  return total
}

/** Forget sockets that are closed, so the set does not grow across scenarios. */
export function pruneClosed (): void {
  for (const socket of sockets) if (socket.destroyed) sockets.delete(socket)
}

/** Open TCP sockets seen by the counter; two per loopback connection. */
export function openSockets (): number {
  let open = 0
  for (const socket of sockets) if (!socket.destroyed) open++
  return open
}
