/**
 * Scores of an RBM on data: the pseudo-log-likelihood as scikit-learn's `BernoulliRBM.score_samples`
 * computes it, and the reconstruction error.
 *
 * @module
 */
import { numbers, object, oneOf, options as checkOptions, rangeError, seed as checkSeed } from '../check/index.js'
import { energyAt } from '../energy/index.js'
import { type Energy, type Params } from '../energy/energy.js'
import { uniforms } from '../rng/index.js'
import { checkParams, hiddenProbabilities, layersOf, type RbmLayers, softplus, visibleMeans } from './model.js'

/** Options of {@link pseudoLikelihood}. */
export interface PseudoLikelihoodOptions {
  /** Which bit of each row is flipped: unit ⌊u·visible⌋ of row r, u the r-th uniform of stream 0. */
  readonly seed: number
  /** Where F is evaluated (default 'reference'). */
  readonly backend?: 'reference' | 'native' | 'auto'
}

const rowsOf = (l: RbmLayers, data: unknown, where: string): Float64Array => {
  const x = numbers(data, where)
  if (x.length === 0 || x.length % l.visible !== 0) throw rangeError(where, `a multiple of ${l.visible} values (rows of ${l.visible} visible units)`, x.length)
  return x
}

/**
 * The pseudo-log-likelihood of each row v, as scikit-learn's `BernoulliRBM.score_samples`: one visible
 * unit i of the row, chosen at random, is flipped (vᵢ → 1 − vᵢ, giving v̂), and the score is
 * visible · log σ(F(v̂) − F(v)), an estimate of Σᵢ log p(vᵢ | v₋ᵢ). Bernoulli RBMs only.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli } from './model.js'
 * import { pseudoLikelihood } from './scores.js'
 * // With W = 0, a unit's conditional is its own σ(aᵢ): every row scores visible · log σ(±aᵢ).
 * const e = bernoulli({ visible: 3, hidden: 2 })
 * const p = { W: new Float64Array(6), a: new Float64Array([0.5, 0.5, 0.5]), b: new Float64Array(2) }
 * const pll = pseudoLikelihood(e, p, [1, 1, 1, 0, 0, 0], { seed: 1 })
 * assert.ok(Math.abs(pll[0] - 3 * Math.log(1 / (1 + Math.exp(-0.5)))) < 1e-12)
 * assert.ok(Math.abs(pll[1] - 3 * Math.log(1 / (1 + Math.exp(0.5)))) < 1e-12)
 */
export const pseudoLikelihood = (e: Energy, params: Params, data: ArrayLike<number>, options: PseudoLikelihoodOptions): Float64Array => {
  const where = 'rbm.pseudoLikelihood'
  const l = layersOf(e, `${where}: energy`)
  if (l.units !== 'bernoulli') throw rangeError(`${where}: energy`, 'a Bernoulli RBM (rbm.bernoulli)', e.name)
  checkParams(l, params, `${where}: params`)
  const o = checkOptions<PseudoLikelihoodOptions>(object(options, `${where}: options`), `${where}: options`, ['seed', 'backend'])
  const backend = oneOf(o.backend ?? 'reference', `${where}: options.backend`, ['reference', 'native', 'auto'] as const)
  const v = rowsOf(l, data, `${where}: data`)
  const V = l.visible
  const n = v.length / V
  const u = uniforms(checkSeed(o.seed, `${where}: seed`), 0, 0, n)
  const flipped = v.slice()
  for (let r = 0; r < n; r++) {
    const i = r * V + Math.floor(u[r] * V)
    flipped[i] = 1 - flipped[i]
  }
  const F = energyAt(e, v, params, { backend })
  const Fhat = energyAt(e, flipped, params, { backend })
  // log σ(x) = −softplus(−x)
  return F.map((f, r) => -V * softplus(f - Fhat[r]))
}

/**
 * The mean-field reconstruction error of each row: ‖v − E[v | h = p(h | v)]‖², the squared distance from
 * v to the visible means given its hidden probabilities (σ(a + W·σ(b + Wᵀv/σ)) for Bernoulli units).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli } from './model.js'
 * import { reconstructionError } from './scores.js'
 * // W = 0: the reconstruction is σ(a) = ½ whatever v, so every binary row is 3 × ¼ away.
 * const e = bernoulli({ visible: 3, hidden: 2 })
 * const p = { W: new Float64Array(6), a: new Float64Array(3), b: new Float64Array(2) }
 * assert.deepEqual([...reconstructionError(e, p, [1, 0, 1])], [0.75])
 */
export const reconstructionError = (e: Energy, params: Params, data: ArrayLike<number>): Float64Array => {
  const where = 'rbm.reconstructionError'
  const l = layersOf(e, `${where}: energy`)
  checkParams(l, params, `${where}: params`)
  const v = rowsOf(l, data, `${where}: data`)
  const back = visibleMeans(l, params, hiddenProbabilities(l, params, v))
  const V = l.visible
  return Float64Array.from({ length: v.length / V }, (_, r) => {
    let s = 0
    for (let i = r * V; i < (r + 1) * V; i++) s += (v[i] - back[i]) ** 2
    return s
  })
}
