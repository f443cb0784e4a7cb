/**
 * ChEES (Hoffman, Radul & Sountsov 2021): the trajectory length L of HMC tuned by stochastic gradient
 * ascent, across chains, of the Change in the Estimator of the Expected Square,
 * ChEES = ¼·E[(‖x′ − E x′‖² − ‖x − E x‖²)²], x the chain before a trajectory and x′ its proposal. Each
 * iteration runs a jittered length t·L (t from the base-2 Halton sequence) and estimates the derivative
 * in log L per chain as t·L·(‖x′ − x̄′‖² − ‖x − x̄‖²)·(x′ − x̄′)ᵀv′ (v′ = M⁻¹p′, the velocity at the end),
 * averaged with the chains' acceptances as weights. Adam without momentum (β₂ = 0.95, learning rate 0.025)
 * takes the step in log L, clipped to ±0.35 (as TensorFlow Probability's implementation); the iterates run
 * the trajectories, and warmup ends with their moving average (weight m^(−1/2)), as dual averaging does.
 *
 * Acceptances may be the 0/1 outcomes: weighting with them estimates the same ratio as weighting with the
 * acceptance probabilities, and an accepted chain's state is its proposal.
 *
 * @module
 */

/** The state of the trajectory-length adaptation. */
export interface Chees {
  /** Iterations so far. */
  readonly count: number
  /** log L: the trajectory length in use. */
  readonly logLength: number
  /** The moving average of log L: the length warmup ends with. */
  readonly logAverage: number
  /** Adam's second moment of the gradient. */
  readonly moment: number
}

/** The constants of the ascent. */
export const cheesConstants = { learningRate: 0.025, beta2: 0.95, clip: 0.35, decay: 0.5, epsilon: 1e-20 } as const

/**
 * The final trajectory length: the moving average of the iterates.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { chees, finalLength } from './chees.js'
 * assert.equal(finalLength(chees(2)), 2)
 */
export const finalLength = (s: Chees): number => Math.exp(s.logAverage)

/**
 * The adaptation started at trajectory length `length`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { chees } from './chees.js'
 * assert.equal(chees(2).logLength, Math.log(2))
 */
export const chees = (length: number): Chees => ({ count: 0, logLength: Math.log(length), logAverage: Math.log(length), moment: 0 })

/**
 * Element `index` (≥ 1) of the van der Corput (base-2 Halton) sequence in (0, 1): 1/2, 1/4, 3/4, 1/8, …
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { halton } from './chees.js'
 * assert.deepEqual([1, 2, 3, 4, 5].map(halton), [0.5, 0.25, 0.75, 0.125, 0.625])
 */
export const halton = (index: number): number => {
  let out = 0
  let f = 0.5
  for (let i = index; i > 0; i = Math.floor(i / 2), f /= 2) out += f * (i % 2)
  return out
}

/**
 * Leapfrog steps of a jittered trajectory: ⌈t·L/h⌉, at least 1 and at most `most`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { jitteredSteps } from './chees.js'
 * assert.equal(jitteredSteps(0.5, 2, 0.3, 100), 4)
 */
export const jitteredSteps = (jitter: number, length: number, stepSize: number, most: number): number =>
  Math.min(most, Math.max(1, Math.ceil((jitter * length) / stepSize)))

/** What one iteration of ChEES reads, over `chains` chains of D numbers (row-major). */
export interface CheesDraws {
  readonly before: ArrayLike<number>
  readonly after: ArrayLike<number>
  /** The velocity M⁻¹p′ at the end of each trajectory. */
  readonly velocity: ArrayLike<number>
  /** Each chain's acceptance (probability or 0/1); 0 for a chain to leave out. */
  readonly weight: ArrayLike<number>
  /** The jitter t of this iteration's trajectory length t·L. */
  readonly jitter: number
}

const centre = (x: ArrayLike<number>, w: ArrayLike<number> | undefined, chains: number, D: number): Float64Array => {
  const mean = new Float64Array(D)
  let total = 0
  for (let c = 0; c < chains; c++) {
    const wc = w === undefined ? 1 : w[c]
    if (!(wc > 0)) continue
    total += wc
    for (let j = 0; j < D; j++) mean[j] += wc * x[c * D + j]
  }
  return mean.map((m) => m / Math.max(total, cheesConstants.epsilon))
}

/**
 * The acceptance-weighted estimate of d ChEES / d log L from one iteration's chains (0 when no chain has
 * weight).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { cheesGradient } from './chees.js'
 * // two chains of D = 1, x̄ = 0, x̄′ = 0: t·L·(x′² − x²)·x′·v′ per chain, averaged
 * const g = cheesGradient({ before: [1, -1], after: [2, -2], velocity: [1, -1], weight: [1, 1], jitter: 0.5 }, 2, 1, 4)
 * assert.equal(g, 0.5 * 4 * (4 - 1) * 2)
 */
export const cheesGradient = (d: CheesDraws, chains: number, D: number, length: number): number => {
  const finite = (c: number) => d.weight[c] > 0 && Array.from({ length: D }, (_, j) => d.after[c * D + j]).every(Number.isFinite)
  const weights = Array.from({ length: chains }, (_, c) => (finite(c) ? d.weight[c] : 0))
  const before = centre(d.before, undefined, chains, D)
  const after = centre(d.after, weights, chains, D)
  let sum = 0
  let total = 0
  for (let c = 0; c < chains; c++) {
    if (!(weights[c] > 0)) continue
    let spreadAfter = 0
    let spreadBefore = 0
    let along = 0
    for (let j = 0; j < D; j++) {
      const a = d.after[c * D + j] - after[j]
      const b = d.before[c * D + j] - before[j]
      spreadAfter += a * a
      spreadBefore += b * b
      along += a * d.velocity[c * D + j]
    }
    sum += weights[c] * d.jitter * length * (spreadAfter - spreadBefore) * along
    total += weights[c]
  }
  return total > 0 ? sum / total : 0
}

/**
 * One ascent step on log L with gradient `gradient`, the new length kept within [h, most·h], and the
 * moving average updated.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { chees, adaptLength } from './chees.js'
 * // the first Adam step is ±(learning rate) whatever the gradient's size; the average's weight is 1
 * const s = adaptLength(chees(1), 1e6, 0.1, 1000)
 * assert.ok(Math.abs(s.logLength - 0.025) < 1e-12)
 */
export const adaptLength = (s: Chees, gradient: number, stepSize: number, most: number): Chees => {
  const { learningRate, beta2, clip, decay, epsilon } = cheesConstants
  if (!Number.isFinite(gradient)) return s
  const count = s.count + 1
  const moment = beta2 * s.moment + (1 - beta2) * gradient * gradient
  const unbiased = moment / (1 - Math.pow(beta2, count))
  const step = Math.max(-clip, Math.min(clip, (learningRate * gradient) / (Math.sqrt(unbiased) + epsilon)))
  const logLength = Math.min(Math.log(most * stepSize), Math.max(Math.log(stepSize), s.logLength + step))
  const w = Math.pow(count, -decay)
  return { count, logLength, logAverage: (1 - w) * s.logAverage + w * logLength, moment }
}
