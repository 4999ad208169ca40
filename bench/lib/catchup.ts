import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { CatchupRow, SystemId } from './report.js'
import { median } from './stats.js'

/**
 * The catch-up rows, the same for every system: for each K, restore the
 * follower that stopped K messages short of the history (from a saved copy, so
 * each repetition starts alike), let it catch up once, and take the medians.
 * `root/b<K>` holds each follower's prepared data directory.
 */
export async function measureCatchup (
  system: SystemId, root: string, h: number, ks: number[], reps: number, log: (l: string) => void,
  once: (dir: string, k: number) => Promise<{ ms: number, bytes: number }>
): Promise<CatchupRow[]> {
  const rows: CatchupRow[] = []
  for (const k of [...ks].sort((x, y) => x - y)) {
    const dir = join(root, `b${k}`)
    const saved = join(root, `b${k}.saved`)
    if (k < h) cpSync(dir, saved, { recursive: true })
    const times: number[] = []
    const bytes: number[] = []
    for (let r = 0; r < reps; r++) {
      rmSync(dir, { recursive: true, force: true })
      if (k < h) cpSync(saved, dir, { recursive: true })
      log(`${system} catch-up K=${k} rep ${r + 1}/${reps}`)
      const one = await once(dir, k)
      times.push(one.ms)
      bytes.push(one.bytes)
    }
    rows.push({ system, k, history: h, ms: median(times), bytes: median(bytes) })
  }
  return rows
}
