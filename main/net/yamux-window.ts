/**
 * Yamux window updates at half the window, not after every data frame.
 *
 * @libp2p/yamux (8.x) answers every data frame it receives with a
 * WINDOW_UPDATE frame: on a chat link, where each frame is a message of a
 * few hundred bytes, every envelope cost its receiver one more frame to
 * encrypt (Noise) and one more socket write back, and its sender one more
 * frame to read and decrypt. Yamux leaves it to the receiver when to grant
 * credit; Go's yamux and rust-yamux grant it once half of the window has
 * been taken, which is what this does (measured in BENCHMARKS.md: about a
 * sixth less CPU per one-to-one message). Flow control is unchanged: a
 * sender still never has more than a window in flight, and it gets credit
 * back before it could run out (half a window left). Stream opening and
 * acknowledgement frames (SYN/ACK flags), and a paused stream, go through
 * the library's own code as before.
 *
 * Applied once, to the library's stream class, by importing this module
 * (main/net/node.ts does): every yamux connection of the process uses it.
 */
import { StreamState, YamuxStream } from '@libp2p/yamux/stream'

interface WindowState {
  state: StreamState
  recvWindow: number
  recvWindowCapacity: number
  sendWindowUpdate: () => void
}

const applied = Symbol.for('lanchat.yamux-window')
const proto = YamuxStream.prototype as unknown as WindowState & { [applied]?: true }

if (proto[applied] !== true) {
  const original = proto.sendWindowUpdate
  proto.sendWindowUpdate = function (this: WindowState): void {
    // More than half of the window still free on an established stream: no credit to grant yet.
    if (this.state === StreamState.Established && this.recvWindowCapacity * 2 > this.recvWindow) return
    original.call(this)
  }
  proto[applied] = true
}

