/**
 * The server's console (bin/lanchat server without --json): its commands typed as words, and
 * what it keeps of files said in a sentence.
 */
import { describe, expect, it } from 'vitest'
import { HubConsole } from '../main/app/hub-cli.js'

describe('the server console', () => {
  it('takes storage (with or without a slash) and says what the hub keeps for its clients', () => {
    const hubConsole = new HubConsole()
    for (const typed of ['storage', '/storage']) {
      const c = hubConsole.command(typed)
      expect('run' in c && c.run.operation).toBe('fileStorage')
    }
    expect(() => hubConsole.command('free')).toThrow(/the server takes stats, history \[ROOM\], peers, storage, help and quit/)
    const MiB = 2 ** 20
    expect(hubConsole.line({ type: 'storage', shared: { files: 0, bytes: 0 }, others: { files: 2, bytes: 3 * MiB }, partial: { files: 0, bytes: 0 } }))
      .toBe('* files kept for the clients: 2, 3.0 MiB')
    expect(hubConsole.line({ type: 'storage', shared: { files: 0, bytes: 0 }, others: { files: 0, bytes: 0 }, partial: { files: 1, bytes: 512 * 1024 } }))
      .toBe('* files kept for the clients: 0, 0 bytes; still fetching 1 (512 KiB so far)')
    // A hub started with --keep-files-gb says its limit and what happens past it.
    expect(hubConsole.line({ type: 'storage', shared: { files: 0, bytes: 0 }, others: { files: 2, bytes: 3 * MiB }, partial: { files: 0, bytes: 0 }, keepBytes: 2 ** 30 }))
      .toBe('* files kept for the clients: 2, 3.0 MiB (at most 1.0 GiB: the ones used longest ago are dropped, and fetched again when asked for)')
  })

  it('starts by naming the addresses clients type, as ip:port, each once', () => {
    const id = '12D3KooWM2ekbhYfPGzMxw9ap8jf8mFudU6s6VC77uRkD6YF4gEw'
    const line = new HubConsole().line({ type: 'ready', peerId: id, name: 'hub-1', mode: 'server', addrs: [`/ip4/127.0.0.1/tcp/4002/p2p/${id}`, `/ip4/192.168.1.20/tcp/4002/p2p/${id}`, '/ip4/192.168.1.20/tcp/4002'] })
    expect(line.split('\n').slice(1, 4)).toEqual([
      'clients connect with one of these addresses (lanchat peer --mode client --server ADDRESS, or in the app: Settings, Client–server, Server address):',
      '  127.0.0.1:4002',
      '  192.168.1.20:4002'
    ])
  })

  it('says when a fixed address it listens on (--listen) is gone: clients cannot reach it there, and what to do', () => {
    const id = '12D3KooWM2ekbhYfPGzMxw9ap8jf8mFudU6s6VC77uRkD6YF4gEw'
    const line = new HubConsole().line({ type: 'addresses', addrs: [], lost: [`/ip4/10.0.0.5/tcp/4002/p2p/${id}`] })
    expect(line).toMatch(/^! this computer no longer has the address you listen on \(--listen 10\.0\.0\.5:4002\): clients cannot reach you there\./)
    expect(line).toContain('--listen 0.0.0.0:4002')
    // Not also "no network address now": it has some, only not that one.
    expect(line).not.toMatch(/no network address/)
  })
})
