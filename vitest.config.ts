import { defineConfig } from 'vitest/config'

// The UI tests (a real engine and a real Chromium per page) run after the engine tests, two files
// at a time like them: on a 2-core machine that took the UI part from about 530 to 420 s, each
// file 1.3–2× slower than alone (every step waits on a poll of up to 15 s, so none came near a
// timeout). The engine tests spend much of their time waiting on sockets, timers and child
// processes, so two files at once keep both cores of a small CI machine busy (vitest's default
// there is one: the cores minus one).
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
          maxWorkers: 2,
          // Two files at a time stretch a test 1.3-2x (22 s was the longest seen): room for a busier machine.
          testTimeout: 60_000,
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
})
