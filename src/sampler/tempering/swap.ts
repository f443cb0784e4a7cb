/**
 * Swaps between neighbouring rungs. Column c of every rung is one replica-exchange system: at round n the
 * pairs (i, i + 1) with i ≡ n (mod 2) propose to exchange their positions (deterministic even–odd, the
 * non-reversible scheme of Syed et al. 2019, which moves replicas along the ladder in straight runs instead
 * of a random walk), each accepted with the exact probability min(1, exp((1/T_i − 1/T_(i+1))(E_i − E_(i+1)))).
 * Momenta stay with their rung (their law depends only on the rung's temperature), so the swap leaves the
 * product of the rungs' Boltzmann laws invariant. The uniforms come from one Philox stream per round.
 *
 * @module
 */
import type { ChainState } from '../reference.js'

/**
 * The probability of accepting the exchange of x_i (energy E_i, at T_i) and x_j (E_j, at T_j):
 * min(1, π_i(x_j)·π_j(x_i) / (π_i(x_i)·π_j(x_j))) = min(1, exp((1/T_i − 1/T_j)(E_i − E_j))); zero when an
 * energy is not finite (such a chain is frozen and never moves).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { swapAcceptance } from './swap.js'
 * assert.equal(swapAcceptance(1, 2, 1, 3), Math.exp(-1)) // the colder rung would take the higher energy
 * assert.equal(swapAcceptance(1, 2, 3, 1), 1)
 * assert.equal(swapAcceptance(1, 2, NaN, 3), 0)
 */
export const swapAcceptance = (Ti: number, Tj: number, Ei: number, Ej: number): number => {
  if (!Number.isFinite(Ei) || !Number.isFinite(Ej)) return 0
  return Math.exp(Math.min(0, (1 / Ti - 1 / Tj) * (Ei - Ej)))
}

/** Swap attempts of each neighbouring pair (i, i + 1), i = 0 … rungs − 2. */
export interface SwapTally {
  readonly attempts: Float64Array
  readonly accepted: Float64Array
  /** Σ (1 − acceptance probability) over the attempts: the rejection rate's Rao–Blackwellised numerator. */
  readonly rejection: Float64Array
}

/**
 * An empty tally of `rungs − 1` pairs.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { emptyTally } from './swap.js'
 * assert.equal(emptyTally(4).attempts.length, 3)
 */
export const emptyTally = (rungs: number): SwapTally => ({ attempts: new Float64Array(rungs - 1), accepted: new Float64Array(rungs - 1), rejection: new Float64Array(rungs - 1) })

/** Where each replica is and where it last turned: what round trips are counted from. */
export interface Replicas {
  readonly rungs: number
  readonly chains: number
  /** The replica at rung r of column c, at r·chains + c. */
  readonly label: Int32Array
  /** Per replica and column: 0 before its first visit to T₀, 1 on its way up from T₀, 2 on its way down from T_max. */
  readonly heading: Uint8Array
  /** Round trips completed (T₀ → T_max → T₀), over all replicas and columns. */
  trips: number
}

/**
 * Replica r at rung r of every column, replica 0 on its way up.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { startReplicas } from './swap.js'
 * assert.deepEqual(Array.from(startReplicas(2, 2).label), [0, 0, 1, 1])
 */
export const startReplicas = (rungs: number, chains: number): Replicas => {
  const label = new Int32Array(rungs * chains)
  for (let r = 0; r < rungs; r++) label.fill(r, r * chains, (r + 1) * chains)
  const heading = new Uint8Array(rungs * chains)
  heading.fill(1, 0, chains)
  return { rungs, chains, label, heading, trips: 0 }
}

// A replica at T₀ completes a round trip if it came down from T_max; at T_max it turns down if it came from T₀.
const markEnds = (replicas: Replicas, c: number): void => {
  const { chains, label, heading } = replicas
  const bottom = label[c] * chains + c
  if (heading[bottom] === 2) replicas.trips++
  heading[bottom] = 1
  const top = label[(replicas.rungs - 1) * chains + c] * chains + c
  if (heading[top] === 1) heading[top] = 2
}

const swapRows = (a: Float32Array | Float64Array, b: Float32Array | Float64Array, from: number, to: number): void => {
  for (let j = from; j < to; j++) {
    const x = a[j]
    a[j] = b[j]
    b[j] = x
  }
}

const swapOne = (low: ChainState, high: ChainState, c: number): void => {
  const D = low.dimension
  swapRows(low.position, high.position, c * D, (c + 1) * D)
  const e = low.energy[c]
  low.energy[c] = high.energy[c]
  high.energy[c] = e
}

/**
 * Swap round `round`: for each pair (i, i + 1) with i ≡ round (mod 2) and each column c, exchanges the
 * positions (and energies) of chain c of rungs i and i + 1 when uniforms[c·(rungs − 1) + i] is below the
 * acceptance; frozen chains never swap. Tallies the attempts and moves the replicas' labels.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { emptyTally, startReplicas, swapRound } from './swap.js'
 * import { initialState } from '../reference.js'
 * const rung = (x: number, E: number) => ({ ...initialState(1, 1, new Float64Array([x])), energy: new Float64Array([E]) })
 * const [cold, hot] = [rung(5, 3), rung(0, 1)] // the cold rung holds the higher energy: always accepted
 * const tally = emptyTally(2)
 * swapRound([cold, hot], [1, 2], 0, new Float64Array([0.99]), tally, startReplicas(2, 1))
 * assert.deepEqual([cold.position[0], hot.position[0], tally.accepted[0]], [0, 5, 1])
 */
export const swapRound = (rungs: readonly ChainState[], temperatures: readonly number[], round: number, uniforms: Float64Array, tally: SwapTally, replicas: Replicas): void => {
  const pairs = rungs.length - 1
  const chains = rungs[0].chains
  for (let i = round % 2; i < pairs; i += 2) {
    const [low, high] = [rungs[i], rungs[i + 1]]
    for (let c = 0; c < chains; c++) {
      const alive = low.alive[c] === 1 && high.alive[c] === 1
      const a = alive ? swapAcceptance(temperatures[i], temperatures[i + 1], low.energy[c], high.energy[c]) : 0
      tally.attempts[i]++
      tally.rejection[i] += 1 - a
      if (!(uniforms[c * pairs + i] < a)) continue
      tally.accepted[i]++
      swapOne(low, high, c)
      const [li, hi] = [i * chains + c, (i + 1) * chains + c]
      const l = replicas.label[li]
      replicas.label[li] = replicas.label[hi]
      replicas.label[hi] = l
    }
  }
  for (let c = 0; c < chains; c++) markEnds(replicas, c)
}
