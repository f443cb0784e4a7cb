// Builds the optional native addon. heatbath works without it (on the reference executor), so a failed
// build must never fail `npm install`: print one line saying so and exit 0.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
if (process.env.HEATBATH_SKIP_NATIVE === '1') {
  console.log('heatbath: HEATBATH_SKIP_NATIVE=1, not building the native addon; using the reference executor')
  process.exit(0)
}
const local = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
const gyp = existsSync(local) ? local : process.env.npm_config_node_gyp
if (!gyp) {
  console.log('heatbath: node-gyp not found, native addon not built; using the reference executor')
  process.exit(0)
}
const r = spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
if (r.status !== 0) {
  const why = String(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')
  console.log(`heatbath: native addon not built (${why || 'node-gyp failed'}); using the reference executor`)
  process.exit(0)
}
console.log('heatbath: native addon built')
