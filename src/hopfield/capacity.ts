/**
 * The capacity of a classic Hopfield network, measured: store P random patterns of N spins (load
 * α = P/N), cue the network with stored patterns a fraction of whose spins are flipped, run
 * zero-temperature asynchronous descent to a fixed point, and count the cues that end with overlap above
 * a threshold with their own pattern. For Hebb's rule retrieval collapses near Amit, Gutfreund &
 * Sompolinsky's α_c ≈ 0.138 as N grows; Storkey's rule holds more.
 *
 * @module
 */
import { integer, object, oneOf, options as checkOptions, positiveInteger, probability, seed as checkSeed } from '../check/index.js'
import { uniforms } from '../rng/index.js'
import { retrieve } from './retrieve.js'
import { rules, store, type Rule } from './store.js'

/** Options of {@link retrievalRate}. */
export interface RetrievalRateOptions {
  /** N, the number of spins. */
  readonly units: number
  /** P, the number of random patterns stored. */
  readonly patterns: number
  readonly rule?: Rule
  /** The fraction of a cue's spins flipped (default 0.2). */
  readonly flipped?: number
  /** A cue is retrieved when its final overlap with its pattern exceeds this (default 0.9). */
  readonly threshold?: number
  /** How many of the patterns are cued (default all of them). */
  readonly cues?: number
  readonly seed: number
  readonly backend?: 'reference' | 'native' | 'auto'
}

/**
 * The fraction of cued patterns retrieved at load P/N: random patterns (stream 0 of the seed), each cue a
 * pattern with round(flipped·N) distinct spins flipped (stream 1 + cue).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { retrievalRate } from './capacity.js'
 * // At a load of 0.05 every cue with a fifth of its spins flipped comes back.
 * const r = await retrievalRate({ units: 100, patterns: 5, seed: 1 })
 * assert.equal(r.fraction, 1)
 */
export const retrievalRate = async (options: RetrievalRateOptions): Promise<{ fraction: number; retrieved: number; cued: number; meanOverlap: number }> => {
  const where = 'hopfield.retrievalRate'
  const o = checkOptions<RetrievalRateOptions>(object(options, `${where}: options`), `${where}: options`, ['units', 'patterns', 'rule', 'flipped', 'threshold', 'cues', 'seed', 'backend'])
  const N = integer(o.units, `${where}: units`, { min: 2 })
  const P = positiveInteger(o.patterns, `${where}: patterns`)
  const rule = oneOf(o.rule ?? 'hebb', `${where}: rule`, rules)
  const flipped = Math.round(probability(o.flipped ?? 0.2, `${where}: flipped`) * N)
  const threshold = probability(o.threshold ?? 0.9, `${where}: threshold`)
  const cued = integer(o.cues ?? P, `${where}: cues`, { min: 1, max: P })
  const seed = checkSeed(o.seed, `${where}: seed`)
  const u = uniforms(seed, 0, 0, P * N)
  const patterns = Array.from({ length: P }, (_, mu) => Array.from(u.subarray(mu * N, (mu + 1) * N), (v) => (v < 0.5 ? -1 : 1)))
  const cues = new Float64Array(cued * N)
  for (let c = 0; c < cued; c++) {
    cues.set(patterns[c], c * N)
    // The first `flipped` units of a random order (sorting uniforms): distinct units.
    const order = Array.from(uniforms(seed, 1 + c, 0, N), (v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
    for (let k = 0; k < flipped; k++) cues[c * N + order[k][1]] *= -1
  }
  const r = await retrieve(store(patterns, { rule }), cues, { seed, maxSweeps: 50, backend: o.backend ?? 'auto' })
  let retrieved = 0
  let sum = 0
  for (let c = 0; c < cued; c++) {
    const m = r.overlaps[c * P + c]
    sum += m
    if (m > threshold) retrieved++
  }
  return { fraction: retrieved / cued, retrieved, cued, meanOverlap: sum / cued }
}
