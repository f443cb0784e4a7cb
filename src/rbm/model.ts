/**
 * An RBM's layers and the arithmetic of its conditionals: p(h | v), the mean of v given h, and the checks
 * of its parameters. The energies themselves (`rbm.bernoulli`, `rbm.gaussianBernoulli`: the free energy
 * F(v) of the visible units) sit in the energy catalogue, src/energy/rbm.ts, so that
 * `energy.fromDescription` rebuilds a saved RBM; they are re-exported here.
 *
 * @module
 */
import { finite, object, positiveInteger, rangeError, typeError } from '../check/index.js'
import { isEnergy, type Params } from '../energy/energy.js'

export { bernoulli, gaussianBernoulli, type RbmOptions } from '../energy/rbm.js'

/** What an RBM energy's description holds. */
export interface RbmLayers {
  readonly units: 'bernoulli' | 'gaussianBernoulli'
  readonly visible: number
  readonly hidden: number
  /** σ of Gaussian visible units (1 for Bernoulli ones, where it is unused). */
  readonly sigma: number
}

/**
 * The layers of an RBM energy (built by `rbm.bernoulli` or `rbm.gaussianBernoulli`), or a TypeError.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli, layersOf } from './model.js'
 * assert.deepEqual(layersOf(bernoulli({ visible: 4, hidden: 3 }), 'rbm.logZ: energy'), { units: 'bernoulli', visible: 4, hidden: 3, sigma: 1 })
 */
export const layersOf = (e: unknown, where: string): RbmLayers => {
  const d = isEnergy(e) ? (e.description as Record<string, unknown>) : null
  if (d === null || (d.name !== 'rbm.bernoulli' && d.name !== 'rbm.gaussianBernoulli')) throw typeError(where, 'an RBM (rbm.bernoulli or rbm.gaussianBernoulli)', e)
  return { units: d.units as RbmLayers['units'], visible: d.visible as number, hidden: d.hidden as number, sigma: d.sigma as number }
}

/** An RBM's parameters as Float64Arrays of the right lengths, or a RangeError naming the bad one. */
export const checkParams = (l: RbmLayers, p: unknown, where: string): { W: Float64Array; a: Float64Array; b: Float64Array } => {
  const o = object(p, where)
  const want = { W: l.visible * l.hidden, a: l.visible, b: l.hidden } as const
  for (const [name, n] of Object.entries(want)) {
    const v = o[name]
    if (!(v instanceof Float64Array) || v.length !== n) throw rangeError(`${where}.${name}`, `a Float64Array of ${n} values`, v)
    for (let i = 0; i < n; i++) finite(v[i], `${where}.${name}[${i}]`)
  }
  return o as unknown as { W: Float64Array; a: Float64Array; b: Float64Array }
}

// The rows of x (whole rows of the layer's units), after checking the layers' sizes: an RBM energy given
// for its layers has none, and made an empty result. `at` names the function, `arg` the argument x.
const rowsOf = (l: RbmLayers, x: Float64Array, layer: 'visible' | 'hidden', at: string, arg: string): number => {
  const layers = object(l, `${at}: layers`)
  const units = positiveInteger(layers[layer], `${at}: layers.${layer}`)
  const other = layer === 'visible' ? 'hidden' : 'visible'
  positiveInteger(layers[other], `${at}: layers.${other}`)
  if (!(x instanceof Float64Array)) throw typeError(`${at}: ${arg}`, 'a Float64Array', x)
  if (x.length % units !== 0) throw rangeError(`${at}: ${arg}`, `whole rows of ${units} ${layer} units`, x)
  return x.length / units
}

/** softplus(x) = log(1 + eˣ) without overflow. */
export const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)))

/** The logistic function 1 / (1 + e⁻ˣ). */
export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))

/**
 * p(hⱼ = 1 | v) = σ(bⱼ + (Wᵀv/σ)ⱼ) for every row of `v` (n × visible), as n × hidden values.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { hiddenProbabilities } from './model.js'
 * const l = { units: 'bernoulli', visible: 2, hidden: 1, sigma: 1 } as const
 * const p = { W: new Float64Array([1, 1]), a: new Float64Array(2), b: new Float64Array([-1]) }
 * assert.deepEqual([...hiddenProbabilities(l, p, new Float64Array([1, 0]))], [0.5])
 */
export const hiddenProbabilities = (l: RbmLayers, p: Params, v: Float64Array): Float64Array => {
  const { visible: V, hidden: H } = l
  const n = rowsOf(l, v, 'visible', 'rbm.hiddenProbabilities', 'v')
  const out = new Float64Array(n * H)
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < H; j++) {
      let s = 0
      for (let i = 0; i < V; i++) s += v[r * V + i] * p.W[i * H + j]
      out[r * H + j] = sigmoid(p.b[j] + s / l.sigma)
    }
  }
  return out
}

/**
 * The mean of v given h for every row of `h` (n × hidden): σ(a + Wh) for Bernoulli units, a + σ·Wh for
 * Gaussian ones.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { visibleMeans } from './model.js'
 * const l = { units: 'gaussianBernoulli', visible: 2, hidden: 1, sigma: 2 } as const
 * const p = { W: new Float64Array([1, -1]), a: new Float64Array([0, 1]), b: new Float64Array(1) }
 * assert.deepEqual([...visibleMeans(l, p, new Float64Array([1]))], [2, -1])
 */
export const visibleMeans = (l: RbmLayers, p: Params, h: Float64Array): Float64Array => {
  const { visible: V, hidden: H } = l
  const n = rowsOf(l, h, 'hidden', 'rbm.visibleMeans', 'h')
  const out = new Float64Array(n * V)
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < V; i++) {
      let s = 0
      for (let j = 0; j < H; j++) s += p.W[i * H + j] * h[r * H + j]
      out[r * V + i] = l.units === 'bernoulli' ? sigmoid(p.a[i] + s) : p.a[i] + l.sigma * s
    }
  }
  return out
}
