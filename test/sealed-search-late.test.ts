/**
 * A search by date walks a direct conversation down in its order (Lamport time) and leaves it where a whole page
 * arrived before the first day asked for. A message its author wrote while away, its Lamport time that of long
 * ago, sits far below what arrived since: it is found all the same when it arrived (or, imported from before
 * SQLite, when its arrival is not known) on or after that day. A conversation written straight into a real
 * database (sealed as each one's engine seals it), searched through a real engine.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, startPeer } from './helpers/peers.js'
import { writeDm as writeRows, type DmRow } from './helpers/sealed-dm.js'

afterEach(async () => { await cleanup() })

/** A message in the order it arrived, at its Lamport time; `deliveredAt` 0: imported, its arrival not known. */
type Row = DmRow

const writeDm = async (rows: readonly Row[]): ReturnType<typeof writeRows> => await writeRows(rows, 'lanchat-late-dm-')

const MINUTE = 60_000
const FIRST = new Date(2025, 2, 2, 9).getTime()
const LATER = new Date(2025, 3, 1, 9).getTime()
/** The day Ann, back after a month away, wrote to the reader: ten days after the reader's notes to her. */
const BACK = new Date(2025, 3, 11, 9).getTime()
const BACK_DAY = '2025-04-11'

/**
 * Ann and the reader's first day (Lamport 1–10), then the reader's 1,000 notes to an Ann away (from Lamport 11), then
 * Ann's message on her return: written with her clock of the first day (Lamport 11), so it sits below all the notes
 * but one, and arrived last. `imported`: every row's arrival time is not known.
 */
function conversation (imported: boolean): Row[] {
  const at = (t: number): number => imported ? 0 : t + 1000
  return [
    ...Array.from({ length: 10 }, (_, i): Row => ({ text: `first day ${i}`, sentAt: FIRST + i * MINUTE, deliveredAt: at(FIRST + i * MINUTE), lamport: i + 1, from: i % 2 === 0 ? 'ann' : 'reader' })),
    ...Array.from({ length: 1_000 }, (_, i): Row => ({ text: `note ${i} while you are away`, sentAt: LATER + i * MINUTE, deliveredAt: at(LATER + i * MINUTE), lamport: 11 + i, from: 'reader' })),
    { text: 'back at last, read it all', sentAt: BACK, deliveredAt: at(BACK), lamport: 11, from: 'ann' }
  ]
}

describe('a search by date of a direct conversation, and a message that arrived late', () => {
  for (const imported of [false, true]) {
    it(imported ? 'finds it among messages imported with no arrival time' : 'finds it below a thousand that arrived before the day asked for', async () => {
      const { dir, ids } = await writeDm(conversation(imported))
      // 100 kept opened, 50 read at a time: the walk meets whole pages older than the day asked for at once.
      const reader = await startPeer('Reader', { dataDir: dir, sealedSearchScan: 100, sealedSearchPage: 50 })
      const back = ids.at(-1)!
      const found = (q: string): string[] => reader.engine.search(q).map(h => h.id)
      expect(found(`on:${BACK_DAY}`)).toEqual([back])
      expect(found('after:2025-04-10')).toEqual([back])
      expect(found('read after:2025-04-10')).toEqual([back])
      expect(found(`from:@ann on:${BACK_DAY}`)).toEqual([back])
      // The notes of a day before it (900 written by midnight), found as they were.
      expect(reader.engine.search('on:2025-04-01', undefined, 1_000)).toHaveLength(900)
    }, 30_000)
  }
})
