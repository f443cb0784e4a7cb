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
 * 'b' [hidden] (zeros): the names of `energy.bipartite`, the joint energy that block Gibbs samples. They sit
 * in the energy catalogue (the `rbm` namespace re-exports them) so that `energy.fromDescription` rebuilds
 * a saved RBM.
 *
 * @module
 */
import { object, options as checkOptions, positive, positiveInteger } from '../check/index.js'
import { define, type Energy } from './energy.js'
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
 * import { energyAt } from './index.js'
 * import { bernoulli } from './rbm.js'
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
    description: { name: 'rbm.bernoulli', units: 'bernoulli', visible, hidden, sigma: 1, seed, std },
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
 * import { energyAt } from './index.js'
 * import { gaussianBernoulli } from './rbm.js'
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
    description: { name: 'rbm.gaussianBernoulli', units: 'gaussianBernoulli', visible, hidden, sigma, seed, std },
    seed,
  })
}
