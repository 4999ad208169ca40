/**
 * The systems compared, in table order. A system without an implementation yet
 * carries the reason, which the table prints in its slot.
 */
import type { Topology } from '../lib/harness.js'
import type { SystemId } from '../lib/report.js'
import { rawTcpStar } from './raw-tcp.js'
import { gossipsubStar } from './gossipsub.js'
import { lanchatStar } from './lanchat.js'
import { lanchatCsStar } from './lanchat-cs.js'

export interface System {
  id: SystemId
  /** One sender, `receivers` receivers, connected and ready to send. */
  star?: (receivers: number) => Promise<Topology>
  na?: string
}

export const SYSTEMS: System[] = [
  { id: 'raw-tcp', star: rawTcpStar },
  { id: 'gossipsub', star: gossipsubStar },
  { id: 'lanchat-p2p', star: lanchatStar },
  { id: 'lanchat-cs', star: lanchatCsStar }
]
