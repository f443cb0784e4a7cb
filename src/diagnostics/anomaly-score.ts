/**
 * Anomaly and out-of-distribution scores of points under an energy, one score function per kind of
 * energy: an energy's own value E(x) (log p(x) = −E(x) − log Z, and log Z is the same for every point,
 * so E ranks points as −log p does), and for a classifier's energy JEM's two scores (Grathwohl et al.
 * 2019): log p(x) up to the constant, and the norm of its gradient ‖∇ₓ log p(x)‖, small in the modes
 * where the data lie. RBMs will add their free energy here.
 *
 * @module
 */
import { type Backend } from '../backend/index.js'
import { firstNonFinite, integer, oneOf, options as checkOptions, rangeError } from '../check/index.js'
import { checkEnergy, type Energy, type Params } from '../energy/energy.js'
import { paramValues } from '../energy/params.js'
import { energyAndGradientAt, energyAt, flattenPoints, type Points } from '../energy/points.js'
import * as ir from '../ir/index.js'

/** The score functions: 'energy' (E(x)) and 'jem' (E(x), log p(x) and ‖∇ₓ log p(x)‖). */
export const scoreKinds = ['energy', 'jem'] as const

/** One of {@link scoreKinds}. */
export type ScoreKind = (typeof scoreKinds)[number]

/** Scores of points, one value a point in each column; `score` is the primary one, higher meaning more anomalous. */
export interface AnomalyScores {
  /** E(x): higher where the model puts less mass. */
  readonly score: Float64Array
  /** JEM: log p(x) up to its constant, −E(x). */
  readonly logDensity?: Float64Array
  /** JEM: ‖∇ₓ log p(x)‖ = ‖∇ₓE(x)‖. */
  readonly gradientNorm?: Float64Array
}

/** Options of {@link anomalyScores}. */
export interface AnomalyScoreOptions {
  /** The score function; default by the energy: 'jem' for a classifier's, 'energy' otherwise. */
  readonly kind?: ScoreKind
  /** Default 'auto': the native executor when it is built. */
  readonly backend?: Backend
  readonly threads?: number
  /** The precision the energy is computed in: 'float64' (the default) or 'float32', faster natively. */
  readonly dtype?: 'float32' | 'float64'
}

/** The option names of {@link anomalyScores}. */
export const anomalyScoreOptionNames = ['kind', 'backend', 'threads', 'dtype'] as const

/**
 * The score function an energy gets by default: JEM's for a classifier's energy, its value otherwise.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energy } from 'heatbath'
 * import { defaultScoreKind } from './anomaly-score.js'
 * assert.equal(defaultScoreKind(energy.classifier(energy.network({ widths: [2, 3] }))), 'jem')
 * assert.equal(defaultScoreKind(energy.doubleWell()), 'energy')
 */
export const defaultScoreKind = (e: Energy): ScoreKind => (e.name === 'classifier' ? 'jem' : 'energy')

// Points padded to a power-of-two count by repeating the last, so that scoring any number of points
// compiles at most one tape per power of two.
const padded = (x: Float64Array, D: number): Float64Array => {
  const rows = x.length / D
  const size = 2 ** Math.ceil(Math.log2(rows))
  if (size === rows) return x
  const out = new Float64Array(size * D)
  out.set(x)
  for (let r = rows; r < size; r++) out.copyWithin(r * D, (rows - 1) * D, rows * D)
  return out
}

/**
 * The anomaly scores of points under an energy with parameters `params` (default `energy.init(e)`), by
 * the energy's score function (or `kind`), on the native executor when it is built. The points are
 * scored in one batch, padded to a power of two.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics, energy } from 'heatbath'
 * const well = energy.doubleWell()
 * const { score } = diagnostics.anomalyScores(well, [[1], [0], [3]], undefined, { backend: 'reference' })
 * assert.deepEqual([...score], [-1, 0, 63]) // E = x⁴ − 2x²: x = 3 is far out
 * const jem = diagnostics.anomalyScores(well, [[2]], undefined, { kind: 'jem', backend: 'reference' })
 * assert.deepEqual([jem.logDensity?.[0], jem.gradientNorm?.[0]], [-8, 24])
 */
export const anomalyScores = (e: Energy, points: Points, params?: Params, options?: AnomalyScoreOptions): AnomalyScores => {
  const where = 'anomalyScores'
  checkEnergy(e, `${where}: energy`)
  const o = checkOptions<AnomalyScoreOptions>(options, `${where}: options`, anomalyScoreOptionNames)
  const kind = oneOf(o.kind ?? defaultScoreKind(e), `${where}: kind`, scoreKinds)
  const at = {
    backend: o.backend ?? 'auto',
    ...(o.threads === undefined ? {} : { threads: integer(o.threads, `${where}: threads`, { min: 1, max: 1024 }) }),
    ...(o.dtype === undefined ? {} : { dtype: oneOf(o.dtype, `${where}: dtype`, ['float64', 'float32'] as const) }),
  }
  const D = ir.size(e.shape)
  const x = flattenPoints(e, points, `${where}: points`)
  const bad = firstNonFinite(x)
  if (bad >= 0) throw rangeError(`${where}: points: point ${Math.floor(bad / D)}, value ${bad % D}`, 'a finite number', x[bad])
  const rows = x.length / D
  const p = paramValues(e, params, `${where}: params`)
  if (kind === 'energy') return { score: energyAt(e, padded(x, D), p, at).subarray(0, rows) }
  const both = energyAndGradientAt(e, padded(x, D), p, at)
  const gradientNorm = new Float64Array(rows)
  for (let r = 0; r < rows; r++) {
    let q = 0
    for (let d = 0; d < D; d++) q += both.gradient[r * D + d] ** 2
    gradientNorm[r] = Math.sqrt(q)
  }
  const score = both.energy.slice(0, rows)
  return { score, logDensity: score.map((v) => -v), gradientNorm }
}
