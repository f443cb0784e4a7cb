/**
 * The temperature ladder of replica exchange: T₀ = 1 < T₁ < … < T_max, checked or built geometric, and
 * moved toward equal swap rates by the communication barrier of Syed, Bouchard-Côté, Deligiannidis &
 * Doucet (2019): with r_i the rejection rate of swaps between rungs i and i + 1, Λ(β) = Σ r_i accumulated
 * along β = 1/T is the barrier, and rungs placed at equal steps of Λ reject equally often.
 *
 * @module
 */
import * as check from '../../check/index.js'

/** A ladder as given: the temperatures themselves, or a count of rungs spaced geometrically from 1 to `max`. */
export type LadderLike = readonly number[] | { readonly rungs: number; readonly max: number }

/**
 * `rungs` temperatures spaced geometrically from 1 to `max` (equal ratios, the usual first guess: equal
 * swap rates on a target whose heat capacity does not change with T).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { geometricLadder } from './ladder.js'
 * assert.deepEqual(geometricLadder(3, 4), [1, 2, 4])
 */
export const geometricLadder = (rungs: number, max: number): number[] => geometric(rungs, max, { rungs: 'geometricLadder: rungs', max: 'geometricLadder: max' })

// The geometric ladder after checking its two numbers (`at` names them): 2 to 4096 rungs up to a finite max > 1.
const geometric = (r: unknown, m: unknown, at: { readonly rungs: string; readonly max: string }): number[] => {
  const rungs = check.integer(r, at.rungs, { min: 2, max: 4096 })
  const max = check.finite(m, at.max)
  if (!(max > 1)) throw check.rangeError(at.max, 'a temperature above 1 (the first rung is the target at T = 1)', m)
  return Array.from({ length: rungs }, (_v, k) => (k === rungs - 1 ? max : max ** (k / (rungs - 1))))
}

/**
 * Checks a ladder: at least two temperatures, the first 1 (the target's, where draws are kept), strictly
 * increasing and finite; or `{ rungs, max }` with rungs ≥ 2 and max > 1, spaced geometrically.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkLadder } from './ladder.js'
 * assert.deepEqual(checkLadder({ rungs: 3, max: 9 }, 'temper: ladder'), [1, 3, 9])
 * assert.throws(() => checkLadder([1, 3, 2], 'temper: ladder'), { name: 'RangeError', message: 'temper: ladder[2]: expected a temperature above 3, the one before it (the ladder increases), got 2' })
 */
export const checkLadder = (v: unknown, where: string): number[] => {
  if (!Array.isArray(v)) {
    const o = check.options<{ rungs: number; max: number }>(check.object(v, where), where, ['rungs', 'max'])
    return geometric(o.rungs, o.max, { rungs: `${where}.rungs`, max: `${where}.max` })
  }
  const ladder = check.vector(v, where)
  if (ladder.length < 2 || ladder.length > 4096) throw check.rangeError(where, 'between 2 and 4096 temperatures', v)
  if (ladder[0] !== 1) throw check.rangeError(`${where}[0]`, '1 (the first rung is the target, where draws are kept; temper the energy to sample elsewhere)', ladder[0])
  ladder.forEach((T, k) => {
    if (k > 0 && !(T > ladder[k - 1])) throw check.rangeError(`${where}[${k}]`, `a temperature above ${ladder[k - 1]}, the one before it (the ladder increases)`, T)
  })
  return ladder
}

/** A floor on each rejection rate, so that Λ rises strictly and a pair that always swapped still holds a place. */
const rejectionFloor = 1e-3

/**
 * The ladder whose rungs sit at equal steps of the communication barrier: given the temperatures and the
 * rejection rate r_i of swaps between rungs i and i + 1, Λ is interpolated linearly in β = 1/T through
 * Λ(β_k) = r_0 + … + r_(k−1), and rung k moves to the β where Λ = k·Λ(β_max)/(rungs − 1). The ends stay:
 * T₀ = 1 and T_max.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { equalisedLadder } from './ladder.js'
 * // all the rejection between 1 and 2: the middle rung moves toward T = 1
 * const ladder = equalisedLadder([1, 2, 4], [0.8, 0.2])
 * assert.ok(ladder[1] < 2 && ladder[0] === 1 && ladder[2] === 4)
 * assert.deepEqual(equalisedLadder([1, 2, 4], [0.5, 0.5]), [1, 2, 4]) // equal rates already: the ladder stays
 */
export const equalisedLadder = (ladder: readonly number[], rejectionRates: readonly number[]): number[] => {
  const temperatures = checkLadder(ladder, 'equalisedLadder: temperatures')
  const n = temperatures.length
  // One rate per neighbouring pair: a missing one made the barrier NaN, and every rung with it.
  const rejections = check.numbers(rejectionRates, 'equalisedLadder: rejections', { length: n - 1, lengthReason: `${n} rungs (a rate per neighbouring pair)` })
  rejections.forEach((r, i) => check.probability(r, `equalisedLadder: rejections[${i}]`))
  const betas = temperatures.map((T) => 1 / T)
  const barrier = [0]
  rejections.forEach((r, i) => barrier.push(barrier[i] + Math.max(r, rejectionFloor)))
  const total = barrier[n - 1]
  const out = [1]
  let i = 0
  for (let k = 1; k < n - 1; k++) {
    const target = (k * total) / (n - 1)
    while (barrier[i + 1] < target) i++
    const f = (target - barrier[i]) / (barrier[i + 1] - barrier[i])
    out.push(1 / (betas[i] + f * (betas[i + 1] - betas[i])))
  }
  out.push(temperatures[n - 1])
  return out
}

/**
 * The communication barrier Λ: the sum of the swap rejection rates along the ladder. Syed et al. show
 * that non-reversible (even–odd) replica exchange makes round trips at a rate near 1/(2 + 2Λ) once the
 * ladder has about 2Λ rungs or more; fewer rungs than Λ and the rate falls.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { barrierOf } from './ladder.js'
 * assert.equal(barrierOf([0.25, 0.5]), 0.75)
 */
export const barrierOf = (rejections: readonly number[]): number => rejections.reduce((s, r) => s + r, 0)
