/**
 * Hopfield networks as energies, in the catalogue so that `energy.fromDescription` rebuilds a saved one
 * (the `hopfield` namespace re-exports them and adds retrieval):
 *
 * - classic (Hopfield 1982): patterns ξ^μ ∈ {−1, +1}ᴺ stored in symmetric couplings W with a zero
 *   diagonal, E(s) = −½ sᵀWs, by Hebb's rule W = (1/N) Σ_μ ξ^μ ξ^μᵀ (capacity α_c = P/N ≈ 0.138, Amit,
 *   Gutfreund & Sompolinsky 1985) or Storkey's (1997): patterns added one at a time,
 *   W_ij += (1/N)(ξᵢξⱼ − ξᵢ h_ji − h_ij ξⱼ) with h_ij = Σ_{k≠i,j} W_ik ξ_k, which holds more;
 * - modern (Ramsauer et al. 2020, "Hopfield Networks is All You Need"): N stored patterns xᵢ ∈ ℝᵈ, the
 *   rows of X, and E(ξ) = −β⁻¹ log Σᵢ exp(β xᵢᵀξ) + ½ ξᵀξ + β⁻¹ log N + ½ M², M = maxᵢ ‖xᵢ‖.
 *
 * @module
 */
import { nonNegative, object, oneOf, options as checkOptions, positive, positiveInteger } from '../check/index.js'
import * as ir from '../ir/index.js'
import { define, type Energy } from './energy.js'
import { boltzmann } from './discrete.js'
import { checkPatterns, type Patterns } from './patterns.js'

/** The learning rules. */
export const rules = ['hebb', 'storkey'] as const

/** A learning rule. */
export type Rule = (typeof rules)[number]

/**
 * The couplings W (N × N, row-major, symmetric, zero diagonal) that a rule gives for the patterns.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { couplings } from './hopfield.js'
 * const W = couplings({ values: new Float64Array([1, -1, 1]), count: 1, dimension: 3 }, 'hebb')
 * assert.deepEqual([...W], [0, -1 / 3, 1 / 3, -1 / 3, 0, -1 / 3, 1 / 3, -1 / 3, 0])
 */
export const couplings = (p: Patterns, rule: Rule): Float64Array => {
  const N = p.dimension
  const W = new Float64Array(N * N)
  const h = new Float64Array(N)
  for (let mu = 0; mu < p.count; mu++) {
    const x = p.values.subarray(mu * N, (mu + 1) * N)
    if (rule === 'storkey') {
      for (let i = 0; i < N; i++) {
        let s = 0
        for (let k = 0; k < N; k++) s += W[i * N + k] * x[k]
        h[i] = s
      }
    }
    for (let i = 0; i < N; i++) {
      for (let j = i + 1; j < N; j++) {
        // Storkey: h_ij = hᵢ − W_ij ξⱼ (W_ii = 0), so with ξ² = 1 the increment is ξᵢξⱼ − ξᵢhⱼ − hᵢξⱼ + 2W_ij.
        // Computed once a pair, so that W is exactly symmetric.
        const dW = rule === 'hebb' ? x[i] * x[j] : x[i] * x[j] - x[i] * h[j] - h[i] * x[j] + 2 * W[i * N + j]
        W[i * N + j] += dW / N
        W[j * N + i] = W[i * N + j]
      }
    }
  }
  return W
}

/**
 * Stores ±1 patterns (rows of equal length) in a Hopfield network: the energy E(s) = −½ sᵀWs over spins,
 * a dense structure (a flip reads one row of W), with its patterns in its description for
 * `hopfield.retrieve`'s overlaps.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energyAt } from './index.js'
 * import { store } from './hopfield.js'
 * const e = store([[1, -1, 1, -1], [1, 1, -1, -1]], { rule: 'hebb' })
 * assert.equal(e.domain, 'spins')
 * // A stored pattern sits lower than a pattern one flip away.
 * const [memory, cue] = energyAt(e, [[1, -1, 1, -1], [1, -1, 1, 1]])
 * assert.ok(memory < cue)
 * assert.throws(() => store([[1, -1], [1, -1, 1]]), { message: 'hopfield.store: patterns[1]: expected a pattern of 2 values (the length of the first), got 3' })
 * assert.throws(() => store([[1, 0.5]]), { message: 'hopfield.store: patterns[0][1]: expected a spin (−1 or +1), got 0.5' })
 */
export const store = (patterns: readonly (readonly number[])[], options: { readonly rule?: Rule } = {}): Energy => {
  const where = 'hopfield.store'
  const p = checkPatterns(patterns, `${where}: patterns`, true)
  const rule = oneOf(checkOptions<{ rule: Rule }>(options, `${where}: options`, ['rule']).rule ?? 'hebb', `${where}: rule`, rules)
  const N = p.dimension
  const W = couplings(p, rule)
  const e = boltzmann({ weights: Array.from({ length: N }, (_, i) => Array.from(W.subarray(i * N, (i + 1) * N))), domain: 'spins' })
  return Object.freeze({ ...e, name: 'hopfield', description: { name: 'hopfield', rule, patterns: Array.from({ length: p.count }, (_, mu) => Array.from(p.values.subarray(mu * N, (mu + 1) * N))) } })
}

/** Options of {@link modern}. */
export interface ModernOptions {
  /** The inverse temperature β of the softmax (default 1). */
  readonly beta?: number
}

/** β X ξ for a batch of states ξ [batch, d] against the patterns X [N, d]: [batch, N]. */
export const scores = (xi: ir.Expr, X: ir.Expr, beta: number): ir.Expr => ir.mul(ir.matmul(xi, ir.transpose(X)), beta)

/**
 * A modern Hopfield network storing the rows of `patterns` (real numbers, rows of equal length) as its
 * parameter 'X' [N, d].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energyAt } from './index.js'
 * import { modern } from './hopfield.js'
 * const e = modern([[1, 0], [0, 1]], { beta: 2 })
 * // E(ξ) at ξ = x₁: −½ log(e² + 1) + ½ + ½ log 2 + ½
 * const want = -0.5 * Math.log(Math.exp(2) + 1) + 0.5 + 0.5 * Math.log(2) + 0.5
 * assert.ok(Math.abs(energyAt(e, [[1, 0]])[0] - want) < 1e-12)
 */
export const modern = (patterns: readonly (readonly number[])[], options: ModernOptions = {}): Energy => {
  const where = 'hopfield.modern'
  const p = checkPatterns(patterns, `${where}: patterns`, false)
  const beta = positive(checkOptions<ModernOptions>(object(options, `${where}: options`), `${where}: options`, ['beta']).beta ?? 1, `${where}: beta`)
  return modernEnergy({ beta, count: p.count, dimension: p.dimension, largestSquaredNorm: largestSquaredNorm(p) }, { kind: 'values', values: Array.from(p.values) })
}

/** What a modern Hopfield network's description holds: β, the patterns' count and length, and M² (the constant's). */
export interface ModernDescription {
  readonly beta: number
  readonly count: number
  readonly dimension: number
  readonly largestSquaredNorm: number
}

/**
 * A modern Hopfield network from its description (`fromDescription`'s way back): the same energy, its
 * parameter X initialised to zeros, since the patterns are its parameter values (io.load reads them).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energyAt, init } from './index.js'
 * import { modern, modernFromDescription } from './hopfield.js'
 * const e = modern([[1, 0], [0, 2]], { beta: 2 })
 * const again = modernFromDescription(JSON.parse(JSON.stringify(e.description)), 'description')
 * assert.deepEqual(energyAt(again, [[0.5, 1]], init(e)), energyAt(e, [[0.5, 1]]))
 */
export const modernFromDescription = (d: Readonly<Record<string, unknown>>, where: string): Energy => {
  const o = checkOptions<ModernDescription & { name: string }>(object(d, where), where, ['name', 'beta', 'count', 'dimension', 'largestSquaredNorm'])
  const m = {
    beta: positive(o.beta, `${where}.beta`),
    count: positiveInteger(o.count, `${where}.count`),
    dimension: positiveInteger(o.dimension, `${where}.dimension`),
    largestSquaredNorm: nonNegative(o.largestSquaredNorm, `${where}.largestSquaredNorm`),
  }
  return modernEnergy(m, { kind: 'zeros' })
}

const modernEnergy = (m: ModernDescription, values: { readonly kind: 'values'; readonly values: readonly number[] } | { readonly kind: 'zeros' }): Energy => {
  const constant = Math.log(m.count) / m.beta + 0.5 * m.largestSquaredNorm
  return define({
    name: 'hopfield.modern',
    shape: [m.dimension],
    params: { X: { shape: [m.count, m.dimension], init: values } },
    build: (xi, q) => ir.add(ir.sub(ir.mul(ir.sum(ir.square(xi), 1), 0.5), ir.mul(ir.logsumexp(scores(xi, q.X, m.beta), 1), 1 / m.beta)), constant),
    description: { name: 'hopfield.modern', ...m },
  })
}

const largestSquaredNorm = (p: Patterns): number => {
  let M = 0
  for (let mu = 0; mu < p.count; mu++) {
    let s = 0
    for (let i = mu * p.dimension; i < (mu + 1) * p.dimension; i++) s += p.values[i] ** 2
    M = Math.max(M, s)
  }
  return M
}
