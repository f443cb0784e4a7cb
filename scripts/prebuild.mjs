// The prepack script: builds the native addon for this platform into prebuilds/ with prebuildify, so that
// `npm pack` and `npm publish` ship it and `npm install` of the package compiles nothing. One Node-API build
// (NAPI_VERSION=8 in binding.gyp) serves every Node from 20 on; it is tagged with its libc so that musl
// systems build from source instead. Fails (and so fails the pack) when the build or its load test fails:
// a package must not ship without the prebuild it promises.
import { spawnSync } from 'node:child_process'
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildEnv, digestPath, sourcesDigest } from './native.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const fail = (why) => {
  console.error(`heatbath prebuild: ${why}`)
  process.exit(1)
}

// This platform's prebuilds are this script's: none stale is left beside the new one.
const dir = join(root, 'prebuilds', `${process.platform}-${process.arch}`)
rmSync(dir, { recursive: true, force: true })
const prebuildify = join(dirname(createRequire(import.meta.url).resolve('prebuildify/package.json')), 'bin.js')
const args = [prebuildify, '--napi', '--strip', '--tag-libc', '--target', process.versions.node]
const r = spawnSync(process.execPath, args, { cwd: root, env: buildEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
if (r.status !== 0) fail(`prebuildify failed: ${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-8).join('\n')}`)

const built = readdirSync(dir).filter((f) => f.endsWith('.node'))
if (built.length !== 1) fail(`expected one prebuild in ${dir}, found ${built.length}: ${built.join(', ')}`)
const file = join(dir, built[0])
try {
  const version = createRequire(import.meta.url)(file).version()
  if (!(version >= 1)) fail(`${file} is a placeholder build (version ${version})`)
} catch (e) {
  fail(`${file} does not load: ${e.message}`)
}
writeFileSync(digestPath(root), `${sourcesDigest(root)}\n`)
console.log(`heatbath prebuild: ${join('prebuilds', `${process.platform}-${process.arch}`, built[0])} (${Math.round(statSync(file).size / 1024)} KiB)`)
