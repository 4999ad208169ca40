import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ChaosPeer } from './chaos/cluster.js'
import { killAll } from './helpers/proc.js'
import { cleanup, startPeer, texts, until } from './helpers/peers.js'
import { relay } from './helpers/relay.js'

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('a peer that is busy, not gone', () => {
  const dirs: string[] = []
  const closers: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
    await killAll()
    await cleanup()
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('keeps its link through 16 s without answering (libp2p alone drops it after 5 s), and then gets what was said meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-busy-'))
    dirs.push(dir)
    const busy = new ChaosPeer('busy', dir)
    await busy.start()
    const a = await startPeer('alice')
    // Stopped as a process busy for seconds would be (SIGSTOP): libp2p's connection monitor pings every 10 s.
    // It stops the moment Alice hears its hello. Alice's way to it is 300 ms slow, so her own hello is
    // still on its way: it wakes past its 10 s wait for that hello, which sits in its socket, unread.
    const slow = await relay(busy.port, { delayMs: 300 })
    closers.push(slow.close)
    a.engine.on(e => { if (e.type === 'peer:connect' && e.peerId === busy.peerId && !busy.paused) busy.pause(16_000) })
    await a.engine.dial(`/ip4/127.0.0.1/tcp/${slow.port}/p2p/${busy.peerId}`)
    await until('linked', () => a.engine.peers().some(p => p.peerId === busy.peerId && p.connected))
    expect(busy.paused).toBe(true)
    const drops = (): number => a.events.filter(e => e.type === 'peer:disconnect' && e.peerId === busy.peerId).length
    await a.engine.send('lobby', 'said while you were busy')
    await sleep(16_500)
    expect(drops()).toBe(0)
    const heard = async (): Promise<boolean> => {
      const h = await busy.request({ cmd: 'history', room: 'lobby' }, 'history')
      return JSON.stringify(h).includes('said while you were busy')
    }
    let got = false
    for (let i = 0; i < 40 && !got; i++) { got = await heard(); if (!got) await sleep(250) }
    expect(got).toBe(true)
    expect(drops()).toBe(0)
    expect(texts(a)).toContain('said while you were busy')
  }, 60_000)
})
