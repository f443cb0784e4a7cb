/**
 * Loading the native addon. This is the only module that touches build/Release/heatbath.node; the rest of
 * the library asks {@link nativeAddon} and falls back to the reference executor when it is missing.
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
}

// The package root: the nearest directory above this file with heatbath's package.json (this file runs
// from src/backend under tsx and from dist/src/backend when built).
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

/**
 * Where the addon is loaded from: HEATBATH_ADDON when set (tests point it elsewhere), else build/Release.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { addonPath } from './addon.js'
 * // without HEATBATH_ADDON, the package's own build
 * if (process.env.HEATBATH_ADDON === undefined) assert.match(addonPath(), /build[/\\]Release[/\\]heatbath\.node$/)
 */
export const addonPath = (): string => process.env.HEATBATH_ADDON ?? join(packageRoot(), 'build', 'Release', 'heatbath.node')

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
  if (loaded === undefined) {
    const path = addonPath()
    try {
      const addon = createRequire(import.meta.url)(path) as NativeAddon
      loaded = addon.version() >= 1 ? { addon } : { addon: undefined, reason: `${path} is a placeholder build (version ${addon.version()})` }
    } catch (e) {
      loaded = { addon: undefined, reason: existsSync(path) ? `${path} does not load (${(e as Error).message.split('\n')[0]})` : `${path} is not built` }
    }
  }
  return loaded
}
