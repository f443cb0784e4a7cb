/**
 * What replica exchange reports: the T = 1 chains' draws, the frozen ladder and how it was reached, and
 * per rung and per pair of rungs the statistics that say whether the ladder carries chains between modes
 * (swap rates, the communication barrier, round trips), with warnings raised from them.
 *
 * @module
 */
import type { Replicas, SwapTally } from './swap.js'
import { barrierOf } from './ladder.js'
import { listedChains, type SamplerWarning } from '../warnings.js'

/** One rung over the sampling phase. */
export interface RungStatistics {
  readonly temperature: number
  /** Accepted / proposed Metropolis moves of the rung's kernel; null without a Metropolis block. */
  readonly acceptanceRate: number | null
  /** Accepted / attempted swaps with the next rung up; null at the top. */
  readonly swapRate: number | null
  /** Mean E over the rung's finite chains at the end. */
  readonly meanEnergy: number
  /** Chains of the rung that became non-finite (frozen, never swapped). */
  readonly nonFinite: number
}

/** What `temper` resolves to. */
export interface TemperResult {
  /** Chains per rung (replica-exchange systems). */
  readonly chains: number
  readonly dimension: number
  readonly steps: number
  readonly warmup: number
  /** The ladder the sampling phase ran on (frozen after warmup). */
  readonly temperatures: readonly number[]
  /** The ladder at the start and after each adaptation of the warmup, in order. */
  readonly ladders: readonly (readonly number[])[]
  /** The T = 1 chains' positions every `thin` steps of sampling, row-major [chains × drawsPerChain × dimension]. */
  readonly draws: Float64Array
  readonly drawsPerChain: number
  /** Final positions of every rung, [rungs × chains × dimension]. */
  readonly positions: Float64Array
  /** Final energies of every rung, [rungs × chains]. */
  readonly energies: Float64Array
  readonly rungs: readonly RungStatistics[]
  /** Per pair (i, i + 1): accepted / attempted swaps over sampling. */
  readonly swapRates: readonly number[]
  /** Per pair: the mean rejection probability 1 − min(1, exp(…)) over sampling, the barrier's increments. */
  readonly rejectionRates: readonly number[]
  /** The communication barrier Λ = Σ rejectionRates (Syed et al. 2019): about 2Λ rungs make round trips near their best rate. */
  readonly barrier: number
  /** Round trips T₀ → T_max → T₀ completed during sampling, over all replicas and columns. */
  readonly roundTrips: number
  /** Round trips per column per swap round. */
  readonly roundTripRate: number
  readonly warnings: readonly SamplerWarning[]
}

/** Below this swap rate a pair of rungs hardly exchanges: a warning. */
export const lowSwapRate = 0.05

/**
 * The mean rejection probability of each pair of a tally (NaN where a pair was never attempted).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { rejectionRatesOf } from './result.js'
 * assert.deepEqual(rejectionRatesOf({ attempts: new Float64Array([4]), accepted: new Float64Array([3]), rejection: new Float64Array([1]) }), [0.25])
 */
export const rejectionRatesOf = (tally: SwapTally): number[] => Array.from(tally.rejection, (r, i) => r / tally.attempts[i])

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`

/**
 * The warnings of a finished run: pairs of rungs that rarely swap, no round trip at all, non-finite chains.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { warningsOf } from './result.js'
 * const w = warningsOf({ temperatures: [1, 50], swapRates: [0.01], roundTrips: 0, steps: 100, nonFinite: [[], []] })
 * assert.deepEqual(w.map((x) => x.code), ['swap-rate', 'round-trips'])
 */
export const warningsOf = (o: {
  readonly temperatures: readonly number[]
  readonly swapRates: readonly number[]
  readonly roundTrips: number
  readonly steps: number
  /** Per rung, the columns whose chain is non-finite. */
  readonly nonFinite: readonly (readonly number[])[]
}): SamplerWarning[] => {
  const out: SamplerWarning[] = []
  const T = o.temperatures
  const low = o.swapRates.map((s, i) => ({ s, i })).filter(({ s }) => s < lowSwapRate)
  if (o.steps > 0 && low.length > 0) {
    const pairs = low.map(({ s, i }) => `T = ${T[i].toPrecision(3)} ↔ ${T[i + 1].toPrecision(3)}: ${percent(s)}`).join(', ')
    out.push({ code: 'swap-rate', message: `swaps rarely accepted (${pairs}; below ${percent(lowSwapRate)}): the ladder is too sparse there; add rungs, or warm up with adaptLadder`, count: low.length })
  }
  if (o.steps > 0 && o.roundTrips === 0) {
    out.push({ code: 'round-trips', message: `no replica went from T = 1 to T_max = ${T[T.length - 1]} and back in ${o.steps} steps: what the hot chains see may never reach the T = 1 draws; run longer, or add rungs`, count: 0 })
  }
  const dead = [...new Set(o.nonFinite.flat())].sort((a, b) => a - b)
  if (dead.length > 0) out.push({ code: 'non-finite', message: `${dead.length} column${dead.length === 1 ? '' : 's'} of chains became non-finite on some rung (frozen, never swapped)`, count: dead.length, chains: listedChains(dead) })
  return out
}

/**
 * The swap statistics of a sampling phase: swap and rejection rates per pair, the barrier, round trips.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { swapStatistics } from './result.js'
 * import { emptyTally, startReplicas } from './swap.js'
 * const s = swapStatistics(emptyTally(3), startReplicas(3, 2), 0)
 * assert.deepEqual([s.swapRates.length, s.roundTrips, s.roundTripRate], [2, 0, 0])
 */
export const swapStatistics = (tally: SwapTally, replicas: Replicas, rounds: number) => {
  const rejectionRates = rejectionRatesOf(tally)
  return {
    swapRates: Array.from(tally.accepted, (a, i) => a / tally.attempts[i]),
    rejectionRates,
    barrier: barrierOf(rejectionRates),
    roundTrips: replicas.trips,
    roundTripRate: rounds === 0 ? 0 : replicas.trips / (replicas.chains * rounds),
  }
}
