/**
 * The search operators people bring from Slack (core/search-query.ts): has:file, has:image,
 * has:link, has:reply; before:, after: and on: a day of this computer's calendar, read on the
 * time a message is shown with; -word and OR; operators alone. Over real engines: public rooms
 * through the index, a DM and a private room sealed on disk and opened in memory.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { searchQuery } from '../main/core/search-query.js'
import { ftsQuery } from '../main/store/messages.js'
import { Attacker } from './helpers/attacker.js'
import { png } from './helpers/png.js'
import { cleanupHubs, startClient, startHub } from './helpers/hub.js'
import { cleanup, connect, startPeer, tempDir, until } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

function fileOf (bytes: Buffer, name: string): string {
  const path = join(tempDir('lanchat-src-'), name)
  writeFileSync(path, bytes)
  return path
}

/** A local calendar day as typed: 2026-12-01. */
const typed = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

describe('search operators', () => {
  it('reads has:, dates, -word and OR out of the words; what it cannot read is said in words', () => {
    const now = new Date(2026, 11, 6, 15, 30).getTime()
    expect(searchQuery('plan has:IMAGE in:#design before:2026-12-01', now)).toEqual({ words: 'plan', from: [], room: 'design', has: ['image'], until: new Date(2026, 11, 1).getTime() })
    // after: is from the next day on, as Slack reads it; on: is the day; the narrowest of several wins.
    expect(searchQuery('after:2026-11-30 on:2026-12-01', now)).toMatchObject({ words: '', since: new Date(2026, 11, 1).getTime(), until: new Date(2026, 11, 2).getTime() })
    expect(searchQuery('on:yesterday', now)).toMatchObject({ since: new Date(2026, 11, 5).getTime(), until: new Date(2026, 11, 6).getTime() })
    // Operators only where a word begins.
    expect(searchQuery('chas:x mon:y', now)).toEqual({ words: 'chas:x mon:y', from: [], has: [] })
    expect(() => searchQuery('before:yesterdayish')).toThrow('before: takes a date like 2026-12-01')
    expect(() => searchQuery('on:2026-02-30')).toThrow('on: takes a date like 2026-12-01')
    expect(() => searchQuery('after:')).toThrow('after: takes a date like 2026-12-01')
    expect(() => searchQuery('has:pdf')).toThrow(expect.objectContaining({ name: 'InvalidSearchError', message: expect.stringMatching(/^has: takes file, image, link or reply/) }))
    // The index's query: OR'ed words in brackets, words left out after the rest (FTS5 has no NOT alone).
    expect(ftsQuery('budget OR plan')).toBe('("budget" OR "plan"*)')
    // Words after an OR: AND said, as FTS5 wants it after a bracket.
    expect(ftsQuery('budget OR plan report')).toBe('("budget" OR "plan") AND "report"*')
    expect(ftsQuery('budget -draft')).toBe('("budget") NOT ("draft")')
    expect(ftsQuery('-draft')).toBe('')
    expect(ftsQuery('"pine apple" OR pie -"apple pie" -x')).toBe('("pine apple" OR "pie") NOT ("apple pie" OR "x")')
  })

  it('has:file, has:image, has:link and has:reply, with words or alone, in public rooms, a DM and a private room', async () => {
    const a = await startPeer('Ann')
    const b = await startPeer('Bob')
    await connect(a, b)
    const { room: board } = await a.engine.createPrivateRoom('Board')
    await b.engine.joinInvite(a.engine.invite(board))
    const link = await b.engine.send('lobby', 'the plan is at https://example.com/plan')
    const sent = [
      link,
      await b.engine.sendFile('lobby', fileOf(png(8, 8), 'team.png'), { text: 'team photo' }),
      await b.engine.sendFile('lobby', fileOf(Buffer.from('%PDF-1.4 plan'), 'report.pdf'), { text: 'quarterly report' }),
      await b.engine.send('lobby', 'agreed on the plan', { replyTo: link.id }),
      await b.engine.send('design', 'plan draft two'),
      await b.engine.sendFile('', fileOf(png(8, 8), 'beach.png'), { to: a.engine.peerId, text: 'beach plan' }),
      await b.engine.send('', 'weekend plan www and https://example.org', { to: a.engine.peerId }),
      await b.engine.send(board, 'board plan draft'),
      await b.engine.send(board, 'board final plan, see https://example.net')
    ]
    await until('ann has them all', () => sent.every(m => a.engine.ordering!.isDelivered(m.id)))
    const [, photo, report, reply, design, beach, weekend, boardDraft, boardFinal] = sent.map(m => m.id)
    const ids = (q: string, room?: string): string[] => a.engine.search(q, room).map(h => h.id)

    // Operators alone: everything they allow, newest first.
    expect(ids('has:image')).toEqual([beach, photo])
    expect(ids('has:file')).toEqual([beach, report, photo])
    expect(ids('has:link')).toEqual([boardFinal, weekend, link.id])
    expect(ids('has:reply')).toEqual([reply])
    expect(ids('has:file in:#lobby')).toEqual([report, photo])
    expect(ids('has:link', board)).toEqual([boardFinal])
    expect(ids('has:image from:@bob')).toEqual([beach, photo])
    // With words: both.
    expect(ids('plan has:link')).toEqual([boardFinal, weekend, link.id])
    expect(ids('photo has:link')).toEqual([])
    expect(ids('beach has:image')).toEqual([beach])
    // -word and OR, in the index and in what is sealed alike.
    expect(ids('plan -draft')).toEqual([boardFinal, weekend, beach, reply, link.id])
    expect(ids('draft OR quarterly')).toEqual([boardDraft, design, report])
    expect(ids('draft OR final', board)).toEqual([boardFinal, boardDraft])
    expect(ids('draft OR quarterly report')).toEqual([report])
    // Only words left out: every message without them.
    expect(ids('-plan in:#lobby')).toEqual([report, photo])
    expect(ids('-draft -final', board)).toEqual([])
    expect(a.engine.search('-plan in:#lobby')[0]!.snippet).toBe('quarterly report')

    // What FTS5 would read as its own syntax is only words to find, never an error.
    for (const q of ['"', '*', 'AND', 'NOT plan', 'NEAR(plan draft)', 'plan*', 'text:plan', '(plan', '^plan', 'plan OR', 'OR plan', 'OR', '-', '--plan', '-"', 'a"b', '-"" plan', 'plan -*']) {
      expect(() => a.engine.search(q), q).not.toThrow()
    }
    expect(ids('(plan draft)')).toEqual([boardDraft, design])
    expect(ids('NEAR(plan draft)')).toEqual([])
  })

  it('in client–server mode too: an edit is judged by what its message reads now', async () => {
    const h = await startHub()
    const x = await startClient('xena', h.addr())
    const y = await startClient('yuri', h.addr())
    await until('connected', () => x.engine.connected && y.engine.connected)
    const link = await x.engine.send('lobby', 'the plan is at https://example.com/old')
    await until('numbered', () => x.engine.history('lobby').every(m => m.pending !== true))
    const plain = await x.engine.send('lobby', 'plain plan', { replyTo: link.id })
    const moved = await x.engine.send('lobby', 'new plan at https://example.com/new')
    // Its link edited away: no longer a message with a link.
    await x.engine.edit('lobby', link.id, 'the plan moved, ask me')
    await until('yuri has the edit', () => y.engine.history('lobby').some(m => m.id === link.id && m.edited === true))
    await until('numbered', () => y.engine.search('plan').length === 3)
    expect(y.engine.search('has:link').map(m => m.id)).toEqual([moved.id])
    expect(y.engine.search('plan has:reply').map(m => m.id)).toEqual([plain.id])
    expect(y.engine.search('plan -example').map(m => m.id)).toEqual([plain.id, link.id])
    expect(y.engine.search('plan after:today')).toEqual([])
  }, 30_000)

  it('before:, after: and on: read the day a message is shown under, a clock ahead clamped to its arrival', async () => {
    const a = await startPeer('Ann')
    const mallory = await Attacker.connect(a.addr())
    const now = new Date()
    const twoDaysAgo = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 2, 12)
    // Written two days ago, caught up on (passed on late): dated as its author said.
    const old = await mallory.message('minutes of the old meeting', { sentAt: twoDaysAgo.getTime() })
    // Two days ahead: shown when it came, today, and searched so.
    const ahead = await mallory.message('minutes from a clock ahead', { sentAt: now.getTime() + 2 * 86_400_000, lamport: old.lamport + 1 })
    mallory.frame({ type: 'messages', messages: [{ message: old, hops: 0, late: true }, { message: ahead, hops: 0 }] })
    await mallory.drain()
    await until('ann has them', () => a.engine.ordering!.isDelivered(ahead.id))
    const mine = await a.engine.send('lobby', 'minutes of today')
    const ids = (q: string): string[] => a.engine.search(q).map(h => h.id)

    expect(ids(`minutes on:${typed(twoDaysAgo)}`)).toEqual([old.id])
    expect(ids('minutes before:today')).toEqual([old.id])
    expect(ids('on:today')).toEqual([mine.id, ahead.id])
    expect(ids('minutes after:yesterday')).toEqual([mine.id, ahead.id])
    expect(ids('after:today')).toEqual([])
    expect(ids(`after:${typed(new Date(twoDaysAgo.getFullYear(), twoDaysAgo.getMonth(), twoDaysAgo.getDate() - 1))} before:today`)).toEqual([old.id])
    await mallory.stop()
  })
})
