/**
 * `checkMetropolisRatio`: does a Metropolis–Hastings kernel accept with the ratio its target and its
 * proposal's density call for? For a user's own proposal (or own accept step), where the density is the
 * user's and heatbath cannot derive it.
 *
 * @module
 */
import * as check from '../check/index.js'
import * as energy from '../energy/index.js'
import type { Kernel } from '../sampler/index.js'
import { checkedKernel, kernelName, momentaAt, runAtNames, runAtOf, runFrom, seedOf, streams, type RunAt } from './chains.js'
import { poissonBinomialTest } from './poisson-binomial.js'
import { combined, testReport, type Report, type Sizes } from './report.js'
import { checkTarget, type Target } from './target.js'

/** log q(to | from), up to a constant that does not depend on (to, from): one configuration each. */
export type LogProposalDensity = (to: Float64Array, from: Float64Array) => number

/** Options of {@link checkMetropolisRatio}. */
export interface MetropolisRatioOptions extends RunAt {
  /** The proposal alone: one step of it makes the move the kernel's first step proposes (same seed, same draws). */
  readonly proposal: Kernel
  /** Its density; omitted for a symmetric proposal. */
  readonly logDensity?: LogProposalDensity
  /** Chains, one decision each (default 2000). */
  readonly chains?: number
  /** Groups of chains by their acceptance probability, one exact test each (default 5; its cost grows as the square of a group's chains). */
  readonly groups?: number
  /** Default 0. */
  readonly seed?: number
  /** Default 0.01. */
  readonly falseAlarm?: number
}

const sameRow = (a: Float64Array, b: Float64Array, at: number, D: number): boolean => {
  for (let j = at; j < at + D; j++) if (Math.abs(a[j] - b[j]) > 1e-12 * Math.max(1, Math.abs(b[j]))) return false
  return true
}

/**
 * Checks that a Metropolis–Hastings kernel accepts a move x → x′ with probability
 * α = min(1, exp(−(E(x′) − E(x))/T)·q(x | x′)/q(x′ | x)), the ratio computed here from the target and the
 * proposal density the user states. Chains start at exact draws; the proposal alone, run one step under
 * the same seed, gives each chain's x′; the kernel's step shows whether it was accepted. Decisions are
 * independent Bernoulli(α) under the null: the chains are grouped by α and each group's acceptances
 * compared with Σα by an exact test of their Poisson binomial law (two-sided; the report's statistic is
 * the z-score), at falseAlarm/groups each (Bonferroni).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkMetropolisRatio, gaussianTarget } from './index.js'
 * import * as sampler from '../sampler/index.js'
 * const target = gaussianTarget({ mean: [0, 0], precision: [[2, 0.5], [0.5, 1]], temperature: 0.7 })
 * const h = 0.4, T = 0.7
 * const proposal = sampler.sequence(sampler.drift({ stepSize: h }), sampler.noise({ stepSize: h, temperature: T }))
 * // q(x′ | x) = N(x − h∇E(x), 2hT): ∇E = Px here
 * const logDensity = (to: Float64Array, from: Float64Array) => {
 *   const g = [2 * from[0] + 0.5 * from[1], 0.5 * from[0] + from[1]]
 *   return -((to[0] - from[0] + h * g[0]) ** 2 + (to[1] - from[1] + h * g[1]) ** 2) / (4 * h * T)
 * }
 * const r = await checkMetropolisRatio(target, sampler.mala({ stepSize: h, temperature: T }), { proposal, logDensity, seed: 1 })
 * assert.equal(r.passed, true)
 * // the same kernel judged as if its proposal were symmetric: the ratio it uses is not that one
 * assert.equal((await checkMetropolisRatio(target, sampler.mala({ stepSize: h, temperature: T }), { proposal, seed: 1 })).passed, false)
 */
export const checkMetropolisRatio = async (target: Target, kernel: Kernel, options: MetropolisRatioOptions): Promise<Report> => {
  const t = checkTarget(target, 'checkMetropolisRatio: target')
  const k = checkedKernel(kernel, 'checkMetropolisRatio: kernel')
  const o = check.options<MetropolisRatioOptions>(check.object(options, 'checkMetropolisRatio: options'), 'checkMetropolisRatio: options', ['proposal', 'logDensity', 'chains', 'groups', 'seed', 'falseAlarm', ...runAtNames])
  const proposal = checkedKernel(o.proposal, 'checkMetropolisRatio: proposal')
  const logDensity: LogProposalDensity = o.logDensity === undefined ? () => 0 : check.func<LogProposalDensity>(o.logDensity, 'checkMetropolisRatio: logDensity')
  const groups = check.positiveInteger(o.groups ?? 5, 'checkMetropolisRatio: groups')
  const chains = check.integer(o.chains ?? 2000, 'checkMetropolisRatio: chains', { min: 10 * groups })
  const falseAlarm = check.probability(o.falseAlarm ?? 0.01, 'checkMetropolisRatio: falseAlarm')
  const seed = seedOf(o.seed, 'checkMetropolisRatio: seed')
  const D = t.dimension
  const at = runAtOf(o)
  const x0 = t.draw(chains, seed, streams.start)
  const p0 = momentaAt(t.temperature, chains * D, seed)
  const [moved, stepped] = await Promise.all([runFrom(t.energy, proposal, at, { positions: x0, momenta: p0, seed, steps: 1 }), runFrom(t.energy, k, at, { positions: x0, momenta: p0, seed, steps: 1 })])
  const params = o.params === undefined ? undefined : Object.fromEntries(Object.entries(o.params).map(([n, v]) => [n, Float64Array.from(v)]))
  const E0 = energy.energyAt(t.energy, x0, params)
  const E1 = energy.energyAt(t.energy, moved.positions, params)
  const decisions: { alpha: number; accepted: number }[] = []
  for (let c = 0; c < chains; c++) {
    const accepted = sameRow(stepped.positions, moved.positions, c * D, D)
    if (!accepted && !sameRow(stepped.positions, x0, c * D, D)) {
      throw new RangeError(`checkMetropolisRatio: proposal: expected the move the kernel proposes, got another: chain ${c} moved to neither the proposal's point nor back to its start (the proposal must draw what the kernel's proposal draws, in the same order)`)
    }
    const row = (a: Float64Array) => a.subarray(c * D, (c + 1) * D)
    const logAlpha = -(E1[c] - E0[c]) / t.temperature + logDensity(row(x0), row(moved.positions)) - logDensity(row(moved.positions), row(x0))
    decisions.push({ alpha: Number.isNaN(logAlpha) ? 0 : Math.min(1, Math.exp(logAlpha)), accepted: accepted ? 1 : 0 })
  }
  decisions.sort((a, b) => a.alpha - b.alpha)
  const sizes: Sizes = { seed, chains, groups, falseAlarm }
  const parts = Array.from({ length: groups }, (_g, g) => {
    const group = decisions.slice(Math.floor((g * chains) / groups), Math.floor(((g + 1) * chains) / groups))
    const expected = group.reduce((s, d) => s + d.alpha, 0)
    const variance = group.reduce((s, d) => s + d.alpha * (1 - d.alpha), 0)
    const observed = group.reduce((s, d) => s + d.accepted, 0)
    const z = variance > 0 ? (observed - expected) / Math.sqrt(variance) : Math.abs(observed - expected) > 1e-9 ? Infinity : 0
    const range = `α in [${group[0].alpha.toFixed(3)}, ${group[group.length - 1].alpha.toFixed(3)}]`
    return testReport(`${range}: ${observed} accepted of ${group.length}, ${expected.toFixed(1)} expected (exact, z shown)`, { statistic: z, pValue: poissonBinomialTest(group.map((d) => d.alpha), observed), level: falseAlarm / groups }, sizes)
  })
  return combined(`checkMetropolisRatio(${kernelName(k)} on ${t.name})`, parts, sizes)
}
