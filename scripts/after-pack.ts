/**
 * electron-builder `afterPack` hook: hardens the packaged Electron binary with fuses.
 *
 * Fuses are bits baked into the Electron executable that switch features off before
 * any of our code runs, so they cannot be undone by a flag or an environment variable:
 *   - RunAsNode off: `ELECTRON_RUN_AS_NODE=1 "LAN Chat"` cannot turn the app into a
 *     general-purpose Node interpreter carrying our signature (and firewall rule).
 *   - NODE_OPTIONS and --inspect off: nobody can inject code or attach a debugger.
 *   - Cookie encryption on: cookies at rest are encrypted with the OS keychain.
 *   - ASAR integrity on + only load the app from app.asar: a tampered or swapped
 *     app.asar is refused (electron-builder writes the hash into the binary on
 *     Windows and into Info.plist on macOS, before this hook runs).
 * This runs after the app is laid out and before signing, as fuses must.
 *
 * The offline layout check (scripts/pack-check.ts) packs against a placeholder
 * Electron directory that holds no real binary; it marks that directory with
 * PLACEHOLDER_MARKER, and then, and only then, this hook skips the flip and says so.
 * A real build without a flippable binary fails here rather than ship unhardened.
 *
 * Loaded by electron-builder through require(); Node 24 strips the types.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { FuseState, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses'
import type { FuseV1Config } from '@electron/fuses'
import type { AfterPackContext, LinuxPackager } from 'electron-builder'

/** Same name as in scripts/pack-check.ts, which creates the placeholder. */
export const PLACEHOLDER_MARKER = 'LANCHAT_PLACEHOLDER_ELECTRON'

/** electron-builder's Arch enum value for arm64 (builder-util: ia32 0, x64 1, armv7l 2, arm64 3). */
const ARCH_ARM64 = 3

/** The wanted state of each fuse we set; the rest keep Electron's defaults. */
export const FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true
} as const

export class FuseFlipError extends Error {
  static override name = 'FuseFlipError'
  override name = 'FuseFlipError'
}

/** Path of the Electron executable (or .app bundle) inside appOutDir, the way electron-builder names it. */
export function electronBinaryPath(context: AfterPackContext): string {
  const { appOutDir, electronPlatformName, packager } = context
  switch (electronPlatformName) {
    case 'linux':
      return join(appOutDir, (packager as LinuxPackager).executableName)
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`)
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`)
    default:
      throw new FuseFlipError(`unknown platform ${electronPlatformName}: cannot locate the Electron binary`)
  }
}

export default async function afterPack(context: AfterPackContext): Promise<void> {
  const binary = electronBinaryPath(context)
  if (existsSync(join(context.appOutDir, PLACEHOLDER_MARKER))) {
    console.log(`  • fuses NOT flipped: ${binary} is a placeholder Electron (layout check only, not a runnable build)`)
    return
  }

  const config: FuseV1Config = {
    version: FuseVersion.V1,
    // Flipping fuses breaks the ad-hoc signature Apple Silicon requires; re-sign ad hoc
    // so unsigned arm64 builds still launch. A real signing step later replaces it.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === ARCH_ARM64,
    ...FUSES
  }
  try {
    await flipFuses(binary, config)
  } catch (err) {
    throw new FuseFlipError(`could not flip fuses in ${binary}: ${(err as Error).message}`, { cause: err })
  }

  // Read the wire back: a build that claims to be hardened must be.
  const wire = await getCurrentFuseWire(binary)
  for (const [option, wanted] of Object.entries(FUSES)) {
    const state = wire[Number(option) as FuseV1Options]
    if (state !== (wanted ? FuseState.ENABLE : FuseState.DISABLE)) {
      throw new FuseFlipError(`fuse ${FuseV1Options[Number(option)]} is ${String(state)} after flipping, wanted ${wanted ? 'on' : 'off'}`)
    }
  }
  console.log(`  • fuses flipped and verified  binary=${binary}`)
}
