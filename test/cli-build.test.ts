/**
 * bin/lanchat and a peer on an older LAN Chat (a stock libp2p node whose
 * chat hello says no build, as builds before versions were said): the
 * terminal prints once what that peer misses and /peers marks it; --json's
 * peer:connect carries the build and, once, the notice.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_VERSION } from '../main/net/constants.js'
import { Attacker } from './helpers/attacker.js'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat, type Proc } from './helpers/proc.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
const lines = (p: Proc): string[] => p.events.filter(e => e.type === 'not-json').map(e => String(e.line))

describe('bin/lanchat peer and an older peer', () => {
  it('the terminal says once what an older peer misses, and /peers marks it older', async () => {
    const ann = lanchat(['peer', '--name', 'ann', '--data', tempDir('lanchat-ann-'), ...LOOP])
    await until('address', () => lines(ann).some(l => /^ {2}127\.0\.0\.1:\d+$/.test(l)))
    const port = lines(ann).find(l => /^ {2}127\.0\.0\.1:\d+$/.test(l))!.trim().split(':')[1]!
    ann.child.stdin.write('/peers\n')
    await until('own id said', () => lines(ann).some(l => l.includes('(no peers)')))
    const ready = lines(ann).find(l => l.startsWith('LAN Chat peer'))!
    const annId = /\((12D3Koo\w+)\)/.exec(ready)![1]!
    const key = await generateKeyPair('Ed25519')
    const olga = await Attacker.connect(`/ip4/127.0.0.1/tcp/${port}/p2p/${annId}`, 'olga', { key })
    const told = (): string[] => lines(ann).filter(l => l.startsWith('! olga runs an older LAN Chat'))
    await until('told', () => told().length === 1, 15_000)
    expect(told()[0]).toContain(`update to LAN Chat ${APP_VERSION}`)
    ann.child.stdin.write('/peers\n')
    await until('listed older', () => lines(ann).some(l => l.includes(`olga ${olga.peerId} [older LAN Chat]`)))
    // Back after a while: no second notice.
    await olga.stop()
    await until('left', () => lines(ann).some(l => l.startsWith('* olga left')), 15_000)
    const again = await Attacker.connect(`/ip4/127.0.0.1/tcp/${port}/p2p/${annId}`, 'olga', { key })
    await until('joined again', () => lines(ann).filter(l => l.startsWith('* olga joined')).length === 2, 15_000)
    ann.child.stdin.write('/peers\n')
    await until('listed again', () => lines(ann).filter(l => l.includes(`olga ${olga.peerId} [older LAN Chat]`)).length === 2)
    expect(told()).toHaveLength(1)
    await again.stop()
  }, 60_000)

  it('--json: peer:connect carries the build, and the notice once', async () => {
    const bo = lanchat(['peer', '--json', '--name', 'bo', '--data', tempDir('lanchat-bo-'), ...LOOP])
    const ready = await bo.waitFor('ready', e => e.type === 'ready')
    const olga = await Attacker.connect((ready.addrs as string[])[0]!, 'olga')
    const conn = await bo.waitFor('olga linked', e => e.type === 'peer:connect' && e.peerId === olga.peerId)
    expect(conn).toMatchObject({ name: 'olga', build: { level: 0, compared: 'older' } })
    expect(conn.notice).toMatch(/^olga runs an older LAN Chat .*🔒/)
    bo.send({ cmd: 'peers' })
    const peers = await bo.waitFor('peers', e => e.type === 'peers')
    expect((peers.peers as Array<{ peerId: string, build?: unknown }>).find(p => p.peerId === olga.peerId)?.build).toEqual({ level: 0, compared: 'older' })
    await olga.stop()
  }, 60_000)
})
