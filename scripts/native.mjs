// What the install script (build-native.mjs) and the prepack script (prebuild.mjs) share: the fingerprint of
// the native sources and the environment node-gyp builds in.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Where the fingerprint of the prebuilds' sources is kept (node-gyp-build ignores files that are not .node). */
export const digestPath = (root) => join(root, 'prebuilds', 'sources.sha256')

/**
 * sha256 over the names and contents of binding.gyp and every file under native/, in a fixed order. Written
 * beside the prebuilds when they are made and compared at install: a prebuild is used only with the sources
 * it was built from, so a checkout whose C++ changed after `npm pack` builds again, not a stale prebuild.
 */
export const sourcesDigest = (root) => {
  const hash = createHash('sha256')
  const files = ['binding.gyp', ...readdirSync(join(root, 'native'), { recursive: true }).map((f) => join('native', String(f)))]
  for (const file of files.filter((f) => statSync(join(root, f)).isFile()).sort()) {
    const content = readFileSync(join(root, file))
    hash.update(`${file.split('\\').join('/')}\0${content.length}\0`).update(content)
  }
  return hash.digest('hex')
}

// npm's nodedir when set, else the headers installed with this node (beside its prefix, or beside its
// executable: /usr/bin/node → /usr/include/node). node-gyp looks there by itself only for some builds of node.
const localHeaders = () =>
  [process.env.npm_config_nodedir, process.config.variables.node_prefix, dirname(dirname(process.execPath))].find(
    (prefix) => prefix && existsSync(join(prefix, 'include', 'node', 'node_api.h')),
  )

/**
 * The environment to run node-gyp in: local Node headers when there are any (node-gyp would otherwise
 * download them, which fails offline) and one compile job per core.
 */
export const buildEnv = () => {
  const nodedir = localHeaders()
  return { ...process.env, JOBS: 'max', ...(nodedir ? { npm_config_nodedir: nodedir } : {}) }
}
