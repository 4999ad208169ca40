// `npm start` on a fresh clone, against a stand-in for the electron and
// electron-vite packages (no Electron binary can be downloaded here). The
// stand-in installer behaves like Electron's install.js: it downloads into
// os.tmpdir()/electron-download-*, unpacks a "binary" into dist/ and writes
// path.txt; offline it exits 1 with fetch's error. The stand-in electron-vite
// reads path.txt (as the real one does) and starts that binary, which records
// its arguments.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')
const script = join(root, 'scripts/ensure-electron.ts')
// The script is TypeScript run by Node's type stripping (Node >= 23; the repo pins node@24).
const node = Number(process.versions.node.split('.')[0]) >= 23 ? process.execPath : join(root, 'node_modules/.bin/node')

const INSTALLER = `
const fs = require('fs'), os = require('os'), path = require('path')
fs.appendFileSync(path.join(__dirname, 'installs.log'), 'install\\n')
if (process.env.FAKE_OFFLINE) {
  console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:13502:13 {\\n  [cause]: Error: getaddrinfo ENOTFOUND github.com')
  process.exit(1)
}
const download = fs.mkdtempSync(path.join(os.tmpdir(), 'electron-download-'))
fs.writeFileSync(path.join(download, 'electron-v45.4.1-linux-x64.zip'), Buffer.alloc(3_000_000))
setTimeout(() => {
  fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true })
  const bin = path.join(__dirname, 'dist', 'electron')
  fs.writeFileSync(bin, '#!/usr/bin/env node\\nrequire("fs").writeFileSync("launched.json", JSON.stringify(process.argv.slice(2)))\\n')
  fs.chmodSync(bin, 0o755)
  fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron')
}, 2500)
`

const ELECTRON_VITE = `
const fs = require('fs'), path = require('path'), { spawnSync } = require('child_process')
const electron = path.join(process.cwd(), 'node_modules', 'electron')
const args = process.argv.slice(2)
fs.writeFileSync('cli.json', JSON.stringify(args))
if (!fs.existsSync(path.join(electron, 'path.txt'))) throw new Error('Electron uninstall')
const bin = path.join(electron, 'dist', fs.readFileSync(path.join(electron, 'path.txt'), 'utf8'))
const dash = args.indexOf('--')
process.exit(spawnSync(bin, ['.', ...(dash < 0 ? [] : args.slice(dash + 1))], { stdio: 'inherit' }).status)
`

let project = ''
afterEach(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true })
  project = ''
})

function standIn(): string {
  project = mkdtempSync(join(tmpdir(), 'lanchat-start-'))
  const electron = join(project, 'node_modules/electron')
  const vite = join(project, 'node_modules/electron-vite')
  mkdirSync(electron, { recursive: true })
  mkdirSync(join(vite, 'bin'), { recursive: true })
  writeFileSync(join(project, 'package.json'), '{ "name": "stand-in" }')
  writeFileSync(join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1', main: 'index.js' }))
  writeFileSync(join(electron, 'install.js'), INSTALLER)
  writeFileSync(join(vite, 'package.json'), JSON.stringify({ name: 'electron-vite', version: '6.0.0', bin: { 'electron-vite': 'bin/electron-vite.js' } }))
  writeFileSync(join(vite, 'bin/electron-vite.js'), ELECTRON_VITE)
  chmodSync(join(vite, 'bin/electron-vite.js'), 0o755)
  return project
}

function start(cwd: string, args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env }
  delete clean.ELECTRON_OVERRIDE_DIST_PATH
  delete clean.ELECTRON_EXEC_PATH
  return spawnSync(node, [script, ...args], { cwd, env: { ...clean, ...env }, encoding: 'utf8', timeout: 30_000 })
}

const read = (file: string): unknown => JSON.parse(readFileSync(join(project, file), 'utf8'))
const installs = (): number => readFileSync(join(project, 'node_modules/electron/installs.log'), 'utf8').trim().split('\n').length

describe('npm start on a fresh machine', { skip: process.platform === 'win32' }, () => {
  it('installs Electron when path.txt is missing, shows progress, then launches it with the app arguments', () => {
    const cwd = standIn()
    const run = start(cwd, ['preview', '--profile', 'bob'])

    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Electron 45\.4\.1 is not installed yet: downloading it once/)
    expect(run.stdout).toMatch(/downloading Electron 45\.4\.1: 3 MB/)
    expect(run.stdout).toMatch(/Electron 45\.4\.1 installed\./)
    expect(readFileSync(join(cwd, 'node_modules/electron/path.txt'), 'utf8')).toBe('electron')
    expect(read('cli.json')).toEqual(['preview', '--', '--profile', 'bob'])
    expect(read('launched.json')).toEqual(['.', '--profile', 'bob'])
    expect(installs()).toBe(1)
  })

  it('does not run the installer again once the binary is there, and passes dev through', () => {
    const cwd = standIn()
    expect(start(cwd, ['preview']).status).toBe(0)
    rmSync(join(cwd, 'launched.json'))

    const run = start(cwd, ['dev'])
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).not.toMatch(/downloading/)
    expect(read('cli.json')).toEqual(['dev'])
    expect(read('launched.json')).toEqual(['.'])
    expect(installs()).toBe(1)
  })

  it('reinstalls when path.txt names a binary that is gone', () => {
    const cwd = standIn()
    expect(start(cwd, ['preview']).status).toBe(0)
    rmSync(join(cwd, 'node_modules/electron/dist'), { recursive: true })

    expect(start(cwd, ['preview']).status).toBe(0)
    expect(installs()).toBe(2)
  })

  it('offline: one clear sentence, no stack trace, and nothing launched', () => {
    const cwd = standIn()
    const run = start(cwd, ['preview'], { FAKE_OFFLINE: '1' })

    expect(run.status).toBe(1)
    const said = run.stderr.trim()
    expect(said).toMatch(/^LAN Chat cannot start: Electron 45\.4\.1 is not installed and could not be downloaded because this machine cannot reach github\.com .*; connect to the internet and run the command again\.$/)
    expect(said.split('\n')).toHaveLength(1)
    expect(said).not.toMatch(/\n\s+at /)
    expect(existsSync(join(cwd, 'cli.json'))).toBe(false)
    expect(existsSync(join(cwd, 'node_modules/electron/path.txt'))).toBe(false)
  })

  it('refuses an unknown command', () => {
    const run = start(standIn(), ['build'])
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/usage: node scripts\/ensure-electron\.ts preview\|dev/)
  })
})
