/**
 * Row (e), the floor of catch-up streaming: libp2p alone — tcp + Noise +
 * yamux, one stream, no engine. The sender writes K messages' worth of bytes
 * (as many bytes a message as LAN Chat's catch-up put on the wire for the same
 * K, so both move the same volume) in length-prefixed frames of BATCH_BYTES,
 * waiting for the stream to drain after each frame, as LAN Chat's answers do
 * (main/chat/answers.ts, sendBatches). The receiver only splits the frames
 * and counts them: no decoding, no signature, no database. Timed from the
 * first byte sent to the last frame taken (the connection is open before, as
 * LAN Chat's row starts at peer:connect).
 */
import { noise } from '@chainsafe/libp2p-noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import * as lp from 'it-length-prefixed'
import { createLibp2p, type Libp2p } from 'libp2p'
import { BATCH_BYTES } from '../../main/net/constants.js'
import { median, now } from '../lib/stats.js'
import { bytesWritten } from '../lib/wire.js'

const PROTOCOL = '/lanchat-bench/floor/1.0.0'

async function node (): Promise<Libp2p> {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
}

/** One stream of `k` messages of `messageBytes`, in frames of about BATCH_BYTES: ms from first byte to last frame. */
async function once (a: Libp2p, b: Libp2p, k: number, messageBytes: number): Promise<number> {
  const perFrame = Math.max(1, Math.floor(BATCH_BYTES / messageBytes))
  const frames = Math.ceil(k / perFrame)
  let got = 0
  let done!: () => void
  const finished = new Promise<void>(resolve => { done = resolve })
  await b.handle(PROTOCOL, async (stream) => {
    for await (const _frame of lp.decode(stream, { maxDataLength: 4 * BATCH_BYTES })) if (++got === frames) done()
  }, { force: true })
  const stream = await a.dialProtocol(b.getMultiaddrs()[0]!, PROTOCOL)
  const t0 = now()
  let left = k
  while (left > 0) {
    const n = Math.min(perFrame, left)
    left -= n
    stream.send(lp.encode.single(new Uint8Array(n * messageBytes)))
    if (stream.writeBufferLength > 0) await stream.onDrain()
  }
  await finished
  const ms = now() - t0
  await stream.close()
  return ms
}

/** The floor's catch-up rows: median time and wire bytes (both ways) of `reps` for each K, with LAN Chat's bytes per message for that K. */
export async function libp2pFloor (ks: Array<{ k: number, messageBytes: number }>, reps: number): Promise<Array<{ k: number, ms: number, bytes: number }>> {
  const [a, b] = [await node(), await node()]
  try {
    await a.dial(b.getMultiaddrs()[0]!)
    const out: Array<{ k: number, ms: number, bytes: number }> = []
    for (const { k, messageBytes } of ks) {
      const times: number[] = []
      const bytes: number[] = []
      for (let r = 0; r < reps; r++) {
        const bytes0 = bytesWritten()
        times.push(await once(a, b, k, messageBytes))
        bytes.push(bytesWritten() - bytes0)
      }
      out.push({ k, ms: median(times), bytes: median(bytes) })
    }
    return out
  } finally {
    await Promise.all([a.stop(), b.stop()])
  }
}
