/**
 * Annealed importance sampling of an RBM's log Z (Salakhutdinov & Murray 2008). The runs start from exact
 * draws of a base-rate model A (independent visible units with the data's marginals, log-odds
 * a_A = log(p̄/(1 − p̄)), p̄ smoothed by one pseudo-count each way; without data, a_A = 0) and move through
 * the distributions
 *
 *     p*_β(v) = exp((1 − β)·a_Aᵀv + β·aᵀv) · Πⱼ (1 + exp(β·(bⱼ + (Wᵀv)ⱼ)))
 *
 * for β = β₀ = 0 < β₁ < … < β_K = 1, each step one Gibbs sweep (h | v then v | h) that leaves p_β
 * invariant. A run's log weight is Σₖ log p*_βₖ(vₖ₋₁) − log p*_βₖ₋₁(vₖ₋₁); then
 * log Ẑ = log Z_A + log mean(w), Z_A = 2^hidden · Πᵢ (1 + exp(a_A,ᵢ)). Ẑ is unbiased for Z, so log Ẑ
 * under-estimates log Z on average (Jensen); its standard error is the delta method's sd(w)/(mean(w)·√runs).
 * Bernoulli RBMs only.
 *
 * @module
 */
import { integer, numbers, object, options as checkOptions, positiveInteger, rangeError, seed as checkSeed } from '../check/index.js'
import { type Energy, type Params } from '../energy/energy.js'
import { uniforms } from '../rng/index.js'
import { checkParams, layersOf, sigmoid, softplus } from './model.js'

/** Options of {@link ais}. */
export interface AisOptions {
  /** Rows of visible vectors whose marginals make the base-rate model (row-major); omitted: a_A = 0. */
  readonly data?: ArrayLike<number>
  /** The number of intermediate distributions K (default 14,500), spaced as {@link aisSchedule} spaces them. */
  readonly steps?: number
  /** Independent runs (default 100). */
  readonly runs?: number
  readonly seed: number
}

/** What {@link ais} gives. */
export interface AisResult {
  readonly logZ: number
  /** The delta method's standard error of log Ẑ. */
  readonly standardError: number
  /** log Z of the base-rate model. */
  readonly logZBase: number
  /** Each run's log importance weight. */
  readonly logWeights: Float64Array
  readonly steps: number
  readonly runs: number
}

/**
 * K + 1 inverse temperatures from 0 to 1 in Salakhutdinov & Murray's proportions: a thirtieth of the
 * steps evenly over [0, 0.5], 8/29 over [0.5, 0.9], 20/29 over [0.9, 1] (their 500, 4,000 and 10,000 of
 * 14,500), finer where the distributions change fastest.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { aisSchedule } from './ais.js'
 * const betas = aisSchedule(14500)
 * assert.equal(betas.length, 14501)
 * assert.equal(betas[500], 0.5)
 * assert.equal(betas[4500], 0.9)
 * assert.equal(betas[14500], 1)
 */
export const aisSchedule = (steps: number): Float64Array => {
  const K = integer(steps, 'rbm.aisSchedule: steps', { min: 3 })
  const first = Math.max(1, Math.round((K * 500) / 14500))
  const second = Math.max(1, Math.round((K * 4000) / 14500))
  const third = K - first - second
  const betas = new Float64Array(K + 1)
  const pieces: readonly (readonly [number, number, number])[] = [[0, 0.5, first], [0.5, 0.9, second], [0.9, 1, third]]
  let k = 0
  for (const [low, high, n] of pieces) for (let i = 0; i < n; i++) betas[k++] = low + ((high - low) * i) / n
  betas[K] = 1
  return betas
}

// The base-rate model's log-odds from the data's visible marginals, one pseudo-count each way.
const baseRate = (data: ArrayLike<number> | undefined, V: number): Float64Array => {
  const aA = new Float64Array(V)
  if (data === undefined) return aA
  const x = numbers(data, 'rbm.ais: data')
  if (x.length === 0 || x.length % V !== 0) throw rangeError('rbm.ais: data', `a multiple of ${V} values (rows of ${V} visible units)`, x.length)
  const n = x.length / V
  for (let i = 0; i < V; i++) {
    let s = 0
    for (let r = 0; r < n; r++) s += x[r * V + i]
    const p = (s + 1) / (n + 2)
    aA[i] = Math.log(p / (1 - p))
  }
  return aA
}

/**
 * Estimates log Z of a Bernoulli RBM by annealed importance sampling.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { init } from '../energy/index.js'
 * import { bernoulli } from './model.js'
 * import { logZ } from './log-z.js'
 * import { ais } from './ais.js'
 * const e = bernoulli({ visible: 6, hidden: 4, seed: 1, std: 1 })
 * const p = init(e)
 * const r = ais(e, p, { steps: 1000, runs: 100, seed: 2 })
 * assert.ok(Math.abs(r.logZ - logZ(e, p)) < 4 * r.standardError + 0.01)
 */
export const ais = (e: Energy, params: Params, options: AisOptions): AisResult => {
  const where = 'rbm.ais'
  const l = layersOf(e, `${where}: energy`)
  if (l.units !== 'bernoulli') throw rangeError(`${where}: energy`, 'a Bernoulli RBM (rbm.bernoulli)', e.name)
  const { W, a, b } = checkParams(l, params, `${where}: params`)
  const o = checkOptions<AisOptions>(object(options, `${where}: options`), `${where}: options`, ['data', 'steps', 'runs', 'seed'])
  const seed = checkSeed(o.seed, `${where}: seed`)
  const runs = positiveInteger(o.runs ?? 100, `${where}: runs`)
  const betas = aisSchedule(o.steps ?? 14500)
  const { visible: V, hidden: H } = l
  const aA = baseRate(o.data, V)
  let logZBase = H * Math.LN2
  for (let i = 0; i < V; i++) logZBase += softplus(aA[i])
  const v = new Uint8Array(runs * V)
  const u0 = uniforms(seed, 0, 0, runs * V)
  for (let k = 0; k < runs * V; k++) v[k] = u0[k] < sigmoid(aA[k % V]) ? 1 : 0
  const logW = new Float64Array(runs)
  const field = new Float64Array(H)
  const h = new Uint8Array(H)
  const u = new Float64Array(runs * (H + V))
  for (let k = 1; k < betas.length; k++) {
    const [previous, beta] = [betas[k - 1], betas[k]]
    uniforms(seed, k, 0, runs * (H + V), u)
    for (let r = 0; r < runs; r++) {
      const [at, draw] = [r * V, r * (H + V)]
      // log p*_β(v) − log p*_β'(v) and the hidden fields bⱼ + (Wᵀv)ⱼ, read once for both.
      let delta = 0
      field.set(b)
      for (let i = 0; i < V; i++) {
        if (v[at + i] === 0) continue
        delta += (beta - previous) * (a[i] - aA[i])
        for (let j = 0, w = i * H; j < H; j++) field[j] += W[w + j]
      }
      for (let j = 0; j < H; j++) {
        delta += softplus(beta * field[j]) - softplus(previous * field[j])
        h[j] = u[draw + j] < sigmoid(beta * field[j]) ? 1 : 0
      }
      logW[r] += delta
      for (let i = 0; i < V; i++) {
        let s = a[i]
        for (let j = 0, w = i * H; j < H; j++) if (h[j] === 1) s += W[w + j]
        v[at + i] = u[draw + H + i] < sigmoid((1 - beta) * aA[i] + beta * s) ? 1 : 0
      }
    }
  }
  const { logMean, standardError } = logMeanExp(logW)
  return { logZ: logZBase + logMean, standardError, logZBase, logWeights: logW, steps: betas.length - 1, runs }
}

/**
 * log mean exp(w) of log weights, and the delta method's standard error of it, sd(e^w)/(mean(e^w)·√n),
 * computed with the weights scaled by their largest.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { logMeanExp } from './ais.js'
 * const r = logMeanExp(new Float64Array([1000, 1000 + Math.log(3)]))
 * assert.ok(Math.abs(r.logMean - (1000 + Math.log(2))) < 1e-12)
 * assert.ok(Math.abs(r.standardError - Math.sqrt(2) / 2 / Math.sqrt(2)) < 1e-12) // sd 1 (n − 1 = 1), mean 2
 */
export const logMeanExp = (logW: Float64Array): { logMean: number; standardError: number } => {
  const n = logW.length
  let max = -Infinity
  for (const w of logW) max = Math.max(max, w)
  let sum = 0
  for (const w of logW) sum += Math.exp(w - max)
  const mean = sum / n
  let squares = 0
  for (const w of logW) squares += (Math.exp(w - max) - mean) ** 2
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : Infinity
  return { logMean: max + Math.log(mean), standardError: sd / (mean * Math.sqrt(n)) }
}
