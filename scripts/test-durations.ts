/**
 * node scripts/test-durations.ts REPORT.json — writes test/durations.json (seconds per test file,
 * longest first) from a vitest JSON report, for the longest-first order in vitest.config.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'

const report = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as { testResults: Array<{ name: string, startTime: number, endTime: number }> }
const seconds = report.testResults
  .map(r => [relative(process.cwd(), r.name), Math.round((r.endTime - r.startTime) / 100) / 10] as const)
  .sort((a, b) => b[1] - a[1])
writeFileSync('test/durations.json', JSON.stringify(Object.fromEntries(seconds), null, 1) + '\n')
console.log(`test/durations.json: ${seconds.length} files`)
