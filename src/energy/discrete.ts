/**
 * The discrete catalogue: quadratic energies over binary units or spins, each with its structure so that
 * the flip samplers read local fields (src/energy/structure.ts). Their couplings and biases are trainable
 * parameters initialised at the given values.
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { matrix, oneOf, options as checkOptions, rangeError, vector } from '../check/index.js'
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
  const W = matrix(o.weights, `${where}: weights`)
  const V = W.length
  const H = W[0].length
  const visibleBias = biasOf(o.visibleBias, V, `${where}: visibleBias`)
  const hiddenBias = biasOf(o.hiddenBias, H, `${where}: hiddenBias`)
  const domain = oneOf(o.domain ?? 'binary', `${where}: domain`, ['binary', 'spins'] as const)
  return define({
    name: 'bipartite',
    shape: [V + H],
    params: {
      W: { shape: [V, H], init: { kind: 'values', values: W.flat() } },
      a: { shape: [V], init: { kind: 'values', values: visibleBias } },
      b: { shape: [H], init: { kind: 'values', values: hiddenBias } },
    },
    build: (s, p) => {
      const v = ir.slice(s, 1, 0, V)
      const h = ir.slice(s, 1, V, V + H)
      return ir.neg(ir.add(ir.add(dot(ir.matmul(v, p.W), h), dot(v, row(p.a))), dot(h, row(p.b))))
    },
    description: { name: 'bipartite', weights: W, visibleBias, hiddenBias, domain },
    domain,
    structure: { kind: 'bipartite', visible: V, hidden: H, weights: 'W', visibleBias: 'a', hiddenBias: 'b', scale: 1 },
  })
}
