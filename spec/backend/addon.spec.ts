import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { addonPath, nativeAddon } from '../../src/backend/addon.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = import.meta.resolve('tsx')

// Run inside the copy: evaluates on the default backend (or, with the argument `native`, asks for the
// native one) and prints the outputs or the error as JSON.
const child = `
import { evaluate } from './src/backend/index.js'
import * as ir from './src/ir/index.js'
const x = ir.input('x', [2, 2])
const tape = ir.compile([ir.sum(ir.square(x), 1)], [x])
try {
  const options = process.argv[2] === 'native' ? { backend: 'native' } : {}
  const a = evaluate(tape, { x: [1, 2, 3, 4] }, options)
  const b = evaluate(tape, { x: [0, 1, 0, 2] }, { ...options, dtype: 'float32' })
  console.log(JSON.stringify({ a: Array.from(a[0]), b: Array.from(b[0]) }))
} catch (e) {
  console.log(JSON.stringify({ error: e.message }))
}
`

t.test('nativeAddon loads the built addon from the package root', async (t) => {
  t.ok(addonPath().endsWith(join('build', 'Release', 'heatbath.node')))
  const status = nativeAddon()
  t.ok(status.addon !== undefined, 'the addon is built in this checkout')
  t.match(status.addon?.isa(), /^(avx512|avx2|generic)$/)
})

t.test('an install without a compiler still yields a working library on the reference executor', async (t) => {
  // A copy of the package whose node-gyp fails as it does without a C++ compiler.
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-nocompiler-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  cpSync(join(root, 'package.json'), join(dir, 'package.json'))
  cpSync(join(root, 'scripts', 'build-native.mjs'), join(dir, 'scripts', 'build-native.mjs'))
  // The backend layer and the layers below it.
  for (const layer of ['check', 'ir', 'rng', 'backend']) cpSync(join(root, 'src', layer), join(dir, 'src', layer), { recursive: true })
  writeFileSync(join(dir, 'child.ts'), child)
  mkdirSync(join(dir, 'node_modules', 'node-gyp', 'bin'), { recursive: true })
  writeFileSync(
    join(dir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    "console.error('gyp ERR! stack Error: not found: make'); console.error('gyp ERR! not ok'); process.exit(1)\n",
  )
  const { HEATBATH_ADDON: _unused, ...inherited } = process.env
  const env = { ...inherited, HEATBATH_BACKEND: '' }
  const install = spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs')], { cwd: dir, encoding: 'utf8', env })
  t.equal(install.status, 0, 'the install script succeeds')
  t.match(install.stdout, /native addon not built .*using the reference executor/)

  const run = spawnSync(process.execPath, ['--import', tsx, join(dir, 'child.ts')], { cwd: dir, encoding: 'utf8', env })
  t.equal(run.status, 0, run.stderr)
  t.same(JSON.parse(run.stdout), { a: [5, 25], b: [1, 4] }, 'outputs from the reference executor')
  const notices = run.stderr.split('\n').filter((l) => l.includes('heatbath:'))
  t.equal(notices.length, 1, 'one notice for the whole process')
  t.match(notices[0], /native addon not available \(.*heatbath\.node is not built\); using the reference executor/)

  const forced = spawnSync(process.execPath, ['--import', tsx, join(dir, 'child.ts')], { cwd: dir, encoding: 'utf8', env: { ...env, HEATBATH_BACKEND: 'native' } })
  t.match(JSON.parse(forced.stdout).error, /the native backend was asked for but is not available: .*is not built/)
  const asked = spawnSync(process.execPath, ['--import', tsx, join(dir, 'child.ts'), 'native'], { cwd: dir, encoding: 'utf8', env })
  t.match(JSON.parse(asked.stdout).error, /the native backend was asked for but is not available/)
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
