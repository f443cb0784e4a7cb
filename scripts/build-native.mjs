// The install script: puts the optional native addon in place. The prebuild shipped in the package
// (prebuilds/, made by `npm pack`) when one matches this platform, architecture and libc and was built from
// these sources; else a build from source with node-gyp. heatbath works without the addon (on the reference
// executor), so this never fails `npm install`: it prints one line saying what it did.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildEnv, digestPath, sourcesDigest } from './native.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const say = (line) => console.log(`heatbath: ${line}`)
const done = (line) => {
  say(line)
  process.exit(0)
}

// node-gyp-build's resolver limited to prebuilds/ (PREBUILDS_ONLY is read when it loads): the file the loader
// (src/backend/addon.ts) will pick here when there is no local build.
const matchingPrebuild = () => {
  process.env.PREBUILDS_ONLY = '1'
  try {
    return require('node-gyp-build').path(root)
  } catch {
    return undefined
  } finally {
    delete process.env.PREBUILDS_ONLY
  }
}

// The matching prebuild when it can be used, else why not (nothing when none is shipped for this platform).
const usablePrebuild = () => {
  const path = matchingPrebuild()
  if (path === undefined) return {}
  const name = relative(root, path)
  const digest = existsSync(digestPath(root)) ? readFileSync(digestPath(root), 'utf8').trim() : 'none'
  if (digest !== sourcesDigest(root)) return { why: `${name} was built from other native sources` }
  try {
    require(path)
  } catch (e) {
    return { why: `${name} does not load here (${String(e.message).split('\n')[0]})` }
  }
  return { path: name }
}

const buildFromSource = () => {
  const local = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
  const gyp = existsSync(local) ? local : process.env.npm_config_node_gyp
  if (!gyp) done('node-gyp not found, native addon not built; using the reference executor')
  const r = spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: root, env: buildEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  if (r.status !== 0) {
    const why = String(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')
    done(`native addon not built (${why || 'node-gyp failed'}); using the reference executor`)
  }
  done('native addon built')
}

if (process.env.HEATBATH_SKIP_NATIVE === '1') done('HEATBATH_SKIP_NATIVE=1, not building the native addon; using the reference executor')
// `npm install --build-from-source` (node-gyp-build's flag) skips the prebuild.
if (process.env.npm_config_build_from_source !== 'true') {
  const prebuild = usablePrebuild()
  if (prebuild.path !== undefined) done(`using the prebuilt native addon ${prebuild.path}`)
  if (prebuild.why !== undefined) say(`${prebuild.why}; building the native addon from source`)
}
buildFromSource()
