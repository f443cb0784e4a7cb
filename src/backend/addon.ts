/**
 * Loading the native addon. This is the only module that loads it (a local build in build/Release or the
 * prebuild shipped in the package under prebuilds/); the rest of the library asks {@link nativeAddon} and
 * falls back to the reference executor when it is missing.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** How the addon reads an attribute's numbers: one finite number, a flag (0 or 1), one index, or all the rest as indices. */
export type AttributeForm = 'number' | 'flag' | 'index' | 'indices'

/** One op of the addon's table (native/ops.h) as `ops()` reports it; its code is its position in the list. */
export interface NativeOp {
  readonly name: string
  readonly kind: 'unary' | 'binary' | 'matmul' | 'reduction' | 'layout'
  readonly arity: number | 'variadic'
  /** The attributes it reads, in the order of the encoding. */
  readonly attributes: readonly { readonly name: string; readonly form: AttributeForm }[]
}

/** The functions the addon exports (native/addon.cc); every one validates its arguments. */
export interface NativeAddon {
  version(): number
  isa(): string
  hardwareThreads(): number
  ops(): NativeOp[]
  load(hash: string, encoded: Float64Array): number
  shapes(handle: number): { feeds: number[][]; outputs: number[][]; batch: number }
  run(handle: number, dtype: 'float32' | 'float64', feeds: readonly (Float32Array | Float64Array)[], outputs: readonly (Float32Array | Float64Array)[], threads: number, blockRows: number): void
  runAsync(
    handle: number,
    dtype: 'float32' | 'float64',
    feeds: readonly (Float32Array | Float64Array)[],
    outputs: readonly (Float32Array | Float64Array)[],
    threads: number,
    blockRows: number,
    cancel: Int32Array,
  ): Promise<void>
  draws(kind: 'uniform' | 'normal', seed: number, stream: number, start: number, out: Float64Array | Float32Array): void
  philox(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): Uint32Array
  fmaPeak(iterations: number, threads?: number): { flops: number; seconds: number }
  rbmFit(config: Float64Array, data: Float64Array, W: Float64Array, a: Float64Array, b: Float64Array, chains: Float64Array, stats: Float64Array, cancel: Int32Array, onEpoch?: (epoch: number, gap: number) => void): Promise<void>
}

// The package root: the nearest directory above this file with heatbath's package.json (this file runs
// from src/backend under tsx and from dist/backend when built).
const packageRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'heatbath') return dir
    const up = dirname(dir)
    if (up === dir) throw new Error(`heatbath: cannot find the package root above ${fileURLToPath(import.meta.url)}`)
    dir = up
  }
}

/** Where the addon file is, or why there is none. */
export type AddonLocation = { readonly path: string } | { readonly path: undefined; readonly reason: string }

// node-gyp-build is CommonJS without types; only its resolver is used (the addon is loaded below, once).
const nodeGypBuild = createRequire(import.meta.url)('node-gyp-build') as { path(dir: string): string }

/**
 * Where the addon of the package at `root` is: HEATBATH_ADDON when set (tests point it elsewhere), else
 * node-gyp-build's choice: a local build (build/Release, what `npm run install` makes from source) before a
 * prebuild shipped in the package (prebuilds/linux-x64/…, matched on platform, architecture and libc), so a
 * developer's fresh build wins over a packed one.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * import { locateAddon } from './addon.js'
 * // a directory with neither a build nor a prebuild: no path, and the reason names what is missing
 * const nowhere = locateAddon(join(tmpdir(), 'heatbath-nowhere'))
 * if (process.env.HEATBATH_ADDON === undefined) assert.ok(nowhere.path === undefined && /heatbath\.node is not built and no prebuild/.test(nowhere.reason))
 */
export const locateAddon = (root: string): AddonLocation => {
  const override = process.env.HEATBATH_ADDON
  if (override !== undefined && override !== '') return { path: override }
  try {
    return { path: nodeGypBuild.path(root) }
  } catch {
    const build = join(root, 'build', 'Release', 'heatbath.node')
    return { path: undefined, reason: `${build} is not built and no prebuild in ${join(root, 'prebuilds')} matches ${process.platform}-${process.arch}` }
  }
}

/**
 * The file the addon is loaded from ({@link locateAddon} for this package), or undefined when there is none.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { addonPath, nativeAddon } from './addon.js'
 * // when the addon loads, it came from the local build or from this platform's prebuild
 * const from = /(build[/\\]Release|prebuilds[/\\]linux-x64)[/\\][^/\\]+\.node$/
 * if (process.env.HEATBATH_ADDON === undefined && nativeAddon().addon !== undefined) assert.match(addonPath() ?? '', from)
 */
export const addonPath = (): string | undefined => locateAddon(packageRoot()).path

type Loaded = { readonly addon: NativeAddon } | { readonly addon: undefined; readonly reason: string }

let loaded: Loaded | undefined

/**
 * The addon, or undefined with the reason it could not be loaded (not built, wrong platform...).
 * Loaded once per process.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nativeAddon } from './addon.js'
 * const status = nativeAddon()
 * // built: the instruction set its kernels run; not built: why, naming the file
 * if (status.addon !== undefined) assert.ok(['avx512', 'avx2', 'generic'].includes(status.addon.isa()))
 * else assert.match(status.reason, /heatbath\.node/)
 */
export const nativeAddon = (): Loaded => {
  loaded ??= load(locateAddon(packageRoot()))
  return loaded
}

const load = (at: AddonLocation): Loaded => {
  if (at.path === undefined) return { addon: undefined, reason: at.reason }
  const path = at.path
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon
    return addon.version() >= 1 ? { addon } : { addon: undefined, reason: `${path} is a placeholder build (version ${addon.version()})` }
  } catch (e) {
    return { addon: undefined, reason: existsSync(path) ? `${path} does not load (${(e as Error).message.split('\n')[0]})` : `${path} is not built` }
  }
}
