/**
 * The classic Hopfield network (Hopfield 1982): patterns ξ^μ ∈ {−1, +1}ᴺ stored in symmetric couplings
 * W with a zero diagonal, so that E(s) = −½ sᵀWs has a valley at each memory and zero-temperature
 * asynchronous updates roll a cue downhill into one.
 *
 * - Hebb: W = (1/N) Σ_μ ξ^μ ξ^μᵀ, zero diagonal. Capacity α_c = P/N ≈ 0.138 (Amit, Gutfreund &
 *   Sompolinsky 1985): beyond it retrieval collapses.
 * - Storkey (1997): patterns added one at a time, W_ij += (1/N)(ξᵢξⱼ − ξᵢ h_ji − h_ij ξⱼ) with the local
 *   field h_ij = Σ_{k≠i,j} W_ik ξ_k of the couplings so far; incremental, local, and it holds more
 *   (about 0.14–0.2 of N for random patterns, where Hebb's retrieval degrades first).
 *
 * @module
 */
import { oneOf, options as checkOptions, rangeError } from '../check/index.js'
import { boltzmann, type Energy } from '../energy/index.js'
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
 * import { couplings } from './store.js'
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
 * import { energyAt } from '../energy/index.js'
 * import { store } from './store.js'
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

/**
 * The patterns a Hopfield energy stores (from its description), as one row-major array.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { store, storedPatterns } from './store.js'
 * assert.equal(storedPatterns(store([[1, -1, 1]]), 'hopfield.retrieve: energy').dimension, 3)
 */
export const storedPatterns = (e: Energy, where: string): Patterns => {
  const d = e.description as { name?: string; patterns?: number[][] }
  if (d?.name !== 'hopfield' || !Array.isArray(d.patterns)) throw rangeError(where, 'a Hopfield network (hopfield.store)', `energy '${e.name}'`)
  return checkPatterns(d.patterns, where, true)
}
