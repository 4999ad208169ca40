/**
 * What a script meets at the headless peer's stdio, below the process: its
 * lines read (stdio.ts) and its output written to a reader that is slow or
 * stuck (output.ts). The same over real processes: test/cli-script.test.ts.
 */
import { spawn } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { describe, expect, it, onTestFinished } from 'vitest'
import { Output } from './output.js'
import { Lines } from './stdio.js'

/** The events of a Lines over `chunks` written one by one. */
async function linesOf (chunks: Array<string | Buffer>, max?: number): Promise<Array<[string, ...unknown[]]>> {
  const input = new PassThrough()
  const lines = new Lines(input, max)
  const seen: Array<[string, ...unknown[]]> = []
  lines.on('line', l => seen.push(['line', l]))
  lines.on('long', (bytes, start) => seen.push(['long', bytes, start]))
  const closed = new Promise<void>(resolve => { lines.on('close', () => { seen.push(['close']); resolve() }) })
  for (const c of chunks) input.write(c)
  input.end()
  await closed
  return seen
}

describe('a script\'s lines', () => {
  it('end with \\n or \\r\\n, may be split anywhere (inside a character too), and the last needs no newline', async () => {
    const euro = Buffer.from('€')
    expect(await linesOf(['a\r\nb', '\nc', Buffer.from('\nd'), euro.subarray(0, 1), euro.subarray(1), '\r', '\n\nlast'])).toEqual([
      ['line', 'a'], ['line', 'b'], ['line', 'c'], ['line', 'd€'], ['line', ''], ['line', 'last'], ['close']
    ])
  })

  it('one longer than the limit is skipped as it comes, said in its place, and the next is read', async () => {
    const long = 'x'.repeat(100)
    expect(await linesOf(['before\n', long.slice(0, 30), long.slice(30), '\nafter\n', 'y'.repeat(50)], 40)).toEqual([
      ['line', 'before'], ['long', 100, 'x'.repeat(80)], ['line', 'after'], ['long', 50, 'y'.repeat(50)], ['close']
    ])
  })

  it('holds none of an endless line: what it keeps stays at the limit', async () => {
    const input = new PassThrough()
    const lines = new Lines(input, 1024)
    const long: number[] = []
    lines.on('long', bytes => long.push(bytes))
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    for (let i = 0; i < 1024; i++) input.write(chunk) // 64 MiB, no newline
    input.end('\n')
    await new Promise<void>(resolve => { lines.on('close', resolve) })
    expect(long).toEqual([64 * 2 ** 20])
  })
})

describe('output for a reader that is behind', () => {
  /** A real pipe to `cat`, whose output is not read until `read()`: a script that stopped reading. */
  function stuckReader (): { stdin: NodeJS.WritableStream & { writableLength: number, destroyed: boolean }, read: (until: () => Promise<void>) => Promise<string[]> } {
    const cat = spawn('cat', [], { stdio: ['pipe', 'pipe', 'ignore'] })
    onTestFinished(() => { cat.kill() })
    // What is still queued when the test kills it fails to be written: not the test's business.
    cat.stdin.on('error', () => {})
    cat.stdout.pause()
    return {
      stdin: cat.stdin,
      // Read again, until `until` (what the writer does meanwhile) is done, then to the end.
      read: async (until) => {
        let text = ''
        cat.stdout.on('data', (b: Buffer) => { text += b.toString() })
        cat.stdout.resume()
        await until()
        cat.stdin.end()
        await new Promise(resolve => { cat.on('close', resolve) })
        return text.split('\n').filter(l => l !== '')
      }
    }
  }

  it('past the bound drops events nobody asked for, never answers, and says how many went once the reader is back', async () => {
    const { stdin, read } = stuckReader()
    const out = new Output(stdin, { maxUnread: 256 * 1024, notice: d => JSON.stringify({ type: 'dropped', ...d }) })
    const event = (i: number, room: string): string => JSON.stringify({ type: 'message', room, text: `${i} ${'z'.repeat(1000)}` })
    for (let i = 0; i < 2000; i++) {
      out.event(event(i, i % 2 === 0 ? 'lobby' : 'random'), { room: i % 2 === 0 ? 'lobby' : 'random', message: true })
      if (i % 100 === 0) out.answer(JSON.stringify({ type: 'done', ref: i }))
    }
    // Held: the bound and what came in the write that crossed it, and the answers; not 2 MB of events.
    expect(out.unread).toBeLessThan(256 * 1024 + 64 * 1024)
    const lines = (await read(async () => { await out.flush(10_000) })).map(l => JSON.parse(l) as { type: string, ref?: number, events?: number, messages?: number, rooms?: string[] })
    expect(lines.filter(l => l.type === 'done').map(l => l.ref)).toEqual(Array.from({ length: 20 }, (_, k) => k * 100))
    const written = lines.filter(l => l.type === 'message').length
    const dropped = lines.filter(l => l.type === 'dropped')
    expect(dropped).toHaveLength(1)
    expect(dropped[0]).toMatchObject({ events: 2000 - written, messages: 2000 - written })
    expect(dropped[0]!.rooms!.toSorted()).toEqual(['lobby', 'random'])
    expect(written).toBeGreaterThan(100)
  })

  it('flush waits for a slow reader to take everything, and gives up on one that takes nothing', async () => {
    const slow = stuckReader()
    const out = new Output(slow.stdin, { notice: () => '' })
    for (let i = 0; i < 1000; i++) out.answer('y'.repeat(1000))
    expect(out.unread).toBeGreaterThan(500_000)
    // The reader takes it all while flush waits, and flush ends with nothing left unread.
    const done = out.flush(5000)
    expect(await slow.read(async () => { await done })).toHaveLength(1000)
    expect(out.unread).toBe(0)

    const stuck = stuckReader()
    const gone = new Output(stuck.stdin, { notice: () => '' })
    for (let i = 0; i < 1000; i++) gone.answer('y'.repeat(1000))
    // It ends with the bytes still there: given up on, not waited for without end.
    await gone.flush(300)
    expect(gone.unread).toBeGreaterThan(0)
  })
})
