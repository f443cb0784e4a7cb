/**
 * What a run reports: statistics per thinned snapshot, and snapshots of the chains. `SampleSnapshot` has the
 * fields of the diagnostics' SampleSnapshot (src/diagnostics/snapshot.ts), so sample$'s output feeds the
 * chain-health operators directly; it adds the run's statistics.
 *
 * @module
 */
import type { ChainSnapshot } from '../diagnostics/snapshot.js'
import type { ChainState } from './reference.js'
import { treeColumns } from './blocks/nuts-tree.js'

/**
 * What a snapshot reads of the chains: the state without its momenta. The native loop records exactly this
 * at every snapshot of a call (src/sampler/recording.ts), so the statistics and snapshots of recorded
 * chains are made by the functions below, as those of the live state are.
 */
export type SnapshotState = Omit<ChainState, 'momentum'>

/** Statistics of the chains at one snapshot. */
export interface Statistics {
  /** Steps completed. */
  readonly step: number
  /** Accepted / proposed Metropolis moves over the steps since the previous snapshot; null without a Metropolis block. */
  readonly acceptanceRate: number | null
  /** Mean energy over the finite chains (NaN when none is left; finite whenever their energies are). */
  readonly meanEnergy: number
  /** Mean ‖∇E(x)‖ over the finite chains. */
  readonly meanGradientNorm: number
  /** How many chains have become non-finite (they are frozen and left out of the means). */
  readonly nonFinite: number
  /** NUTS trees built since the previous snapshot (present when the kernel has a NUTS block). */
  readonly trees?: TreeStatistics
}

/** What NUTS transitions did over some steps, summed over the chains. */
export interface TreeStatistics {
  readonly transitions: number
  /** Mean tree depth (doublings) and leapfrog steps (gradient evaluations) per transition. */
  readonly meanDepth: number
  readonly meanLeapfrogSteps: number
  /** Transitions that diverged (an energy error above 1000·T), and that stopped at the maximum depth. */
  readonly divergences: number
  readonly maxDepthHits: number
  /** The chains with a divergent transition, and with a maximum-depth hit. */
  readonly divergentChains: readonly number[]
  readonly maxDepthChains: readonly number[]
}

/**
 * The tree statistics of the chains' NUTS counters (`trees`, [chains × 5]: transitions, depth, leapfrog
 * steps, divergences, maximum-depth hits) since `since` (the same counters earlier).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { treeStatistics } from './snapshot.js'
 * const s = treeStatistics(new Float64Array([2, 6, 20, 1, 0, 2, 4, 10, 0, 0]), new Float64Array(10))
 * assert.deepEqual([s.transitions, s.meanDepth, s.meanLeapfrogSteps, s.divergences, s.divergentChains], [4, 2.5, 7.5, 1, [0]])
 */
export const treeStatistics = (trees: Float64Array, since: Float64Array): TreeStatistics => {
  const n = treeColumns.length
  const sums = new Array<number>(n).fill(0)
  const divergentChains: number[] = []
  const maxDepthChains: number[] = []
  for (let c = 0; c < trees.length / n; c++) {
    for (let k = 0; k < n; k++) sums[k] += trees[c * n + k] - since[c * n + k]
    if (trees[c * n + 3] > since[c * n + 3]) divergentChains.push(c)
    if (trees[c * n + 4] > since[c * n + 4]) maxDepthChains.push(c)
  }
  const [transitions, depth, leapfrogs, divergences, maxDepthHits] = sums
  return { transitions, meanDepth: depth / transitions, meanLeapfrogSteps: leapfrogs / transitions, divergences, maxDepthHits, divergentChains, maxDepthChains }
}

/**
 * The chains after `step` steps (copies: later steps never change a snapshot): the diagnostics' SampleSnapshot,
 * always with gradient norms, plus the run's statistics.
 */
export interface SampleSnapshot extends ChainSnapshot {
  readonly gradientNorms: Float64Array
  readonly statistics: Statistics
}

/** What one run of a runner reports: its statistics, and the per-chain numbers behind them. */
export interface RunStatistics extends Statistics {
  /** ‖∇E(x)‖ of every chain. */
  readonly gradientNorms: Float64Array
  /** Per chain, the fraction of its Metropolis moves accepted in the run (NaN where it made none); absent without a Metropolis block. */
  readonly accepted?: Float64Array
}

/**
 * The mean of finite values whose sum overflowed: each divided by their count first, so the mean of finite
 * values is finite (≤ the largest of them in magnitude).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { meanOfLarge } from './snapshot.js'
 * assert.equal(meanOfLarge(new Float64Array([1e308, 1e308, 5]), new Uint8Array([1, 1, 0]), 2), 1e308)
 */
export const meanOfLarge = (values: ArrayLike<number>, alive: Uint8Array, n: number): number => {
  let mean = 0
  for (let c = 0; c < values.length; c++) if (alive[c]) mean += values[c] / n
  return mean
}

/**
 * The statistics of a state after `step` steps; `since` holds each chain's proposal and acceptance counts
 * before the steps they cover. The state's energies and gradients must be current. The per-chain numbers
 * are written to `into` when given (a caller that reads only the means reuses its arrays), else to new arrays.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { initialState } from './reference.js'
 * import { statisticsOf } from './snapshot.js'
 * const s = statisticsOf(initialState(2, 1, new Float64Array(2)), 0, false, { proposed: new Float64Array(2), accepted: new Float64Array(2) })
 * assert.equal(s.nonFinite, 0)
 * assert.equal(s.acceptanceRate, null)
 */
export const statisticsOf = (
  state: SnapshotState,
  step: number,
  metropolis: boolean,
  since: { readonly proposed: Float64Array; readonly accepted: Float64Array; readonly trees?: Float64Array },
  into?: { readonly gradientNorms: Float64Array; readonly accepted: Float64Array },
): RunStatistics => {
  const { chains, dimension: D } = state
  const gradientNorms = into?.gradientNorms ?? new Float64Array(chains)
  let alive = 0
  let energySum = 0
  let normSum = 0
  for (let c = 0; c < chains; c++) {
    let squares = 0
    for (let j = c * D; j < (c + 1) * D; j++) squares += state.gradient[j] * state.gradient[j]
    gradientNorms[c] = Math.sqrt(squares)
    if (!state.alive[c]) continue
    alive++
    energySum += state.energy[c]
    normSum += gradientNorms[c]
  }
  const meanEnergy = Number.isFinite(energySum) ? energySum / alive : meanOfLarge(state.energy, state.alive, alive)
  const meanGradientNorm = Number.isFinite(normSum) ? normSum / alive : meanOfLarge(gradientNorms, state.alive, alive)
  const statistics = {
    step,
    acceptanceRate: null,
    meanEnergy,
    meanGradientNorm,
    nonFinite: chains - alive,
    ...(since.trees === undefined ? {} : { trees: treeStatistics(state.trees, since.trees) }),
    gradientNorms,
  }
  if (!metropolis) return statistics
  const accepted = into?.accepted ?? new Float64Array(chains)
  let proposed = 0
  let acceptedSum = 0
  for (let c = 0; c < chains; c++) {
    const n = state.proposed[c] - since.proposed[c]
    const a = state.accepted[c] - since.accepted[c]
    accepted[c] = n > 0 ? a / n : NaN
    proposed += n
    acceptedSum += a
  }
  return { ...statistics, acceptanceRate: proposed > 0 ? acceptedSum / proposed : NaN, accepted }
}

/**
 * The snapshot of a state with the statistics of the run that led to it (copies: later steps never change
 * a snapshot).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { initialState } from './reference.js'
 * import { snapshotOf, statisticsOf } from './snapshot.js'
 * const state = initialState(2, 1, new Float64Array([1, 2]))
 * const s = snapshotOf(state, statisticsOf(state, 0, false, { proposed: new Float64Array(2), accepted: new Float64Array(2) }))
 * assert.deepEqual(s.positions, new Float64Array([1, 2]))
 */
export const snapshotOf = (state: SnapshotState, run: RunStatistics): SampleSnapshot => {
  const { gradientNorms, accepted, ...statistics } = run
  return {
    step: run.step,
    chains: state.chains,
    dimension: state.dimension,
    positions: Float64Array.from(state.position),
    energies: Float64Array.from(state.energy),
    gradientNorms,
    ...(accepted === undefined ? {} : { accepted }),
    statistics,
  }
}
