/**
 * LAYOUT CHECK (not a runnable build) of the packaged app, for machines that cannot
 * download Electron (CI here). Run through `npm run pack:check`, which builds first.
 *
 * It runs electron-builder's real `--linux dir` packaging with this repo's
 * electron-builder.yml, but against a placeholder "Electron" (the `electronDist`
 * option): the result has the real resources/app.asar and a fake executable. Then it
 * opens app.asar and fails if
 *   - an entry point (main, CLI, preload, renderer page and its assets) or a file main
 *     opens by path (the tray icon) is missing;
 *   - a file main or preload imports (relative or a package) does not resolve inside
 *     the asar the way Node would resolve it, following each package's `exports`,
 *     and every dependency those packages declare, transitively (main's runtime
 *     packages are bundled into out/main, so only Node built-ins and electron, except
 *     what it requires at run time on purpose: libsodium's addon, sodium-native);
 *   - a native file is packed inside app.asar (it must be unpacked beside it) or is
 *     not a Node-API addon (it would need rebuilding for Electron);
 *   - the main bundle does not run in plain Node with no node_modules at all: the CLI
 *     entry, copied out of the asar alone, starts a peer, sends and quits;
 *   - anything outside out/, package.json and the runtime dependency tree is packed
 *     (test/, sources, devDependencies...);
 * and it reports the size. It cannot say the app starts: no Electron ran.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire, isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import { join, posix } from 'node:path'
import { extractFile, getRawHeader } from '@electron/asar'
import ts from 'typescript'

/** Same name as in scripts/after-pack.ts: tells the fuse hook this Electron is fake. */
const PLACEHOLDER_MARKER = 'LANCHAT_PLACEHOLDER_ELECTRON'
const ENTRY_POINTS = ['package.json', 'out/main/index.js', 'out/main/engine.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html']
/** Top-level entries app.asar may hold; anything else (test/, main/*.ts, build/...) is a leak. */
const ALLOWED_TOP = new Set(['package.json', 'out', 'node_modules'])
/** What a sandboxed preload can require (Electron's sandbox polyfills). */
const PRELOAD_ALLOWED = new Set(['electron', 'events', 'timers', 'url', 'node:events', 'node:timers', 'node:url'])
/** Node's conditions in Electron's main process (ESM import and CJS require). */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'module-sync', 'default'])
const REQUIRE_CONDITIONS = new Set(['node', 'require', 'module-sync', 'default'])

type PackageJson = {
  name?: string; type?: string; main?: string; exports?: Exports
  dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>
  devDependencies?: Record<string, string>
}
type Exports = string | null | Exports[] | { [key: string]: Exports }
/** A node of the asar header: a directory or a file (the package exports no name for it). */
type AsarNode = ReturnType<typeof getRawHeader>['header']['files'][string]

const root = join(import.meta.dirname, '..')
const problems: string[] = []
const notes: string[] = []

// ---------- 1. pack with electron-builder against a placeholder Electron ----------

console.log('== LAYOUT CHECK (not a runnable build): electron-builder --linux dir with a placeholder Electron')
for (const entry of ENTRY_POINTS.slice(1)) {
  if (!existsSync(join(root, entry))) fail(`${entry} is missing: run \`npm run build\` first (npm run pack:check does)`)
}
const work = mkdtempSync(join(tmpdir(), 'lanchat-pack-check-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
const placeholder = join(work, 'electron-placeholder')
mkdirSync(placeholder)
// electron-builder copies this directory as "Electron" and renames `electron` to the
// executable name (linux packager), so that file must exist; it is a script that refuses to run.
writeFileSync(join(placeholder, 'electron'), '#!/bin/sh\necho "LAN Chat layout-check placeholder, not Electron" >&2\nexit 1\n', { mode: 0o755 })
writeFileSync(join(placeholder, PLACEHOLDER_MARKER), 'made by scripts/pack-check.ts\n')

const builderCli = createRequire(import.meta.url).resolve('electron-builder/cli.js')
const started = Date.now()
const run = spawnSync(process.execPath, [builderCli, '--linux', 'dir', '--x64', '--publish', 'never',
  `-c.electronDist=${placeholder}`, `-c.directories.output=${join(work, 'release')}`,
  // Rebuilding native modules would download Electron headers; the one there is (sodium-native) is a
  // Node-API addon, which needs none (checked below).
  '-c.npmRebuild=false'],
  // CI=true keeps electron-builder's update notifier from reaching out to the registry.
  { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
const log = `${run.stdout}${run.stderr}`
if (run.status !== 0) fail(`electron-builder failed (exit ${run.status}):\n${log}`)
console.log(`   packed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
const fuseLine = log.split('\n').find((l) => l.includes('fuses NOT flipped'))
if (fuseLine === undefined) problems.push('the afterPack fuse hook did not report skipping the placeholder binary')
else console.log(`   afterPack hook: ${fuseLine.replace(/^\s*•\s*/, '')}`)

const appOut = join(work, 'release', 'linux-unpacked')
const asarPath = join(appOut, 'resources', 'app.asar')
if (!existsSync(asarPath)) fail(`no ${asarPath} was produced`)
if (!existsSync(join(appOut, 'lanchat'))) problems.push('the executable is not named lanchat (linux.executableName)')
if (existsSync(`${asarPath}.unpacked`)) notes.push('app.asar.unpacked exists: some files are outside the asar')

// ---------- 2. read the archive ----------

const files = new Map<string, number>() // path -> size
const dirs = new Set<string>([''])
const unpacked = new Set<string>() // files the header says live in app.asar.unpacked
function walk(entry: AsarNode, prefix: string): void {
  if ('files' in entry) {
    if (prefix !== '') dirs.add(prefix)
    for (const [name, child] of Object.entries(entry.files)) walk(child, prefix === '' ? name : `${prefix}/${name}`)
  } else {
    files.set(prefix, entry.size ?? 0) // a symlink has no size; it still counts as present
    if ((entry as { unpacked?: boolean }).unpacked === true) unpacked.add(prefix)
  }
}
walk(getRawHeader(asarPath).header, '')
const read = (p: string): string => extractFile(asarPath, p).toString('utf8')
const readPkg = (dir: string): PackageJson => JSON.parse(read(`${dir}/package.json`)) as PackageJson

// ---------- 3. entry points, and nothing that does not belong ----------

const missingEntries = ENTRY_POINTS.filter((entry) => !files.has(entry))
if (missingEntries.length > 0) fail(`entry points not in app.asar: ${missingEntries.join(', ')}`)
const appPkg = JSON.parse(read('package.json')) as PackageJson
if (appPkg.main === undefined || !files.has(posix.normalize(appPkg.main))) problems.push(`package.json "main" (${appPkg.main}) is not in app.asar`)
for (const top of new Set([...files.keys(), ...dirs].map((p) => p.split('/')[0]))) {
  if (top !== '' && top !== undefined && !ALLOWED_TOP.has(top)) problems.push(`${top} is packed but is not part of the built app`)
}
const nativeAddons: string[] = []
for (const p of files.keys()) {
  if (/(^|\/)out\/.*\.(test|spec)\.[cm]?js$/.test(p)) problems.push(`${p} looks like a test and is packed`)
  if (p.endsWith('.node')) {
    // A native file loads only from disk (app.asar.unpacked), and without a rebuild for Electron only if it is
    // a Node-API addon (ABI-stable across Node and Electron), which exports napi_register_module_v1.
    const onDisk = join(`${asarPath}.unpacked`, p)
    if (!unpacked.has(p) || !existsSync(onDisk)) problems.push(`native module ${p} is inside app.asar, where it cannot load: it must be unpacked (asarUnpack)`)
    else if (!readFileSync(onDisk).includes('napi_register_module_v1')) problems.push(`native module ${p} is not a Node-API addon: it would need rebuilding for Electron`)
    else nativeAddons.push(p)
  }
}
if (nativeAddons.length > 0) notes.push(`native Node-API addons, unpacked beside app.asar: ${nativeAddons.join(', ')}`)
// Files main opens by path at run time (electron-vite's `?asset` imports, such as the tray icon): packed too.
for (const [, asset] of read('out/main/index.js').matchAll(/import\.meta\.dirname, "\.\/([^"]+)"/g)) {
  if (asset !== undefined && !files.has(posix.join('out/main', asset))) problems.push(`out/main/index.js opens ${asset}, which is not packed`)
}
const html = read('out/renderer/index.html')
for (const [, ref] of html.matchAll(/(?:src|href)="\.?\/?([^"#?:]+)"/g)) {
  if (ref !== undefined && !files.has(posix.join('out/renderer', ref))) problems.push(`out/renderer/index.html refers to ${ref}, which is not packed`)
}

// ---------- 4. every import of main and preload resolves inside the asar ----------

/** `@scope/name/sub` -> ['@scope/name', './sub'] */
function splitSpecifier(spec: string): [string, string] {
  const parts = spec.split('/')
  const n = spec.startsWith('@') ? 2 : 1
  const rest = parts.slice(n).join('/')
  return [parts.slice(0, n).join('/'), rest === '' ? '.' : `./${rest}`]
}

/** Node's lookup: <dir>/node_modules/<name>, then each parent's, up to the asar root. */
function findPackage(name: string, fromDir: string): string | null {
  let dir = fromDir
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`
    if (files.has(`${candidate}/package.json`)) return candidate
    if (dir === '') return null
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : ''
  }
}

function resolveTarget(target: Exports, conditions: Set<string>, star: string): string | null {
  if (typeof target === 'string') return target.replaceAll('*', star)
  if (target === null) return null
  if (Array.isArray(target)) {
    for (const t of target) { const r = resolveTarget(t, conditions, star); if (r !== null) return r }
    return null
  }
  for (const [key, value] of Object.entries(target)) {
    if (conditions.has(key)) { const r = resolveTarget(value, conditions, star); if (r !== null) return r }
  }
  return null
}

/** The file a package subpath maps to through `exports` (or `main`), or null if none. */
function entryOf(pkg: PackageJson, subpath: string, conditions: Set<string>): string | null {
  let exp = pkg.exports
  if (exp === undefined) return subpath === '.' ? (pkg.main ?? 'index.js') : subpath
  if (typeof exp !== 'object' || exp === null || Array.isArray(exp) || !Object.keys(exp).some((k) => k.startsWith('.'))) exp = { '.': exp }
  const map = exp as Record<string, Exports>
  if (subpath in map) return resolveTarget(map[subpath] ?? null, conditions, '')
  let best: [string, string] | null = null // [key, star]
  for (const key of Object.keys(map)) {
    const i = key.indexOf('*')
    if (i < 0) continue
    const [pre, post] = [key.slice(0, i), key.slice(i + 1)]
    if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= key.length - 1 && (best === null || pre.length > best[0].indexOf('*'))) {
      best = [key, subpath.slice(pre.length, subpath.length - post.length)]
    }
  }
  return best === null ? null : resolveTarget(map[best[0]] ?? null, conditions, best[1])
}

/** Node's file probing for `main` and extensionless CJS paths. */
function probe(path: string): string | null {
  const p = posix.normalize(path).replace(/\/$/, '')
  for (const c of [p, `${p}.js`, `${p}.json`, `${p}.cjs`, `${p}/index.js`]) if (files.has(c)) return c
  return null
}

function resolvePackageImport(spec: string, fromDir: string, kind: 'import' | 'require'): string {
  const [name, subpath] = splitSpecifier(spec)
  const dir = findPackage(name, fromDir)
  if (dir === null) throw new Error(`package ${name} is not in app.asar`)
  const target = entryOf(readPkg(dir), subpath, kind === 'import' ? IMPORT_CONDITIONS : REQUIRE_CONDITIONS)
  if (target === null) throw new Error(`${name} exports no "${subpath}" for ${kind}`)
  const file = probe(posix.join(dir, target))
  if (file === null) throw new Error(`${name}'s "${subpath}" -> ${target}, which is not packed`)
  return dir
}

const importedPackages = new Map<string, string>() // package dir -> first importer
const seen = new Set<string>()
const queue = [...files.keys()].filter((p) => /^out\/(main|preload)\/.*\.[cm]?js$/.test(p))
while (queue.length > 0) {
  const file = queue.pop() as string
  if (seen.has(file)) continue
  seen.add(file)
  const info = ts.preProcessFile(read(file), true, true)
  const isPreload = file.startsWith('out/preload/')
  for (const { fileName: spec } of info.importedFiles) {
    if (spec.startsWith('.')) {
      const target = probe(posix.join(posix.dirname(file), spec))
      if (target === null) problems.push(`${file} imports ${spec}, which is not packed`)
      else if (/\.[cm]?js$/.test(target)) queue.push(target)
      continue
    }
    if (isPreload) {
      if (!PRELOAD_ALLOWED.has(spec)) problems.push(`${file} (sandboxed preload) requires ${spec}, which a sandboxed preload cannot load`)
      continue
    }
    if (isBuiltin(spec) || spec === 'electron' || spec.startsWith('electron/')) continue
    problems.push(`${file} imports the package ${spec} at run time: main's packages are bundled (electron.vite.config.ts, externalizeDeps: false)`)
    const name = splitSpecifier(spec)[0]
    if (appPkg.dependencies?.[name] === undefined) problems.push(`${file} imports ${spec}, but ${name} is not in package.json "dependencies"`)
    try {
      const dir = resolvePackageImport(spec, posix.dirname(file), file.endsWith('.cjs') ? 'require' : 'import')
      if (!importedPackages.has(dir)) importedPackages.set(dir, file)
    } catch (err) {
      problems.push(`${file} imports ${spec}: ${(err as Error).message}`)
    }
  }
}

// Packages main loads with a runtime require on purpose, left out of the bundle (electron.vite.config.ts's
// `external`: a native addon cannot be bundled): each must be a dependency and resolve inside the asar.
for (const file of seen) {
  if (!file.startsWith('out/main/')) continue
  for (const [, spec] of read(file).matchAll(/createRequire\(import\.meta\.url\)\("([^"]+)"\)/g)) {
    if (spec === undefined || spec.startsWith('.') || isBuiltin(spec)) continue
    const name = splitSpecifier(spec)[0]
    if (appPkg.dependencies?.[name] === undefined) problems.push(`${file} requires ${spec} at run time, but ${name} is not in package.json "dependencies"`)
    try {
      const dir = resolvePackageImport(spec, posix.dirname(file), 'require')
      if (!importedPackages.has(dir)) importedPackages.set(dir, file)
    } catch (err) {
      problems.push(`${file} requires ${spec} at run time: ${(err as Error).message}`)
    }
  }
}

// ---------- 4b. the main bundle runs in plain Node, with no node_modules anywhere ----------

{
  const alone = mkdtempSync(join(tmpdir(), 'lanchat-bundle-'))
  try {
    for (const p of files.keys()) {
      if (!p.startsWith('out/main/')) continue
      mkdirSync(join(alone, posix.dirname(p)), { recursive: true })
      writeFileSync(join(alone, p), extractFile(asarPath, p))
    }
    writeFileSync(join(alone, 'package.json'), JSON.stringify({ type: appPkg.type ?? 'commonjs' }))
    const input = '{"cmd":"send","text":"from the bundle"}\n{"cmd":"quit"}\n'
    const peer = spawnSync(process.execPath, [join(alone, 'out/main/cli.js'), 'peer', '--json', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--data', join(alone, 'data')],
      { cwd: alone, input, encoding: 'utf8', timeout: 30_000 })
    const said = peer.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string, text?: string })
    if (peer.status !== 0 || !said.some((e) => e.type === 'message' && e.text === 'from the bundle')) {
      problems.push(`out/main/cli.js alone (no node_modules) did not run a peer: exit ${peer.status}\n${peer.stderr.slice(-800)}`)
    } else {
      console.log('   the main bundle ran a peer in plain Node with no node_modules (sent a message, quit with 0)')
    }
  } finally {
    rmSync(alone, { recursive: true, force: true })
  }
}

// ---------- 4c. this machine's build of each unpacked addon loads from where Electron will find it ----------

for (const p of nativeAddons.filter((a) => a.includes(`/prebuilds/${process.platform}-${process.arch}/`))) {
  const onDisk = join(`${asarPath}.unpacked`, p)
  // In plain Node (Electron did not run): the file is whole and loads; libsodium's AEAD, if it is that addon, seals a frame.
  const script = `const m = require(${JSON.stringify(onDisk)}); const f = m.crypto_aead_chacha20poly1305_ietf_encrypt;
    if (typeof f === 'function') { const c = Buffer.alloc(32); f(c, Buffer.alloc(16), null, null, Buffer.alloc(12), Buffer.alloc(32)); if (c.equals(Buffer.alloc(32))) process.exit(2) }`
  const loaded = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
  if (loaded.status !== 0) problems.push(`the unpacked ${p} does not load in Node: ${loaded.stderr.slice(-400)}`)
  else console.log(`   the unpacked ${p} loads (plain Node)`)
}

// ---------- 5. the runtime dependency tree, transitively; nothing else ----------

const needed = new Set<string>() // package dirs reachable from package.json dependencies
const pending: Array<[string, string, string]> = Object.keys(appPkg.dependencies ?? {}).map((d) => [d, '', 'package.json'])
while (pending.length > 0) {
  const [name, fromDir, via] = pending.pop() as [string, string, string]
  const dir = findPackage(name, fromDir)
  if (dir === null) { problems.push(`${name} (needed by ${via}) is not in app.asar`); continue }
  if (needed.has(dir)) continue
  needed.add(dir)
  const pkg = readPkg(dir)
  if (pkg.exports !== undefined || pkg.main !== undefined) {
    const dot = entryOf(pkg, '.', IMPORT_CONDITIONS) ?? entryOf(pkg, '.', REQUIRE_CONDITIONS)
    if (dot !== null && probe(posix.join(dir, dot)) === null) problems.push(`${dir}: its entry ${dot} is not packed`)
  }
  const optional = new Set([...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.entries(pkg.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional === true).map(([n]) => n)])
  for (const dep of new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})])) {
    // Type packages are excluded on purpose (electron-builder.yml): nothing loads them at run time.
    if (dep.startsWith('@types/')) continue
    if (optional.has(dep) && findPackage(dep, dir) === null) continue
    pending.push([dep, dir, dir])
  }
}
for (const dir of importedPackages.keys()) if (!needed.has(dir)) problems.push(`${dir} is imported by main but not reachable from "dependencies"`)

const devDeps = new Set(Object.keys(appPkg.devDependencies ?? {}))
// every package directory in the archive: node_modules/<name> or node_modules/@scope/<name>, at any depth
const packedPackages = [...files.keys()].filter((p) => p.endsWith('/package.json'))
  .map((p) => p.slice(0, -'/package.json'.length)).filter((d) => /(^|\/)node_modules\/(@[^/]+\/)?[^/@][^/]*$/.test(d))
for (const dir of packedPackages) {
  const name = dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length)
  if (needed.has(dir)) {
    if (devDeps.has(name)) notes.push(`${name} is a devDependency but also a runtime dependency of another package: packed, as it must be`)
  } else {
    problems.push(`${dir} is packed but nothing in "dependencies" needs it${devDeps.has(name) ? ' (it is a devDependency)' : ''}`)
  }
}

// ---------- 6. report ----------

const asarBytes = statSync(asarPath).size
const bySize = new Map<string, number>()
for (const [p, size] of files) {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)
  const key = m?.[1] ?? p.split('/').slice(0, 2).join('/')
  bySize.set(key, (bySize.get(key) ?? 0) + size)
}
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`
console.log(`   app.asar: ${mb(asarBytes)}, ${files.size} files, ${needed.size} runtime packages; main imports ${importedPackages.size} packages directly`)
console.log(`   largest: ${[...bySize].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}`)
for (const n of notes) console.log(`   note: ${n}`)
if (problems.length > 0) {
  console.error(`LAYOUT CHECK FAILED (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  process.exit(1)
}
console.log('== LAYOUT CHECK passed: app.asar is complete and clean. This is not a runnable build: no Electron ran.')

function fail(message: string): never {
  console.error(`LAYOUT CHECK FAILED: ${message}`)
  process.exit(1)
}
