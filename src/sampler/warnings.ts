/**
 * Failures that speak: what a finished run says about itself besides its numbers. Chains that became
 * non-finite, chains that never moved, acceptance far from its target; the other parts of the sampler add
 * their own codes (divergent transitions, maximum tree depth, swap rates) in the same shape.
 *
 * @module
 */
import * as check from '../check/index.js'

/** One thing a run found wrong with itself. */
export interface SamplerWarning {
  readonly code: 'divergent' | 'non-finite' | 'stuck' | 'acceptance' | 'tree-depth' | 'swap-rate' | (string & {})
  /** A sentence for the user: what happened, how often, and what usually helps. */
  readonly message: string
  /** How many chains (or transitions) it concerns. */
  readonly count?: number
  /** The chains it concerns (the first 20 at most). */
  readonly chains?: readonly number[]
}

/** The acceptance band outside which a Metropolis kernel without a stated target is warned about. */
export const acceptanceBand = { low: 0.1, high: 0.95 } as const

/** How far from a stated target acceptance a run may be before it is warned about. */
export const acceptanceSlack = 0.1

/** At most this many chain indices are listed in a warning. */
export const listed = 20

/**
 * The first `listed` of a warning's chains (its `count` says how many there are).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { listedChains } from './warnings.js'
 * assert.deepEqual(listedChains(Array.from({ length: 30 }, (_v, c) => c)), Array.from({ length: 20 }, (_v, c) => c))
 */
export const listedChains = (chains: readonly number[]): readonly number[] => chains.slice(0, listed)

// The chains where `flag` holds, counted, the first `listed` kept.
const chainsWhere = (chains: number, flag: (c: number) => boolean): { count: number; chains: number[] } => {
  const out: number[] = []
  let count = 0
  for (let c = 0; c < chains; c++) {
    if (!flag(c)) continue
    count++
    if (out.length < listed) out.push(c)
  }
  return { count, chains: out }
}

const showChains = (w: { count: number; chains: readonly number[] }): string => `${w.chains.join(', ')}${w.count > w.chains.length ? ', …' : ''}`

/** What the warnings of a finished run are computed from. */
export interface RunFacts {
  readonly chains: number
  /** Per chain: 1 while its state is finite. */
  readonly alive: Uint8Array
  /** Whether the kernel has a Metropolis test (or counted flips); without, nothing corrects its bias. */
  readonly metropolis: boolean
  /** Per chain: Metropolis decisions and acceptances after warmup (absent without a Metropolis test). */
  readonly proposed?: ArrayLike<number>
  readonly accepted?: ArrayLike<number>
  /** The acceptance rate over the run after warmup (null without a Metropolis test). */
  readonly acceptanceRate: number | null
  /** The target acceptance the user stated, if any. */
  readonly targetAcceptance?: number
  /** Per chain, whether every kept draw was the same (only known when draws are kept). */
  readonly constantDraws?: (c: number) => boolean
}

/**
 * Chains whose state became non-finite: their energy or gradient overflowed (an unadjusted step too large
 * for the energy's curvature diverges), or the energy is NaN there.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nonFiniteWarning } from './warnings.js'
 * const w = nonFiniteWarning({ chains: 3, alive: new Uint8Array([1, 0, 1]), metropolis: false, acceptanceRate: null })
 * assert.equal(w?.count, 1)
 * assert.deepEqual(w?.chains, [1])
 */
export const nonFiniteWarning = (f: RunFacts): SamplerWarning | undefined => {
  const w = chainsWhere(f.chains, (c) => f.alive[c] === 0)
  if (w.count === 0) return undefined
  const why = f.metropolis
    ? 'the energy or its gradient is NaN or infinite there'
    : 'the energy or its gradient overflowed or is NaN there; an unadjusted kernel diverges when its step size is too large for the energy\'s curvature (try a smaller stepSize, or MALA)'
  return { code: 'non-finite', message: `${w.count} of ${f.chains} chains became non-finite (${showChains(w)}) and were frozen and left out of the statistics: ${why}`, ...w }
}

/**
 * Chains that never moved after warmup: every Metropolis proposal rejected (the step size is too large
 * where they are, often far out in the tails), or, with draws kept, every draw the same.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { stuckWarning } from './warnings.js'
 * const w = stuckWarning({ chains: 2, alive: new Uint8Array([1, 1]), metropolis: true, proposed: [10, 10], accepted: [0, 4], acceptanceRate: 0.2 })
 * assert.deepEqual(w?.chains, [0])
 */
export const stuckWarning = (f: RunFacts): SamplerWarning | undefined => {
  const { proposed, accepted, constantDraws } = f
  const rejectedAll = (c: number) => proposed !== undefined && accepted !== undefined && proposed[c] > 0 && accepted[c] === 0
  const w = chainsWhere(f.chains, (c) => f.alive[c] === 1 && (rejectedAll(c) || (constantDraws?.(c) ?? false)))
  if (w.count === 0) return undefined
  return {
    code: 'stuck',
    message: `${w.count} of ${f.chains} chains never moved after warmup (${showChains(w)}): every proposal was rejected; a smaller step size, a warmup, or starts nearer the bulk of the distribution help`,
    ...w,
  }
}

/**
 * Acceptance far from its target: outside [0.1, 0.95] when no target is stated, else more than 0.1 from
 * the target. Too low wastes the gradient evaluations; too high means steps so small that the chains
 * crawl.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { acceptanceWarning } from './warnings.js'
 * assert.equal(acceptanceWarning({ chains: 1, alive: new Uint8Array([1]), metropolis: true, acceptanceRate: 0.02 })?.code, 'acceptance')
 * assert.equal(acceptanceWarning({ chains: 1, alive: new Uint8Array([1]), metropolis: true, acceptanceRate: 0.6, targetAcceptance: 0.8 })?.code, 'acceptance')
 * assert.equal(acceptanceWarning({ chains: 1, alive: new Uint8Array([1]), metropolis: true, acceptanceRate: 0.6 }), undefined)
 */
export const acceptanceWarning = (f: RunFacts): SamplerWarning | undefined => {
  const rate = f.acceptanceRate
  if (rate === null || Number.isNaN(rate)) return undefined
  const t = f.targetAcceptance
  const [low, high] = t === undefined ? [acceptanceBand.low, acceptanceBand.high] : [t - acceptanceSlack, t + acceptanceSlack]
  if (rate >= low && rate <= high) return undefined
  const advice = rate < low ? 'the step size is too large (make it smaller)' : 'the step size is too small, so the chains crawl (make it larger)'
  const against = t === undefined ? `outside [${low}, ${high}]` : `more than ${acceptanceSlack} from the target ${t}`
  return { code: 'acceptance', message: `the acceptance rate ${rate.toPrecision(3)} is ${against}: ${advice}` }
}

/**
 * The warnings of a finished run, in a fixed order: non-finite chains, stuck chains, acceptance.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { runWarnings } from './warnings.js'
 * assert.deepEqual(runWarnings({ chains: 1, alive: new Uint8Array([1]), metropolis: false, acceptanceRate: null }), [])
 */
export const runWarnings = (f: RunFacts): SamplerWarning[] =>
  [nonFiniteWarning(f), stuckWarning(f), acceptanceWarning(f)].filter((w): w is SamplerWarning => w !== undefined)

/**
 * The error of a run whose every chain became non-finite: there is nothing left to report.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { allNonFiniteError } from './warnings.js'
 * assert.match(allNonFiniteError(4, 10, false).message, /^sample: all 4 chains became non-finite by step 10/)
 */
export const allNonFiniteError = (chains: number, step: number, metropolis: boolean): RangeError =>
  new RangeError(
    `sample: all ${chains} chains became non-finite by step ${step}: the energy or its gradient is NaN or infinite where they went${
      metropolis ? '' : " (an unadjusted kernel diverges when its step size is too large for the energy's curvature)"
    }; check the energy at the initial positions and the step size`,
  )

/**
 * A stated target acceptance, checked: a probability strictly between 0 and 1.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkTargetAcceptance } from './warnings.js'
 * assert.equal(checkTargetAcceptance(0.8, 'sample: targetAcceptance'), 0.8)
 * assert.throws(() => checkTargetAcceptance(1, 'sample: targetAcceptance'), { message: 'sample: targetAcceptance: expected a number in (0, 1), got 1' })
 */
export const checkTargetAcceptance = (v: unknown, where: string): number => {
  const p = check.probability(v, where)
  if (p === 0 || p === 1) throw check.rangeError(where, 'a number in (0, 1)', p)
  return p
}
