/**
 * Binomial and multinomial draws by inversion, for the Monte Carlo p-values of the finite-space tests:
 * their null laws are binomial and multinomial with known probabilities, so a statistic's p-value can be
 * had exactly by simulating them, at any count, where a normal approximation's size does not hold
 * (skewed counts of rare states).
 *
 * @module
 */
import { logGamma } from '../diagnostics/index.js'
import * as rng from '../rng/index.js'

const logPmf = (k: number, n: number, p: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p)

/**
 * A sampler of Binomial(n, p) by inversion: the smallest k with P(X ≤ k) ≥ u for a uniform u. The walk
 * starts at the mode, whose distribution function is computed once, so a draw costs O(√(np(1 − p))) steps.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { binomialSampler } from './binomial.js'
 * // Binomial(3, ½): P(X ≤ 0) = 1/8, P(X ≤ 1) = 1/2, P(X ≤ 2) = 7/8
 * assert.deepEqual([0.1, 0.2, 0.45, 0.6, 0.9].map(binomialSampler(3, 0.5)), [0, 1, 1, 2, 3])
 */
export const binomialSampler = (n: number, p: number): ((u: number) => number) => {
  if (n === 0 || p <= 0) return () => 0
  if (p >= 1) return () => n
  const mode = Math.min(n, Math.floor((n + 1) * p))
  const pmfAtMode = Math.exp(logPmf(mode, n, p))
  const ratio = p / (1 - p)
  // P(X ≤ mode) by summing down from the mode until the terms, falling faster than geometrically, no
  // longer count: a few standard deviations of steps, far cheaper than the incomplete beta at large n.
  let atMode = 0
  for (let k = mode, f = pmfAtMode; k >= 0 && f > atMode * 1e-17; k--) {
    atMode += f
    f *= k / ((n - k + 1) * ratio)
  }
  return (u) => {
    let k = mode
    let F = atMode
    let f = pmfAtMode
    if (u <= F) {
      // down: pmf(k − 1) = pmf(k)·k / ((n − k + 1)·ratio)
      while (k > 0 && u <= F - f) {
        F -= f
        f *= k / ((n - k + 1) * ratio)
        k--
      }
      return k
    }
    while (k < n && F < u) {
      f *= ((n - k) / (k + 1)) * ratio
      k++
      F += f
    }
    return k
  }
}

/**
 * Draws of Multinomial(n, π) from n − 1 uniforms each, by conditional binomials: category j gets
 * Binomial(what is left, πⱼ / the mass left). Samplers are kept per (category, what is left).
 */
export const multinomialSampler = (n: number, pi: ArrayLike<number>): ((u: ArrayLike<number>, out: Float64Array) => Float64Array) => {
  const k = pi.length
  const samplers = new Map<number, (u: number) => number>()
  const massLeft = new Float64Array(k)
  for (let j = k - 2, m = pi[k - 1]; j >= 0; j--) massLeft[j] = m += pi[j]
  return (u, out) => {
    let left = n
    for (let j = 0; j < k - 1; j++) {
      const key = j * (n + 1) + left
      let draw = samplers.get(key)
      if (draw === undefined) samplers.set(key, (draw = binomialSampler(left, Math.min(1, pi[j] / massLeft[j]))))
      out[j] = draw(u[j])
      left -= out[j]
    }
    out[k - 1] = left
    return out
  }
}

const popcount = (w: number): number => {
  let v = w - ((w >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24)
}

/** Binomial(m, ½) draws for each m of `counts`: the set bits among the next m random bits of `words` (exact). */
export const fairCoins = (counts: ArrayLike<number>, words: Uint32Array, out: Float64Array): Float64Array => {
  let bit = 0 // the next unused bit, counted from word 0's lowest
  for (let c = 0; c < counts.length; c++) {
    let heads = 0
    for (let m = counts[c]; m > 0; ) {
      const w = bit >>> 5
      const from = bit & 31
      const take = Math.min(m, 32 - from)
      const mask = take === 32 ? 0xffffffff : ((1 << take) - 1) << from
      heads += popcount((words[w] & mask) >>> 0)
      bit += take
      m -= take
    }
    out[c] = heads
  }
  return out
}

/** Words of random bits that {@link fairCoins} uses for `counts`. */
export const wordsForCoins = (counts: ArrayLike<number>): number => Math.ceil(Array.from(counts).reduce((a, m) => a + m, 0) / 32)

/**
 * The Monte Carlo p-value (1 + #{b : S_b ≥ S})/(1 + B) of a statistic S against B statistics simulated
 * under the null: exactly valid, P(p ≤ α) ≤ α, for any B (Besag and Clifford 1991).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { monteCarloPValue } from './binomial.js'
 * assert.equal(monteCarloPValue(3, 4, (b) => b), 2 / 5) // simulated 0, 1, 2, 3: one at least 3
 */
export const monteCarloPValue = (statistic: number, simulations: number, simulate: (b: number) => number): number => {
  if (Number.isNaN(statistic)) return 0
  let atLeast = 0
  for (let b = 0; b < simulations; b++) if (simulate(b) >= statistic) atLeast++
  return (1 + atLeast) / (1 + simulations)
}

const two32 = 2 ** 32
const block = new Uint32Array(4) // scratch: JavaScript runs one call at a time, and none re-enters

/**
 * `count` random words of simulation b, from its own range of Philox blocks of `stream` under `seed`
 * (written into `out`, of at least 4·⌈count/4⌉ words).
 */
export const simulationWords = (seed: number, stream: number, b: number, count: number, out: Uint32Array): Uint32Array => {
  const blocks = Math.ceil(count / 4)
  for (let i = 0; i < blocks; i++) {
    const at = b * blocks + i
    rng.philox4x32Words(at % two32, Math.floor(at / two32), stream % two32, Math.floor(stream / two32), seed % two32, Math.floor(seed / two32), block)
    out.set(block, 4 * i)
  }
  return out
}

/**
 * Uniforms in (0, 1) from words, one each: (w + ½)/2³². Inverting a distribution function at 32 bits moves
 * each probability by at most 2⁻³², far below any false-alarm rate a check states.
 */
export const uniformsOfWords = (words: Uint32Array, out: Float64Array): Float64Array => {
  for (let i = 0; i < out.length; i++) out[i] = (words[i] + 0.5) / two32
  return out
}
