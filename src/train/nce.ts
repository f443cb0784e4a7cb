/**
 * Noise-contrastive estimation (Gutmann & Hyvärinen 2010, 2012): learn E and log Z together by telling
 * data from samples of a known noise density q. With the model's log density log p(u) = −E(u) − log Z
 * (log Z a parameter the objective owns, named 'logZ'), G(u) = log p(u) − log q(u) and ν noise samples per
 * data point, the loss is the logistic regression's
 *
 *     (1/B) [ Σᵢ softplus(−(G(xᵢ) − log ν)) + Σⱼ softplus(G(yⱼ) − log ν) ]
 *
 * over B data points x and νB noise samples y. The noise is a Gaussian fitted to the whole data set once:
 * its mean and its covariance (maximum likelihood, divided by n), full (`noise: 'gaussian'`) or only its
 * diagonal (`noise: 'diagonal'`). Noise samples y = m + Lz come from standard normals z drawn from the
 * run's Philox streams, keyed by (seed, step).
 *
 * @module
 */
import { oneOf, options, positiveInteger, rangeError } from '../check/index.js'
import { type Energy } from '../energy/energy.js'
import { cholesky } from '../energy/linear-algebra.js'
import * as ir from '../ir/index.js'
import { batchInput, energyOf, type ObjectiveGraph, paramLeaves, rows, type Sizes } from './objective.js'

/** NCE as a value. */
export interface Nce {
  readonly kind: 'nce'
  /** The noise: a Gaussian fitted to the data with full covariance, or with its diagonal only. */
  readonly noise: 'gaussian' | 'diagonal'
  /** ν: noise samples per data point. */
  readonly ratio: number
}

/** Options of {@link nce}. */
export interface NceOptions {
  /** Default 'gaussian' (full covariance). */
  readonly noise?: 'gaussian' | 'diagonal'
  /** Noise samples per data point, default 1. */
  readonly ratio?: number
}

/**
 * Noise-contrastive estimation against a Gaussian fitted to the data; learns log Z as the parameter
 * 'logZ' (reported with the energy's parameters).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nce } from './nce.js'
 * assert.deepEqual(nce({ ratio: 4 }), { kind: 'nce', noise: 'gaussian', ratio: 4 })
 */
export const nce = (o: NceOptions = {}): Nce => {
  const where = 'train.nce'
  const v = options(o, where, ['noise', 'ratio'])
  return Object.freeze({
    kind: 'nce' as const,
    noise: oneOf(v.noise ?? 'gaussian', `${where}: noise`, ['gaussian', 'diagonal'] as const),
    ratio: positiveInteger(v.ratio ?? 1, `${where}: ratio`),
  })
}

/** The fixed inputs of NCE: the noise's mean m, its Cholesky factor L, L⁻¹, and log of its normaliser. */
const noiseInputs = (D: number) => [
  { name: 'noiseMean', shape: [D] },
  { name: 'noiseScale', shape: [D, D] },
  { name: 'noiseWhitening', shape: [D, D] },
  { name: 'noiseLogNormaliser', shape: [] },
]

/**
 * Fits NCE's noise to data (n rows of D numbers): the feeds 'noiseMean', 'noiseScale' (L, with
 * covariance LLᵀ), 'noiseWhitening' (L⁻¹) and 'noiseLogNormaliser' (log((2π)^{D/2} det L)).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { fitNoise, nce } from './nce.js'
 * const fit = fitNoise(nce({ noise: 'diagonal' }), new Float64Array([0, 1, 2, 3, 4, 8]), 2)
 * assert.deepEqual([...fit.noiseMean], [2, 4])
 */
export const fitNoise = (o: Nce, data: Float64Array, D: number): Record<string, Float64Array> => {
  const n = data.length / D
  const mean = new Float64Array(D)
  for (let i = 0; i < n; i++) for (let a = 0; a < D; a++) mean[a] += data[i * D + a] / n
  const covariance = Array.from({ length: D }, () => new Array<number>(D).fill(0))
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < D; a++) {
      for (let b = 0; b <= a; b++) covariance[a][b] += ((data[i * D + a] - mean[a]) * (data[i * D + b] - mean[b])) / n
    }
  }
  for (let a = 0; a < D; a++) {
    for (let b = 0; b < a; b++) {
      if (o.noise === 'diagonal') covariance[a][b] = 0
      covariance[b][a] = covariance[a][b]
    }
  }
  const L = cholesky(covariance)
  if (L === undefined) throw rangeError('train.nce: the data', `a covariance of full rank for the ${o.noise} noise (more points than dimensions, no constant coordinate)`, `${n} points in ${D} dimensions`)
  const whitening = lowerInverse(L)
  const logNormaliser = (D / 2) * Math.log(2 * Math.PI) + L.reduce((s, row, a) => s + Math.log(row[a]), 0)
  return { noiseMean: mean, noiseScale: Float64Array.from(L.flat()), noiseWhitening: Float64Array.from(whitening.flat()), noiseLogNormaliser: Float64Array.of(logNormaliser) }
}

// The inverse of a lower-triangular matrix by forward substitution, column by column.
const lowerInverse = (L: readonly (readonly number[])[]): number[][] => {
  const D = L.length
  const inv = Array.from({ length: D }, () => new Array<number>(D).fill(0))
  for (let c = 0; c < D; c++) {
    for (let r = c; r < D; r++) {
      let s = r === c ? 1 : 0
      for (let k = c; k < r; k++) s -= L[r][k] * inv[k][c]
      inv[r][c] = s / L[r][r]
    }
  }
  return inv
}

/**
 * The IR of NCE: one term 'nce'; the random input 'noise' [νB, D] of standard normals; the fixed inputs
 * of {@link fitNoise}; and the parameter 'logZ'.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { nce, nceGraph } from './nce.js'
 * const g = nceGraph(quadratic({ center: [0, 0] }), nce({ ratio: 2 }), { positives: 8, negatives: 0 })
 * assert.deepEqual(g.random, [{ name: 'noise', shape: [16, 2] }])
 */
export const nceGraph = (e: Energy, o: Nce, sizes: Sizes): ObjectiveGraph => {
  const own = { logZ: { shape: [], init: { kind: 'zeros' as const } } }
  if ('logZ' in e.params) throw rangeError(`train.nce: energy '${e.name}'`, "no parameter named 'logZ' (the name of NCE's own log Z)", `parameters ${Object.keys(e.params).join(', ')}`)
  const params = paramLeaves(e, own)
  const D = ir.size(e.shape)
  const fixed = noiseInputs(D)
  const [mean, scale, whitening, logNormaliser] = fixed.map((f) => ir.input(f.name, f.shape))
  const B = sizes.positives
  const z = ir.input('noise', [o.ratio * B, D])
  const positive = batchInput(e, 'positive', B)
  const noise = ir.reshape(ir.add(ir.matmul(z, ir.transpose(scale)), mean), [o.ratio * B, ...e.shape])
  const logNoiseOfData = ir.sub(ir.mul(ir.sum(ir.square(ir.matmul(ir.sub(rows(positive), mean), ir.transpose(whitening))), 1), -0.5), logNormaliser)
  const logNoiseOfNoise = ir.sub(ir.mul(ir.sum(ir.square(z), 1), -0.5), logNormaliser)
  const Ep = energyOf(e, positive, params)
  const En = energyOf(e, noise, params)
  const logRatio = Math.log(o.ratio)
  // G(u) − log ν, the logit of "u is data".
  const logit = (E: ir.Expr, logNoise: ir.Expr) => ir.sub(ir.sub(ir.neg(ir.add(E, params.logZ)), logNoise), logRatio)
  const loss = ir.div(ir.add(ir.sum(ir.softplus(ir.neg(logit(Ep, logNoiseOfData)))), ir.sum(ir.softplus(logit(En, logNoiseOfNoise)))), B)
  return { positive, random: [{ name: 'noise', shape: z.shape }], fixed, params: own, terms: { nce: loss }, meanPositive: ir.mean(Ep), meanNegative: ir.mean(En) }
}
