import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t, { type Test } from 'tap'
import { addonPath, locateAddon, nativeAddon } from '../../src/backend/addon.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = import.meta.resolve('tsx')
const here = `${process.platform}-${process.arch}`
const scripts = (await import(pathToFileURL(join(root, 'scripts', 'native.mjs')).href)) as {
  sourcesDigest(root: string): string
  digestPath(root: string): string
}

// Run inside the copy: evaluates on the default backend (or, with the argument `native`, asks for the
// native one) and prints the outputs or the error as JSON.
const child = `
import { runTape } from './src/backend/index.js'
import * as ir from './src/ir/index.js'
const x = ir.input('x', [2, 2])
const tape = ir.compile([ir.sum(ir.square(x), 1)], [x])
try {
  const options = process.argv[2] === 'native' ? { backend: 'native' } : {}
  const a = runTape(tape, { x: [1, 2, 3, 4] }, options)
  const b = runTape(tape, { x: [0, 1, 0, 2] }, { ...options, dtype: 'float32' })
  console.log(JSON.stringify({ a: Array.from(a[0]), b: Array.from(b[0]) }))
} catch (e) {
  console.log(JSON.stringify({ error: e.message }))
}
`
const outputs = { a: [5, 25], b: [1, 4] }

// A temporary copy of the package as npm would install it from a tarball without build/: the install
// script, the backend layer and the layers below it, native sources, node-gyp-build, and a node-gyp that
// fails as it does without a C++ compiler and leaves a mark that it ran.
interface PackageCopy {
  readonly dir: string
  /** Runs the install script in the copy. */
  install(): SpawnSyncReturns<string>
  /** Runs the child in the copy, with extra environment variables. */
  run(args?: string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>
  /** Whether the install ran node-gyp. */
  gypRan(): boolean
}

const packageCopy = (t: Test): PackageCopy => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-install-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const f of ['package.json', 'binding.gyp', 'scripts/build-native.mjs', 'scripts/native.mjs']) cpSync(join(root, f), join(dir, f))
  for (const f of ['src/check', 'src/ir', 'src/rng', 'src/backend', 'native']) cpSync(join(root, f), join(dir, f), { recursive: true })
  writeFileSync(join(dir, 'child.ts'), child)
  mkdirSync(join(dir, 'node_modules', 'node-gyp', 'bin'), { recursive: true })
  symlinkSync(realpathSync(join(root, 'node_modules', 'node-gyp-build')), join(dir, 'node_modules', 'node-gyp-build'), 'dir')
  writeFileSync(
    join(dir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    "require('fs').writeFileSync(__dirname + '/ran', ''); console.error('gyp ERR! stack Error: not found: make'); console.error('gyp ERR! not ok'); process.exit(1)\n",
  )
  writeFileSync(join(dir, 'node_modules', 'node-gyp', 'package.json'), '{"type": "commonjs"}\n')
  const { HEATBATH_ADDON: _unused, ...inherited } = process.env
  const env = { ...inherited, HEATBATH_BACKEND: '' }
  return {
    dir,
    install: () => spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs')], { cwd: dir, encoding: 'utf8', env }),
    run: (args = [], more = {}) => spawnSync(process.execPath, ['--import', tsx, join(dir, 'child.ts'), ...args], { cwd: dir, encoding: 'utf8', env: { ...env, ...more } }),
    gypRan: () => existsSync(join(dir, 'node_modules', 'node-gyp', 'bin', 'ran')),
  }
}

// The addon this checkout loads, copied into a copy's prebuilds/ as `npm pack` would put it there.
const shipPrebuild = (dir: string): void => {
  mkdirSync(join(dir, 'prebuilds', here), { recursive: true })
  cpSync(addonPath() as string, join(dir, 'prebuilds', here, 'heatbath.glibc.node'))
  writeFileSync(scripts.digestPath(dir), `${scripts.sourcesDigest(dir)}\n`)
}

t.test('nativeAddon loads the addon of this checkout (its local build or its prebuild)', async (t) => {
  const status = nativeAddon()
  t.ok(status.addon !== undefined, 'the addon is built in this checkout')
  t.match(status.addon?.isa(), /^(avx512|avx2|generic)$/)
  t.match(addonPath(), /(build[/\\]Release|prebuilds[/\\]linux-x64)[/\\][^/\\]+\.node$/)
})

t.test('locateAddon: a local build, else a prebuild matching the platform, architecture and libc', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-locate-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { HEATBATH_ADDON: saved } = process.env
  delete process.env.HEATBATH_ADDON
  t.teardown(() => void (saved === undefined ? delete process.env.HEATBATH_ADDON : (process.env.HEATBATH_ADDON = saved)))
  const place = (path: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), '')
  }

  t.match(locateAddon(dir), { path: undefined, reason: `${join(dir, 'build', 'Release', 'heatbath.node')} is not built and no prebuild in ${join(dir, 'prebuilds')} matches ${here}` })
  place(`prebuilds/${here}/heatbath.musl.node`)
  place(`prebuilds/${process.platform === 'win32' ? 'darwin' : 'win32'}-${process.arch}/heatbath.node`)
  t.equal(locateAddon(dir).path, undefined, 'no prebuild for another libc or platform')
  place(`prebuilds/${here}/heatbath.glibc.node`)
  t.equal(locateAddon(dir).path, join(dir, 'prebuilds', here, 'heatbath.glibc.node'), 'the prebuild for this platform')
  place('build/Release/heatbath.node')
  t.equal(locateAddon(dir).path, join(dir, 'build', 'Release', 'heatbath.node'), 'a local build wins over the prebuild')
  process.env.HEATBATH_ADDON = '/elsewhere/heatbath.node'
  t.equal(locateAddon(dir).path, '/elsewhere/heatbath.node', 'HEATBATH_ADDON wins over both')
})

t.test('an install with a prebuild compiles nothing, and the library runs natively from it', async (t) => {
  const copy = packageCopy(t)
  shipPrebuild(copy.dir)
  const install = copy.install()
  t.equal(install.status, 0, install.stderr)
  t.equal(install.stdout.trim(), `heatbath: using the prebuilt native addon ${join('prebuilds', here, 'heatbath.glibc.node')}`)
  t.notOk(copy.gypRan(), 'node-gyp did not run')
  t.notOk(existsSync(join(copy.dir, 'build')), 'no build/ directory')

  const run = copy.run(['native'])
  t.same(JSON.parse(run.stdout), outputs, 'outputs from the native executor, loaded from the prebuild')
  t.equal(run.stderr, '', 'no notice')
})

t.test('a prebuild from other native sources is not used: the install builds from source', async (t) => {
  const copy = packageCopy(t)
  shipPrebuild(copy.dir)
  writeFileSync(join(copy.dir, 'native', 'pool.h'), `${readFileSync(join(copy.dir, 'native', 'pool.h'), 'utf8')}// edited after packing\n`)
  const install = copy.install()
  t.equal(install.status, 0)
  t.match(install.stdout, /heatbath\.glibc\.node was built from other native sources; building the native addon from source/)
  t.ok(copy.gypRan(), 'node-gyp ran')
})

t.test('an install in a checkout with an earlier local build and no prebuild builds again', async (t) => {
  // `npm ci` or `npm run install` in the repository: the sources may have changed since build/Release was made.
  const copy = packageCopy(t)
  mkdirSync(join(copy.dir, 'build', 'Release'), { recursive: true })
  cpSync(addonPath() as string, join(copy.dir, 'build', 'Release', 'heatbath.node'))
  const install = copy.install()
  t.ok(copy.gypRan(), 'node-gyp ran')
  t.match(install.stdout, /^heatbath: native addon not built \(.*\); using the reference executor\n$/, 'one line, about the build')
})

t.test('an install without a prebuild or a compiler still yields a working library on the reference executor', async (t) => {
  const copy = packageCopy(t)
  const install = copy.install()
  t.equal(install.status, 0, 'the install script succeeds')
  t.match(install.stdout, /^heatbath: native addon not built .*using the reference executor\n$/)

  const run = copy.run()
  t.equal(run.status, 0, run.stderr)
  t.same(JSON.parse(run.stdout), outputs, 'outputs from the reference executor')
  const notices = run.stderr.split('\n').filter((l) => l.includes('heatbath:'))
  t.equal(notices.length, 1, 'one notice for the whole process')
  t.match(notices[0], /native addon not available \(.*heatbath\.node is not built and no prebuild in .*prebuilds matches linux-x64\); using the reference executor/)

  const asked = /the native backend was asked for but is not available: .*is not built/
  t.match(JSON.parse(copy.run(['native']).stdout).error, asked)
  t.match(JSON.parse(copy.run([], { HEATBATH_BACKEND: 'native' }).stdout).error, asked, 'or forced by HEATBATH_BACKEND')
})

t.test('HEATBATH_SKIP_NATIVE=1 skips the build with a notice and succeeds', async (t) => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs')], { encoding: 'utf8', env: { ...process.env, HEATBATH_SKIP_NATIVE: '1' } })
  t.equal(r.status, 0)
  t.match(r.stdout, /not building the native addon; using the reference executor/)
})

t.test('HEATBATH_ADDON pointing nowhere falls back to the reference executor', async (t) => {
  const r = spawnSync(
    process.execPath,
    ['--import', tsx, '--input-type=module', '-e', `import { nativeAddon } from ${JSON.stringify(new URL('../../src/backend/addon.ts', import.meta.url).href)}; console.log(JSON.stringify(nativeAddon()))`],
    { encoding: 'utf8', env: { ...process.env, HEATBATH_ADDON: '/nonexistent/heatbath.node' } },
  )
  t.match(JSON.parse(r.stdout).reason, /\/nonexistent\/heatbath\.node is not built/)
})
