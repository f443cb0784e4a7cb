/**
 * The no-U-turn sampler as a block: one NUTS transition per step (a fresh momentum, a trajectory doubled
 * until it turns back, a multinomial draw from it), exact for exp(−E/T) by itself and in compositions.
 * The trajectories are built in nuts-tree.ts; this file registers the block and drives every chain's tree
 * together.
 *
 * Chains of different tree depths: the step runs in rounds of one leapfrog step for every chain still
 * building its tree; each round evaluates E and ∇E once for all of them, and a chain whose tree is done
 * takes no further part. The reference runner evaluates all chains each round (it is simple on purpose);
 * the native handler (native/sampler_nuts.cc) packs the positions of the chains still building into the
 * first rows of a batch and evaluates those rows alone, so a round costs in proportion to the chains
 * still building, and the step ends when the deepest tree is done. Statistics per chain: tree depth,
 * leapfrog steps, divergences, maximum-depth hits (the state's `trees`), and the acceptance statistic
 * (the mean Metropolis acceptance over the tree's leaves) as the run's acceptance, what dual averaging
 * tunes the step size on.
 *
 * Draws of a step: D normals for the momentum, then the transition's uniforms: at depth j, the direction
 * at 2j and the top-level choice at 2j + 1; the n-th leaf's at 2·maxTreeDepth + n.
 *
 * @module
 */
import { integer, options } from '../../check/index.js'
import { defineBlock, defineInstruction } from '../block.js'
import { checkMetric, encodeMetric, metricFields, type Metric, type MetricSlot } from '../metric.js'
import type { ReferenceStep } from '../reference.js'
import type { TreeStatistics } from '../snapshot.js'
import { positiveSchedule, scheduleAt, type Schedule, type ScheduleLike } from '../schedule.js'
import { begin, kickAndMove, leaf, treeColumns, trees, uniformAt, uniformsPerTransition, type Trees } from './nuts-tree.js'
import { listedChains, type SamplerWarning } from '../warnings.js'

/** A NUTS block: step size h, maximum tree depth (at most 2^depth − 1 leapfrog steps a transition), temperature T. */
export interface Nuts {
  readonly type: 'nuts'
  readonly stepSize: Schedule
  readonly maxTreeDepth: number
  readonly temperature: Schedule
  /** The inverse mass matrix M⁻¹ (absent: the identity). */
  readonly metric?: Metric
}

/** The NUTS instruction: the block's fields and the offsets of its normals and uniforms. */
export interface NutsInstruction {
  readonly op: 'nuts'
  readonly stepSize: Schedule
  readonly maxTreeDepth: number
  readonly temperature: Schedule
  readonly momentumDraw: number
  readonly uniformDraw: number
  /** The mass matrix's slot in the program's metric table (null: the identity). */
  readonly metric: MetricSlot | null
}

declare module '../block.js' {
  interface Blocks {
    nuts: Nuts
  }
  interface Instructions {
    nuts: NutsInstruction
  }
}

/** The deepest tree allowed: 2^20 − 1 leapfrog steps a transition. */
export const maximumTreeDepth = 20

const block = defineBlock<Nuts>({
  type: 'nuts',
  check: (k, where, { inProposal }) => {
    if (inProposal) throw new RangeError(`${where.at}: expected no NUTS block inside a Metropolis proposal (NUTS is exact by itself), got one`)
    const metric = checkMetric(k.metric, where.field('metric'))
    return Object.freeze({
      type: 'nuts' as const,
      stepSize: positiveSchedule(k.stepSize, where.field('stepSize')),
      maxTreeDepth: integer(k.maxTreeDepth, where.field('maxTreeDepth'), { min: 1, max: maximumTreeDepth }),
      temperature: positiveSchedule(k.temperature, where.field('temperature')),
      ...(metric === undefined ? {} : { metric }),
    })
  },
  flatten: (k, f) => {
    f.push({ op: 'nuts', stepSize: k.stepSize, maxTreeDepth: k.maxTreeDepth, temperature: k.temperature, momentumDraw: f.draws(f.dimension), uniformDraw: f.draws(uniformsPerTransition(k.maxTreeDepth)), metric: f.metric(k.metric) })
  },
})

// One workspace per chain state, depth and kind of metric (velocity rows of their own or not), kept
// between steps (allocating it is most of a small step).
const workspaces = new WeakMap<object, Trees>()
const workspaceOf = (r: ReferenceStep, maxDepth: number, velocities: boolean): Trees => {
  const known = workspaces.get(r.state)
  if (known !== undefined && known.maxDepth === maxDepth && known.velocities === velocities) return known
  const w = trees(r.state.chains, r.dimension, maxDepth, velocities)
  workspaces.set(r.state, w)
  return w
}

const reference = (ins: NutsInstruction, r: ReferenceStep): void => {
  r.refresh()
  const { state } = r
  const { position: x, gradient: g, energy: E } = state
  const D = r.dimension
  const m = ins.metric ?? null
  const w = workspaceOf(r, ins.maxTreeDepth, m !== null)
  const h = scheduleAt(ins.stepSize, r.t)
  const T = scheduleAt(ins.temperature, r.t)
  w.building.fill(0)
  r.rows((_from, _to, c) => begin(w, c, { x, g, E }, r.normals(c, ins.momentumDraw), T, r.uniform(c, ins.uniformDraw + uniformAt.direction(0)), m))
  // Mid-trajectory points may be non-finite (a divergence): chains are judged on their samples at the end.
  r.inProposal = true
  const building: number[] = []
  for (let c = 0; c < state.chains; c++) if (w.building[c]) building.push(c)
  while (building.length > 0) {
    for (const c of building) kickAndMove(w, c, h, x, c, m)
    r.moved()
    r.refresh()
    for (const c of building) leaf(w, c, h, T, E, g, c, (i) => r.uniform(c, ins.uniformDraw + i), m)
    let n = 0
    for (const c of building) if (w.building[c]) building[n++] = c
    building.length = n
  }
  r.inProposal = false
  const { sample } = w
  r.rows((from, to, c) => {
    x.set(sample.x.subarray(from, to), from)
    state.momentum.set(sample.p.subarray(from, to), from)
    g.set(sample.g.subarray(from, to), from)
    E[c] = sample.E[c]
    recordTransition(state.trees, c, w)
    state.proposed[c] += 1
    state.accepted[c] += w.sumAcceptance[c] / w.leapfrogs[c]
    if (!r.finiteChain(c)) state.alive[c] = 0
  })
}

// Chain c's tree statistics, added to its row of `trees` (the columns of treeColumns).
const recordTransition = (out: Float64Array, c: number, w: Trees): void => {
  const at = c * treeColumns.length
  out[at] += 1
  out[at + 1] += w.depth[c]
  out[at + 2] += w.leapfrogs[c]
  out[at + 3] += w.divergent[c]
  out[at + 4] += w.depth[c] >= w.maxDepth ? 1 : 0
}

defineInstruction({
  op: 'nuts',
  requires: { energy: true, acceptance: true, trees: true },
  fields: { stepSize: 'schedule', maxTreeDepth: 'number', temperature: 'schedule', momentumDraw: 'number', uniformDraw: 'number', ...metricFields },
  encode: (ins: NutsInstruction) => ({ stepSize: ins.stepSize, maxTreeDepth: ins.maxTreeDepth, temperature: ins.temperature, momentumDraw: ins.momentumDraw, uniformDraw: ins.uniformDraw, ...encodeMetric(ins.metric) }),
  reference,
})

/**
 * The no-U-turn sampler (Hoffman & Gelman 2014, in Betancourt's 2017 form as Stan and BlackJAX run it):
 * each step draws p ~ N(0, T·M), doubles a leapfrog trajectory of step size h in random directions
 * until the generalised no-U-turn criterion fails (or `maxTreeDepth` doublings, default 10), and moves to
 * a point of it drawn multinomially (biased progressive sampling at the top level). A leapfrog step whose
 * energy error H − H₀ exceeds 1000·T is a divergence: it ends the transition and is counted. Runs report
 * the mean acceptance statistic as their acceptance rate, and tree depths, leapfrog steps, divergences
 * and maximum-depth hits in their statistics. `metric` is the inverse mass matrix M⁻¹ (default: the
 * identity; what `warmup` estimates, with the step size, from a NUTS kernel).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nuts } from './nuts.js'
 * const k = nuts({ stepSize: 0.3 })
 * assert.deepEqual([k.type, k.maxTreeDepth], ['nuts', 10])
 * assert.throws(() => nuts({ stepSize: 0.3, maxTreeDepth: 0 }), { message: 'nuts: maxTreeDepth: expected an integer in [1, 20], got 0' })
 */
export const nuts = (o: { readonly stepSize: ScheduleLike; readonly maxTreeDepth?: number; readonly temperature?: ScheduleLike; readonly metric?: Metric }): Nuts => {
  const { stepSize, maxTreeDepth, temperature, metric } = options<{ stepSize: ScheduleLike; maxTreeDepth: number; temperature: ScheduleLike; metric: Metric }>(o, 'nuts: options', ['stepSize', 'maxTreeDepth', 'temperature', 'metric'])
  return block.build({ type: 'nuts', stepSize, maxTreeDepth: maxTreeDepth ?? 10, temperature: temperature ?? 1, metric }, 'nuts')
}

/**
 * The warnings NUTS trees call for: divergent transitions (the step size is too large for some region:
 * the draws there are biased), and transitions that stopped at the maximum depth (the trajectories were
 * cut short: the chains explore slowly).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { treeWarnings } from './nuts.js'
 * const trees = { transitions: 400, meanDepth: 3.2, meanLeapfrogSteps: 9.5, divergences: 3, maxDepthHits: 0, divergentChains: [4, 17], maxDepthChains: [] }
 * assert.deepEqual(treeWarnings(trees).map((w) => [w.code, w.count, w.chains]), [['divergent', 3, [4, 17]]])
 */
export const treeWarnings = (trees: TreeStatistics): SamplerWarning[] => [
  ...(trees.divergences > 0
    ? [{ code: 'divergent', message: `${trees.divergences} of ${trees.transitions} NUTS transitions diverged (energy error above 1000·T) in ${trees.divergentChains.length} chains: reduce the step size or reparametrise`, count: trees.divergences, chains: listedChains(trees.divergentChains) }]
    : []),
  ...(trees.maxDepthHits > 0
    ? [{ code: 'tree-depth', message: `${trees.maxDepthHits} of ${trees.transitions} NUTS transitions stopped at the maximum tree depth in ${trees.maxDepthChains.length} chains: raise maxTreeDepth or the step size`, count: trees.maxDepthHits, chains: listedChains(trees.maxDepthChains) }]
    : []),
]
