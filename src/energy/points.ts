/**
 * Evaluating an energy and its input gradient at given points: with the reference executor (float64) by
 * default, for small jobs (tests, documentation), or on the native backend for many points (a grid of
 * 40,000 cells under an MLP: seconds on the reference executor, milliseconds natively).
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { type Backend, runTape } from '../backend/index.js'
import { integer, numbers, options as checkOptions, oneOf, rangeError } from '../check/index.js'
import { checkEnergy, type Energy, type Params, program } from './energy.js'
import { paramValues } from './params.js'

/** Points as rows (`[[x0, y0], [x1, y1]]`) or one flat row-major array of batch × size(shape) numbers. */
export type Points = ArrayLike<number> | readonly (readonly number[])[]

// Compiled tapes per energy and (batch, outputs), so repeated calls do not recompile.
const tapes = new WeakMap<Energy, Map<string, ir.Tape>>()

const tapeOf = (e: Energy, batch: number, outputs: 'energy' | 'both' | 'gradient'): ir.Tape => {
  let byKey = tapes.get(e)
  if (byKey === undefined) {
    byKey = new Map()
    tapes.set(e, byKey)
  }
  const key = `${batch}:${outputs}`
  const cached = byKey.get(key)
  if (cached !== undefined) return cached
  const p = program(e, batch)
  const values = outputs === 'energy' ? [p.energy] : outputs === 'both' ? [p.energy, ...ir.grad(ir.sum(p.energy), [p.x])] : ir.grad(ir.sum(p.energy), [p.x])
  const tape = ir.compile(values, [p.x, ...p.paramList])
  byKey.set(key, tape)
  return tape
}

/**
 * The compiled tape of an energy and its input gradient for `batch` configurations: outputs [E (shape
 * [batch]), ∇ₓE (shape of x)], feeds x then the parameters in sorted order. Cached per energy and batch, so
 * the grid, the samplers and the native loader share one compilation.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, gradientTape } from './index.js'
 * assert.equal(gradientTape(doubleWell(), 4).outputs.length, 2)
 */
export const gradientTape = (e: Energy, batch: number): ir.Tape => tapeOf(checkEnergy(e, 'energy.gradientTape: energy'), batch, 'both')

/**
 * The compiled tape of the input gradient alone, ∇ₓ(ΣE) (shape of x), with the feeds of
 * {@link gradientTape}. What a sampler without a Metropolis test needs between snapshots: the parts of
 * the energy's forward pass that only the energy's value uses are not computed.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, gradientOnlyTape } from './index.js'
 * assert.deepEqual(gradientOnlyTape(doubleWell(), 4).outputs.map((o) => o.shape), [[4, 1]])
 */
export const gradientOnlyTape = (e: Energy, batch: number): ir.Tape => tapeOf(checkEnergy(e, 'energy.gradientOnlyTape: energy'), batch, 'gradient')

/** Flattens points (rows, or one flat array) and checks that they fill whole configurations (values may be non-finite). */
export const flattenPoints = (e: Energy, points: Points, where: string): Float64Array => {
  const d = ir.size(e.shape)
  const configurations = `configurations of shape ${ir.showShape(e.shape)}`
  const rows = Array.isArray(points) && points.length > 0 && Array.isArray(points[0])
  const flat = rows
    ? Float64Array.from((points as readonly unknown[]).flatMap((row, i) => Array.from(numbers(row, `${where}[${i}]`, { length: d, lengthReason: configurations, finite: false }))))
    : numbers(points, where, { finite: false })
  if (flat.length === 0 || flat.length % d !== 0) throw rangeError(where, `whole ${configurations} (${d} values each)`, points)
  return flat
}

/**
 * Where {@link energyAt} and {@link gradientAt} run: 'reference' (default), 'native' or 'auto'; threads of
 * a native run; the precision of the run ('float64', the default, or 'float32': the results are float32
 * values, returned as float64).
 */
export interface AtOptions {
  readonly backend?: Backend
  readonly threads?: number
  readonly dtype?: 'float32' | 'float64'
}

const run = (e: Energy, points: Points, params: Params | undefined, outputs: 'energy' | 'both', where: string, options: AtOptions | undefined): Float64Array[] => {
  checkEnergy(e, `${where}: energy`)
  const o = checkOptions(options, `${where}: options`, ['backend', 'threads', 'dtype'])
  const backend = oneOf(o.backend ?? 'reference', `${where}: options.backend`, ['reference', 'native', 'auto'] as const)
  const dtype = oneOf(o.dtype ?? 'float64', `${where}: options.dtype`, ['float64', 'float32'] as const)
  const threads = o.threads === undefined ? undefined : integer(o.threads, `${where}: options.threads`, { min: 1, max: 1024 })
  const x = flattenPoints(e, points, `${where}: points`)
  const batch = x.length / ir.size(e.shape)
  // Checked against the energy's parameters by name and shape, so that a stray key (a parameter 'x' would
  // replace the points) or a wrong size names the argument, not the executor's feeds.
  const feeds = { ...paramValues(e, params, `${where}: params`), x }
  const tape = tapeOf(e, batch, outputs)
  const more = threads === undefined ? {} : { threads }
  if (dtype === 'float32') return runTape(tape, feeds, { backend, dtype, ...more }).map((v) => Float64Array.from(v))
  return backend === 'reference' ? ir.runReference(tape, feeds) : runTape(tape, feeds, { backend, ...more })
}

/**
 * The energy of each point. `params` defaults to `init(e)` (deterministic initialisers, or the energy's
 * own seed); `options.backend: 'native'` runs it in the addon (float64, the same numbers to rounding).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, energyAt } from './index.js'
 * assert.deepEqual(energyAt(doubleWell(), [[-1], [0], [1]]), new Float64Array([-1, 0, -1]))
 */
export const energyAt = (e: Energy, points: Points, params?: Params, options?: AtOptions): Float64Array => run(e, points, params, 'energy', 'energy.energyAt', options)[0]

/**
 * ∇ₓE at each point, row-major like the points.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, gradientAt } from './index.js'
 * assert.deepEqual(gradientAt(doubleWell(), [[2]]), new Float64Array([24])) // d/dx (x⁴ − 2x²) = 4x³ − 4x
 */
export const gradientAt = (e: Energy, points: Points, params?: Params, options?: AtOptions): Float64Array => run(e, points, params, 'both', 'energy.gradientAt', options)[1]

/**
 * E and ∇ₓE at each point from one run of the tape (the gradient's backward pass reuses the forward
 * pass), for a caller that needs both (JEM's scores: log p(x) and the norm of its gradient).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, energyAndGradientAt } from './index.js'
 * const { energy, gradient } = energyAndGradientAt(doubleWell(), [[2]])
 * assert.deepEqual([energy[0], gradient[0]], [8, 24]) // x⁴ − 2x² and 4x³ − 4x at 2
 */
export const energyAndGradientAt = (e: Energy, points: Points, params?: Params, options?: AtOptions): { readonly energy: Float64Array; readonly gradient: Float64Array } => {
  const [energy, gradient] = run(e, points, params, 'both', 'energy.energyAndGradientAt', options)
  return { energy, gradient }
}
