/**
 * Restricted Boltzmann machines as energies of their visible units: the free energy
 *
 *     F(v) = −log Σ_h exp(−E(v, h)) = −aᵀv − Σⱼ softplus(bⱼ + (Wᵀv)ⱼ)
 *
 * of the joint energy E(v, h) = −vᵀWh − aᵀv − bᵀh (binary v and h), so that p(v) ∝ exp(−F(v)) is the
 * RBM's marginal. F is an IR program, so its parameter gradient is symbolic and both executors run it;
 * the Gaussian–Bernoulli RBM (real v, fixed σ) has E(v, h) = ‖v − a‖²/(2σ²) − (v/σ)ᵀWh − bᵀh and
 * F(v) = ‖v − a‖²/(2σ²) − Σⱼ softplus(bⱼ + (Wᵀv/σ)ⱼ).
 *
 * Parameters: 'W' [visible, hidden] (normal, std 0.01, as scikit-learn's BernoulliRBM), 'a' [visible] and
 * 'b' [hidden] (zeros): the names of `energy.bipartite`, the joint energy that block Gibbs samples.
 *
 * @module
 */
import { finite, object, options as checkOptions, positive, positiveInteger, rangeError, typeError } from '../check/index.js'
import { define, type Energy, isEnergy, type Params } from '../energy/energy.js'
import * as ir from '../ir/index.js'

/** Options of {@link bernoulli} and {@link gaussianBernoulli}. */
export interface RbmOptions {
  readonly visible: number
  readonly hidden: number
  /** The seed of W's initial values (default 0). */
  readonly seed?: number
  /** The standard deviation of W's initial values (default 0.01). */
  readonly std?: number
}

/** What an RBM energy's description holds. */
export interface RbmLayers {
  readonly units: 'bernoulli' | 'gaussianBernoulli'
  readonly visible: number
  readonly hidden: number
  /** σ of Gaussian visible units (1 for Bernoulli ones, where it is unused). */
  readonly sigma: number
}

const row = (p: ir.Expr): ir.Expr => ir.reshape(p, [1, p.shape[0]])

// Σⱼ softplus(bⱼ + (Wᵀv)ⱼ) for a batch of (scaled) visible vectors, shape [batch].
const hiddenTerm = (v: ir.Expr, p: Readonly<Record<string, ir.Expr>>): ir.Expr => ir.sum(ir.softplus(ir.add(ir.matmul(v, p.W), row(p.b))), 1)

const checkSizes = (o: RbmOptions, where: string, extra: readonly string[]): { visible: number; hidden: number; seed: number; std: number } => {
  const v = checkOptions<RbmOptions>(object(o, `${where}: options`), `${where}: options`, ['visible', 'hidden', 'seed', 'std', ...extra] as never)
  return {
    visible: positiveInteger(v.visible, `${where}: visible`),
    hidden: positiveInteger(v.hidden, `${where}: hidden`),
    seed: v.seed ?? 0,
    std: positive(v.std ?? 0.01, `${where}: std`),
  }
}

const params = (visible: number, hidden: number, std: number) => ({
  W: { shape: [visible, hidden], init: { kind: 'normal' as const, std } },
  a: { shape: [visible], init: { kind: 'zeros' as const } },
  b: { shape: [hidden], init: { kind: 'zeros' as const } },
})

/**
 * A Bernoulli RBM (binary visible and hidden units) as the free energy F(v) of its visible units.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energyAt } from '../energy/index.js'
 * import { bernoulli } from './model.js'
 * const e = bernoulli({ visible: 2, hidden: 1, seed: 3 })
 * const p = { W: new Float64Array([1, -2]), a: new Float64Array([0.5, 0]), b: new Float64Array([0.25]) }
 * // F(v) = −aᵀv − softplus(b + vᵀW) at v = (1, 1): −0.5 − log(1 + e^(0.25 − 1))
 * assert.ok(Math.abs(energyAt(e, [[1, 1]], p)[0] - (-0.5 - Math.log1p(Math.exp(-0.75)))) < 1e-15)
 * assert.throws(() => bernoulli({ visible: 0, hidden: 2 }), { message: 'rbm.bernoulli: visible: expected an integer ≥ 1, got 0' })
 */
export const bernoulli = (o: RbmOptions): Energy => {
  const { visible, hidden, seed, std } = checkSizes(o, 'rbm.bernoulli', [])
  return define({
    name: 'rbm.bernoulli',
    shape: [visible],
    params: params(visible, hidden, std),
    build: (v, p) => ir.neg(ir.add(ir.sum(ir.mul(v, row(p.a)), 1), hiddenTerm(v, p))),
    description: { name: 'rbm.bernoulli', units: 'bernoulli', visible, hidden, sigma: 1 },
    seed,
    domain: 'binary',
  })
}

/**
 * A Gaussian–Bernoulli RBM (real visible units of fixed standard deviation σ, binary hidden units) as the
 * free energy of its visible units, for real-valued data (standardised first: σ is not learnt).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energyAt } from '../energy/index.js'
 * import { gaussianBernoulli } from './model.js'
 * const e = gaussianBernoulli({ visible: 1, hidden: 1, sigma: 2 })
 * const p = { W: new Float64Array([0.5]), a: new Float64Array([1]), b: new Float64Array([0]) }
 * // F(3) = (3 − 1)²/(2·4) − softplus(0 + 3·0.5/2)
 * assert.ok(Math.abs(energyAt(e, [[3]], p)[0] - (0.5 - Math.log1p(Math.exp(0.75)))) < 1e-15)
 */
export const gaussianBernoulli = (o: RbmOptions & { readonly sigma?: number }): Energy => {
  const { visible, hidden, seed, std } = checkSizes(o, 'rbm.gaussianBernoulli', ['sigma'])
  const sigma = positive(o.sigma ?? 1, 'rbm.gaussianBernoulli: sigma')
  return define({
    name: 'rbm.gaussianBernoulli',
    shape: [visible],
    params: params(visible, hidden, std),
    build: (v, p) => {
      const quadratic = ir.mul(ir.sum(ir.square(ir.sub(v, row(p.a))), 1), 1 / (2 * sigma * sigma))
      return ir.sub(quadratic, hiddenTerm(ir.mul(v, 1 / sigma), p))
    },
    description: { name: 'rbm.gaussianBernoulli', units: 'gaussianBernoulli', visible, hidden, sigma },
    seed,
  })
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
  const n = v.length / V
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
  const n = h.length / H
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
