import { peerIdFromString } from '@libp2p/peer-id'
import type { LanNode } from '../net/node.js'
import { fourTuple } from '../net/socket.js'
import type { Counters, EngineStats } from './stats.js'
import type { PeerStore } from './store.js'
import type { PeerView } from './types.js'
import { connectionView } from './views.js'

/** The peers this node has heard of, by id: their addresses and names. */
export type KnownPeers = PeerStore['state']['state']['peers']

/** P2PEngine.peers(): every known or connected peer, with its sockets. */
export function p2pPeers (node: LanNode | undefined, known: KnownPeers, isBlocked: (peerId: string) => boolean): PeerView[] {
  const ids = new Set([...Object.keys(known), ...(node?.services.chat.connectedPeers() ?? [])])
  return [...ids].map(peerId => {
    const conns = node?.getConnections(peerIdFromString(peerId)) ?? []
    const chatName = node?.services.chat.nameOf(peerId)
    return {
      peerId,
      name: chatName ?? known[peerId]?.name ?? '',
      connected: chatName !== undefined,
      blocked: isBlocked(peerId),
      addrs: known[peerId]?.addrs ?? [],
      connections: conns.map(connectionView)
    }
  })
}

/** P2PEngine.stats(), the contrast figures (see stats.ts): Lamport order, who is down, relays, hops, latency. */
export function p2pStats (node: LanNode | undefined, known: KnownPeers, isBlocked: (peerId: string) => boolean, counters: Counters): EngineStats {
  const chat = node?.services.chat
  const connected = new Set(chat?.connectedPeers() ?? [])
  const connections = [...connected].flatMap(peerId => (node?.getConnections(peerIdFromString(peerId)) ?? []).map(c => ({
    peerId, name: chat?.nameOf(peerId) ?? '', direction: c.direction, ...fourTuple(c)
  })))
  const peersDown = Object.keys(known).filter(p => !isBlocked(p)).filter(p => !connected.has(p))
  const state = peersDown.length === 0 ? 'ok' : connected.size === 0 ? 'down' : 'degraded'
  return {
    mode: 'p2p',
    orderedBy: 'lamport',
    order: '(Lamport time, author id): every peer computes the same order on its own, no one decides it',
    connections: connections.map(({ peerId, name, direction, local, remote }) => ({ peerId, name, direction, local, remote })),
    sent: counters.sent,
    received: counters.received,
    relayed: counters.relayed,
    ...counters.figures(),
    failure: {
      state,
      summary: state === 'ok'
        ? `${connected.size} peer${connected.size === 1 ? '' : 's'} connected`
        : state === 'down'
          ? `no peer connected (${peersDown.length} known): own messages wait for catch-up`
          : `${peersDown.length} peer${peersDown.length === 1 ? '' : 's'} down; the others go on`,
      peersDown
    }
  }
}
