// The afterPack fuse hook, on real files. No Electron binary can be downloaded here,
// so each test writes a small file carrying Electron's fuse sentinel and wire (the
// bytes @electron/fuses looks for), laid out as electron-builder leaves an app.
// The layout of app.asar itself is checked by `npm run pack:check`, not here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import type { AfterPackContext } from 'electron-builder'
import { afterEach, describe, expect, it, vi } from 'vitest'
import afterPack, { PLACEHOLDER_MARKER } from '../scripts/after-pack.js'

// Electron's shipped defaults, one ASCII digit per fuse in FuseV1Options order:
// RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, ASAR integrity off,
// only-load-from-asar off, browser V8 snapshot off, file:// privileges on, wasm trap handlers on.
const DEFAULT_WIRE = '101100011'
// The marker Electron binaries carry before the wire (@electron/fuses' constants.js; not exported).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

let dir = ''
afterEach(() => {
  vi.restoreAllMocks()
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
  dir = ''
})

function fakeElectron(file: string): void {
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE)])
  writeFileSync(join(dir, file), Buffer.concat([Buffer.alloc(4096, 0x90), wire, Buffer.alloc(4096, 0x90)]))
}

function context(platform: 'linux' | 'win32'): AfterPackContext {
  return {
    appOutDir: dir,
    outDir: dir,
    electronPlatformName: platform,
    arch: 1, // x64
    targets: [],
    packager: { executableName: 'lanchat', appInfo: { productFilename: 'LAN Chat' } }
  } as unknown as AfterPackContext
}

describe('afterPack fuse hook', () => {
  it('hardens a Linux build: no run-as-node, NODE_OPTIONS or --inspect; encrypted cookies; app only from an intact asar', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lanchat-fuses-'))
    fakeElectron('lanchat')
    vi.spyOn(console, 'log').mockImplementation(() => {})

    await afterPack(context('linux'))

    const wire = await getCurrentFuseWire(join(dir, 'lanchat'))
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
    // fuses we do not set keep Electron's defaults
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(FuseState.DISABLE)
  })

  it('finds the Windows executable under the product name', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lanchat-fuses-'))
    fakeElectron('LAN Chat.exe')
    vi.spyOn(console, 'log').mockImplementation(() => {})

    await afterPack(context('win32'))

    const wire = await getCurrentFuseWire(join(dir, 'LAN Chat.exe'))
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
  })

  it('leaves the layout check\'s placeholder alone and says so', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lanchat-fuses-'))
    writeFileSync(join(dir, 'lanchat'), '#!/bin/sh\nexit 1\n')
    writeFileSync(join(dir, PLACEHOLDER_MARKER), '')
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})

    await afterPack(context('linux'))

    expect(readFileSync(join(dir, 'lanchat'), 'utf8')).toBe('#!/bin/sh\nexit 1\n')
    expect(log.mock.calls.flat().join(' ')).toMatch(/fuses NOT flipped.*placeholder/)
  })

  it('fails a real build whose binary it cannot harden, instead of shipping it unhardened', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lanchat-fuses-'))
    writeFileSync(join(dir, 'lanchat'), 'not an electron binary')

    await expect(afterPack(context('linux'))).rejects.toMatchObject({ name: 'FuseFlipError' })
  })
})
