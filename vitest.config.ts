import { defineConfig } from 'vitest/config'

// The UI tests (a real engine and a real Chromium per page) run alone, one file at a time, after
// the engine tests: they are where a busy neighbour shows up as a flake. The engine tests spend
// much of their time waiting on sockets, timers and child processes, so two files at once keep
// both cores of a small CI machine busy (vitest's default there is one: the cores minus one).
const ui = ['test/e2e/**/*.test.ts', 'test/browser.test.ts']

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          include: ['test/**/*.test.ts', 'main/**/*.test.ts'],
          exclude: ui,
          maxWorkers: 2,
          sequence: { groupOrder: 0 }
        }
      },
      {
        extends: true,
        test: {
          name: 'ui',
          include: ui,
          maxWorkers: 1,
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
})
