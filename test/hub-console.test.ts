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
  })
})
