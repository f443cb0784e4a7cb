/**
 * The discrete catalogue: quadratic energies over binary units or spins, each with its structure so that
 * the flip samplers read local fields (src/energy/structure.ts). Their couplings and biases are trainable
 * parameters initialised at the given values.
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { matrix, oneOf, options as checkOptions, positive, rangeError, vector } from '../check/index.js'
import { define, type Energy } from './energy.js'
import { checkCouplings, type DiscreteDomain } from './structure.js'

/** Options of {@link boltzmann}. */
export interface BoltzmannOptions {
  /** W, D × D, symmetric with a zero diagonal. */
  readonly weights: readonly (readonly number[])[]
  /** b, D numbers (zeros when omitted). */
  readonly bias?: readonly number[]
  /** 'spins' {−1, +1} (default) or 'binary' {0, 1}. */
  readonly domain?: DiscreteDomain
}

// Σ over the last axis of a ⊙ b, as [batch].
const dot = (a: ir.Expr, b: ir.Expr): ir.Expr => ir.sum(ir.mul(a, b), 1)

// A row vector of parameters, broadcast against a batch.
const row = (p: ir.Expr): ir.Expr => ir.reshape(p, [1, p.shape[0]])

const biasOf = (given: readonly number[] | undefined, n: number, where: string): number[] =>
  given === undefined ? new Array<number>(n).fill(0) : vector(given, where, n)

/**
 * The fully visible Boltzmann machine E(s) = −½ sᵀWs − bᵀs over spins or binary units, W symmetric with a
 * zero diagonal (the Sherrington–Kirkpatrick model with random W, a Hopfield network with Hebbian W).
 * Parameters 'W' [D, D] and 'b' [D]; a dense structure, so a flip reads one row of W.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { boltzmann, energyAt } from './index.js'
 * const e = boltzmann({ weights: [[0, 1], [1, 0]], bias: [0.5, 0] })
 * assert.deepEqual(energyAt(e, [[1, 1], [1, -1]]), new Float64Array([-1.5, 0.5]))
 * assert.equal(e.domain, 'spins')
 */
export const boltzmann = (options: BoltzmannOptions): Energy => {
  const where = 'energy.boltzmann'
  const o = checkOptions<BoltzmannOptions>(options, `${where}: options`, ['weights', 'bias', 'domain'])
  const W = matrix(o.weights, `${where}: weights`)
  const D = W.length
  if (W[0].length !== D) throw rangeError(`${where}: weights`, 'a square matrix', `${D} rows of ${W[0].length}`)
  const weights = W.flat()
  checkCouplings({ kind: 'dense', weights: 'W', bias: 'b', scale: 1 }, { W: weights, b: new Array<number>(D).fill(0) }, `${where}: weights`)
  const bias = biasOf(o.bias, D, `${where}: bias`)
  const domain = oneOf(o.domain ?? 'spins', `${where}: domain`, ['spins', 'binary'] as const)
  return define({
    name: 'boltzmann',
    shape: [D],
    params: { W: { shape: [D, D], init: { kind: 'values', values: weights } }, b: { shape: [D], init: { kind: 'values', values: bias } } },
    build: (s, p) => ir.neg(ir.add(ir.mul(dot(ir.matmul(s, p.W), s), 0.5), dot(s, row(p.b)))),
    description: { name: 'boltzmann', weights: W, bias, domain },
    domain,
    structure: { kind: 'dense', weights: 'W', bias: 'b', scale: 1 },
  })
}

/** Options of {@link bipartite}. */
export interface BipartiteOptions {
  /** W, visible × hidden. */
  readonly weights: readonly (readonly number[])[]
  /** a, one per visible unit (zeros when omitted). */
  readonly visibleBias?: readonly number[]
  /** b, one per hidden unit (zeros when omitted). */
  readonly hiddenBias?: readonly number[]
  /** 'binary' {0, 1} (default) or 'spins' {−1, +1}. */
  readonly domain?: DiscreteDomain
}

/**
 * The joint energy of a restricted Boltzmann machine over s = (v, h), E(v, h) = −vᵀWh − aᵀv − bᵀh: the
 * visible units first, then the hidden ones. Parameters 'W' [visible, hidden], 'a' and 'b'; a bipartite
 * structure, so block Gibbs updates a whole layer from the other.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bipartite, energyAt } from './index.js'
 * const e = bipartite({ weights: [[1, -1]], visibleBias: [0.5], hiddenBias: [0, 0.25] })
 * assert.deepEqual(energyAt(e, [[1, 1, 1]]), new Float64Array([-0.75])) // −(1 − 1) − 0.5 − 0.25
 */
export const bipartite = (options: BipartiteOptions): Energy => {
  const where = 'energy.bipartite'
  const o = checkOptions<BipartiteOptions>(options, `${where}: options`, ['weights', 'visibleBias', 'hiddenBias', 'domain'])
  const l = layers(o, where)
  const domain = oneOf(o.domain ?? 'binary', `${where}: domain`, ['binary', 'spins'] as const)
  return define({
    ...l.definition,
    name: 'bipartite',
    build: (s, p) => {
      const [v, h] = l.split(s)
      return ir.neg(ir.add(ir.add(dot(ir.matmul(v, p.W), h), dot(v, row(p.a))), dot(h, row(p.b))))
    },
    description: { name: 'bipartite', ...l.description, domain },
    domain,
    structure: l.structure,
  })
}

// The checked layers of a bipartite model: its size, parameters W, a, b (at the given values), its
// structure, and the split of s into (v, h).
const layers = (o: Partial<BipartiteOptions>, where: string) => {
  const W = matrix(o.weights, `${where}: weights`)
  const V = W.length
  const H = W[0].length
  const visibleBias = biasOf(o.visibleBias, V, `${where}: visibleBias`)
  const hiddenBias = biasOf(o.hiddenBias, H, `${where}: hiddenBias`)
  return {
    definition: {
      shape: [V + H],
      params: {
        W: { shape: [V, H], init: { kind: 'values' as const, values: W.flat() } },
        a: { shape: [V], init: { kind: 'values' as const, values: visibleBias } },
        b: { shape: [H], init: { kind: 'values' as const, values: hiddenBias } },
      },
    },
    description: { weights: W, visibleBias, hiddenBias },
    structure: { kind: 'bipartite' as const, visible: V, hidden: H, weights: 'W', visibleBias: 'a', hiddenBias: 'b', scale: 1 },
    split: (s: ir.Expr): [ir.Expr, ir.Expr] => [ir.slice(s, 1, 0, V), ir.slice(s, 1, V, V + H)],
  }
}

/** Options of {@link gaussianBipartite}: those of {@link bipartite} (binary hidden units) and σ. */
export interface GaussianBipartiteOptions extends Omit<BipartiteOptions, 'domain'> {
  /** The standard deviation σ of the Gaussian visible units (default 1). */
  readonly sigma?: number
}

/**
 * The joint energy of a Gaussian–Bernoulli RBM over s = (v, h), real visible units first, then binary
 * hidden ones: E(v, h) = ‖v − a‖²/(2σ²) − (v/σ)ᵀWh − bᵀh, whose marginal over v is the free energy of
 * `rbm.gaussianBernoulli` with the same σ. Domain 'mixed'; block Gibbs draws v | h ~ N(a + σWh, σ²T)
 * and h | v from p(hⱼ = 1 | v) = sigmoid((bⱼ + (Wᵀv)ⱼ/σ)/T).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gaussianBipartite, energyAt } from './index.js'
 * const e = gaussianBipartite({ weights: [[1, -1]], visibleBias: [0.5], hiddenBias: [0, 0.25], sigma: 2 })
 * // (3 − 0.5)²/8 − (3/2)(1 − 1) − 0.25 at v = 3, h = (1, 1)
 * assert.deepEqual(energyAt(e, [[3, 1, 1]]), new Float64Array([2.5 ** 2 / 8 - 0.25]))
 * assert.equal(e.domain, 'mixed')
 */
export const gaussianBipartite = (options: GaussianBipartiteOptions): Energy => {
  const where = 'energy.gaussianBipartite'
  const o = checkOptions<GaussianBipartiteOptions>(options, `${where}: options`, ['weights', 'visibleBias', 'hiddenBias', 'sigma'])
  const l = layers(o, where)
  const sigma = positive(o.sigma ?? 1, `${where}: sigma`)
  return define({
    ...l.definition,
    name: 'gaussianBipartite',
    build: (s, p) => {
      const [v, h] = l.split(s)
      const quadratic = ir.mul(ir.sum(ir.square(ir.sub(v, row(p.a))), 1), 1 / (2 * sigma * sigma))
      return ir.sub(quadratic, ir.add(dot(ir.matmul(ir.mul(v, 1 / sigma), p.W), h), dot(h, row(p.b))))
    },
    description: { name: 'gaussianBipartite', ...l.description, sigma },
    domain: 'mixed',
    structure: { ...l.structure, sigma },
  })
}
