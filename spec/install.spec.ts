/**
 * The package as npm packs and installs it: what the tarball holds, and what a CommonJS `require` gets.
 * The whole path (npm pack, npm install of the tarball with no compiler, a sampler run from there) is in
 * .ci/run, through scripts/check-install.mjs: it builds the prebuild, which takes too long for a spec.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('../', import.meta.url))
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  files: string[]
  scripts: Record<string, string>
  exports: Record<string, Record<string, string>>
}

t.test('require("heatbath") from CommonJS throws an error that says the package is ESM-only and how to import it', async (t) => {
  const script = "try { require('heatbath') } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }"
  const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })
  const { code, message } = JSON.parse(r.stdout) as { code: string; message: string }
  t.equal(code, 'ERR_REQUIRE_ESM')
  t.match(message, /^heatbath is an ES module only and cannot be loaded with require\(\)/)
  t.match(message, "import { sampler } from 'heatbath'")
  t.match(message, "await import('heatbath')")
  t.same(Object.keys(manifest.exports['.']), ['types', 'import', 'require'], 'types first, and no CommonJS build')
})

t.test('the packed package holds what installing it needs, and no sources or local builds', async (t) => {
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })
  t.equal(pack.status, 0, pack.stderr)
  const files = new Set((JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path))

  // the install script and every module it imports
  const install = /^node (scripts\/[\w-]+\.mjs)$/.exec(manifest.scripts.install)?.[1]
  t.ok(install !== undefined && files.has(install), `the install script ${install} is packed`)
  const imports = [...readFileSync(join(root, install ?? ''), 'utf8').matchAll(/from '\.\/([\w-]+\.mjs)'/g)].map((m) => `scripts/${m[1]}`)
  t.ok(imports.length > 0)
  for (const f of imports) t.ok(files.has(f), `${f}, imported by the install script, is packed`)
  // what a build from source needs, where no prebuild matches
  const gyp = readFileSync(join(root, 'binding.gyp'), 'utf8')
  const sources = [...gyp.matchAll(/"(native\/[\w.]+)"/g)].map((m) => m[1])
  t.ok(sources.length > 10)
  for (const f of ['binding.gyp', ...sources, 'cjs/esm-only.cjs']) t.ok(files.has(f), `${f} is packed`)
  // made by the prepare and prepack scripts, so absent from git but packed when there
  t.ok(manifest.files.includes('dist') && manifest.files.includes('prebuilds'))
  t.equal(manifest.scripts.prepare, 'npm run build')
  t.equal(manifest.scripts.prepack, 'node scripts/prebuild.mjs')
  t.same([...files].filter((f) => /^(src|spec|build|bench|examples)\//.test(f)), [], 'no sources, specs or local builds')
})
