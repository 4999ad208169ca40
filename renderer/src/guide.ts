/**
 * The guided walkthrough's text: one short step per idea of the lecture
 * (shared/seed, CS 43 "Network services and distributed systems"), each
 * pointing at the view of this app where it can be seen happening.
 */
import type { Panel } from './store'

export interface Concept {
  id: string
  title: string
  idea: string
  /** What to do in this app to see it. */
  try: string
  panel?: Panel
}

export const CONCEPTS: Concept[] = [
  {
    id: 'four-tuple',
    title: 'A socket is its 4-tuple',
    idea: 'A TCP socket is named by (source IP, source port, destination IP, destination port). A server keeps one socket per client, all on the same listening port.',
    try: 'Open Sockets: each connection shows its 4-tuple. Your listening port appears as the local port of the sockets you accepted (passive); the ones you dialed (active) got a port from the OS.',
    panel: 'sockets'
  },
  {
    id: 'multiplexing',
    title: 'Multiplexing',
    idea: 'Several conversations share one channel; a header says which one each piece belongs to, and the receiver demultiplexes.',
    try: 'In Sockets, one TCP connection carries every stream (yamux): the chat stream stays open, identify ran once when it connected, ping streams come and go to measure the RTT. Each names its protocol id; one socket, many streams.',
    panel: 'sockets'
  },
  {
    id: 'architectures',
    title: 'Client–server vs peer to peer',
    idea: 'A client initiates (active socket) and must know the server; the server waits passively. Peers are both at once.',
    try: 'Open Contrast, then switch the architecture in Settings (or host a server here): who orders, how many sockets, and what a failure does, side by side.',
    panel: 'contrast'
  },
  {
    id: 'partial-failure',
    title: 'Partial failure',
    idea: 'With many machines, one process or link can fail while the rest go on; nobody knows for sure what failed.',
    try: 'In the Partition lab, cut off one peer: that one link fails, the others keep chatting, and its messages still come around through them. In client–server mode, cut this app off from the hub: nothing is delivered here and your messages wait as pending, while the other clients chat on; only the hub itself failing stops everyone.',
    panel: 'lab'
  },
  {
    id: 'cap',
    title: 'CAP: pick two during a partition',
    idea: 'Consistency, availability, partition tolerance: when the network is split you cannot have both of the first two.',
    try: 'Cut off everyone and write on both sides: both stay available, histories disagree until heal ("merged N messages"). Client–server keeps one order, but the cut-off side cannot deliver.',
    panel: 'lab'
  },
  {
    id: 'lamport',
    title: 'Lamport order',
    idea: 'Wall clocks disagree, so "which came first" is decided by logical clocks: each event gets a counter bigger than everything it has seen.',
    try: 'Use the Order switch above the messages: Lamport order is the same on every peer; arrival order and the senders\' clocks are not. The Space-time view labels every arrow with Lamport times.',
    panel: 'diagram'
  },
  {
    id: 'causal',
    title: 'Causal consistency: Sally, James and Henry',
    idea: 'If James answers Sally\'s correction, Henry must see the correction before the answer, even if the network brings them the other way.',
    try: 'Run it live below on three real engines on this computer; then open Space-time in #causal-demo and click "What a relief!" to see its causal past.',
    panel: 'diagram'
  },
  {
    id: 'privacy',
    title: 'What encryption hides, and what a relay still sees',
    idea: 'Noise encrypts every connection, but each peer (or the hub) that relays a message reads it, unless the message itself is sealed for its readers only. Signatures prove who wrote it either way.',
    try: 'Send a direct message (✉ next to a peer) or create a private room: peers that relay it and the hub keep and forward only ciphertext, so nobody else can read it. They still see who wrote to whom (or in which room), when, and roughly how long (between up-to-date builds, texts are padded to a few sizes). A network key (Settings) keeps computers without it from connecting at all; mDNS announcements remain visible on the LAN.'
  }
]
