/**
 * The no-U-turn sampler's trajectories, one per chain, built leaf by leaf so that every chain's next
 * leapfrog step can be evaluated together with the others' (the reference step in nuts.ts and the native
 * handler in native/sampler_nuts.cc drive these same operations in the same order).
 *
 * A transition draws p ~ N(0, T·M) and doubles a trajectory from (x, p): at depth j it picks a direction
 * (forward or backward, one uniform), and builds a subtree of 2^j leapfrog steps from that end. Its leaves
 * are sampled multinomially as they come (a leaf replaces the subtree's proposal with probability
 * w/Σw, its weight w = exp(−(H − H₀)/T) over the subtree's total), and a finished subtree replaces the
 * transition's sample with probability min(1, W_subtree / W_old) (biased progressive sampling, Betancourt
 * 2017, as Stan and BlackJAX do). The recursion of Stan's build_tree becomes bookkeeping by level: leaf k of
 * a subtree completes the sub-subtrees of every level l with 2^l dividing k + 1, and each completed one is
 * checked with the generalised no-U-turn criterion (p♯₋·ρ > 0 and p♯₊·ρ > 0, ρ the sum of its momenta),
 * and, like Stan, across the boundary of its two halves (each half's ρ extended by the other's nearest
 * momentum). A divergence (H − H₀ > 1000·T) or a U-turn inside the subtree discards it and ends the
 * transition; a U-turn of the whole trajectory or the maximum depth ends it after the merge.
 *
 * The mass matrix is the program's metric slot (null: the identity); the kinetic energy, the velocity M⁻¹p
 * and the momentum draw are metric.ts's, shared with the other Hamiltonian blocks.
 *
 * @module
 */
import * as rng from '../../rng/index.js'
import { kinetic, momentumAt, velocityAt, type MetricSlot } from '../metric.js'

// A tree's mass matrix: the program's metric slot, null for the identity.
type Metric = MetricSlot | null

/** A divergence: the energy error H − H₀ above this many temperatures. */
export const divergence = 1000

/**
 * log(eᵃ + eᵇ) with the package's reproducible exp and log (the native handler computes the same bits).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { logAddExp } from './nuts-tree.js'
 * assert.equal(logAddExp(-Infinity, 2), 2)
 * assert.ok(Math.abs(logAddExp(0, 0) - Math.log(2)) < 1e-15)
 */
export const logAddExp = (a: number, b: number): number => {
  if (a === -Infinity) return b
  if (b === -Infinity) return a
  return a > b ? a + rng.log(1 + rng.exp(b - a)) : b + rng.log(1 + rng.exp(a - b))
}

/** Uniforms a transition of depth up to `maxDepth` reads: a direction and a top-level choice per depth, one per leaf. */
export const uniformsPerTransition = (maxDepth: number): number => 2 * maxDepth + 2 ** maxDepth

/** Where a transition's uniforms sit among its `uniformsPerTransition` ones. */
export const uniformAt = {
  direction: (depth: number): number => 2 * depth,
  top: (depth: number): number => 2 * depth + 1,
  leaf: (maxDepth: number, leaf: number): number => 2 * maxDepth + leaf,
}

/** What a finished transition reports, per chain: sums since the counters were reset. */
export const treeColumns = ['transitions', 'depth', 'leapfrogs', 'divergent', 'maxDepthHits'] as const

/** One chain's end of a trajectory, or a proposal: position, momentum, gradient (rows) and energy. */
interface Points {
  readonly x: Float64Array
  readonly p: Float64Array
  readonly g: Float64Array
  readonly E: Float64Array
}

const points = (chains: number, D: number): Points => ({ x: new Float64Array(chains * D), p: new Float64Array(chains * D), g: new Float64Array(chains * D), E: new Float64Array(chains) })

/** Every chain's trajectory under construction. */
export interface Trees {
  readonly D: number
  readonly maxDepth: number
  readonly forward: Points
  readonly backward: Points
  /** The transition's sample so far, and the current subtree's proposal. */
  readonly sample: Points
  readonly proposal: Points
  /** ρ of the whole trajectory; the momentum at the end being extended, as the subtree began. */
  readonly rho: Float64Array
  readonly inner: Float64Array
  /** Per level l (rows of maxDepth + 1): the momentum at the first leaf of its open subtree, and of its first half: the last momentum and ρ. */
  readonly begin: Float64Array
  readonly initEnd: Float64Array
  readonly rhoInit: Float64Array
  /** Scratch: ρ of the subtree completed so far at the current leaf, and of the merge. */
  readonly current: Float64Array
  readonly merged: Float64Array
  readonly H0: Float64Array
  readonly logWeight: Float64Array
  readonly logWeightSubtree: Float64Array
  readonly sumAcceptance: Float64Array
  readonly depth: Int32Array
  readonly leaf: Int32Array
  readonly leapfrogs: Int32Array
  readonly direction: Int8Array
  readonly divergent: Uint8Array
  readonly building: Uint8Array
}

/**
 * Workspace for `chains` trajectories of dimension D up to depth `maxDepth`: (18 + 3·(maxDepth + 1))·D + 13
 * numbers a chain.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { trees } from './nuts-tree.js'
 * assert.equal(trees(2, 3, 4).begin.length, 2 * 5 * 3)
 */
export const trees = (chains: number, D: number, maxDepth: number): Trees => {
  const levels = chains * (maxDepth + 1) * D
  return {
    D,
    maxDepth,
    forward: points(chains, D),
    backward: points(chains, D),
    sample: points(chains, D),
    proposal: points(chains, D),
    rho: new Float64Array(chains * D),
    inner: new Float64Array(chains * D),
    begin: new Float64Array(levels),
    initEnd: new Float64Array(levels),
    rhoInit: new Float64Array(levels),
    current: new Float64Array(chains * D),
    merged: new Float64Array(chains * D),
    H0: new Float64Array(chains),
    logWeight: new Float64Array(chains),
    logWeightSubtree: new Float64Array(chains),
    sumAcceptance: new Float64Array(chains),
    depth: new Int32Array(chains),
    leaf: new Int32Array(chains),
    leapfrogs: new Int32Array(chains),
    direction: new Int8Array(chains),
    divergent: new Uint8Array(chains),
    building: new Uint8Array(chains),
  }
}

const copyPoint = (from: Points, to: Points, c: number, D: number): void => {
  for (let j = c * D; j < (c + 1) * D; j++) {
    to.x[j] = from.x[j]
    to.p[j] = from.p[j]
    to.g[j] = from.g[j]
  }
  to.E[c] = from.E[c]
}

/** The end chain c extends in its current subtree. */
export const extending = (w: Trees, c: number): Points => (w.direction[c] > 0 ? w.forward : w.backward)

// A new subtree at the current depth, in the direction of uniform u.
const startSubtree = (w: Trees, c: number, u: number): void => {
  const D = w.D
  w.direction[c] = u > 0.5 ? 1 : -1
  w.leaf[c] = 0
  w.logWeightSubtree[c] = -Infinity
  w.inner.set(extending(w, c).p.subarray(c * D, (c + 1) * D), c * D)
}

/**
 * Starts chain c's transition from its state (x, ∇E, E at row c of `state`) and standard normals z: the
 * momentum p = √T·z, both ends and the sample at (x, p), the first direction from uniform `u`.
 */
export const begin = (w: Trees, c: number, state: { readonly x: Float64Array; readonly g: Float64Array; readonly E: Float64Array }, z: Float64Array, T: number, u: number, metric: Metric = null): void => {
  const D = w.D
  const sqrtT = Math.sqrt(T)
  for (const end of [w.forward, w.backward, w.sample]) {
    for (let j = 0; j < D; j++) {
      end.x[c * D + j] = state.x[c * D + j]
      end.p[c * D + j] = sqrtT * momentumAt(metric, z, D, j)
      end.g[c * D + j] = state.g[c * D + j]
    }
    end.E[c] = state.E[c]
  }
  w.rho.set(w.sample.p.subarray(c * D, (c + 1) * D), c * D)
  w.H0[c] = state.E[c] + kinetic(metric, w.sample.p, c * D, D)
  w.logWeight[c] = 0
  w.sumAcceptance[c] = 0
  w.depth[c] = 0
  w.leapfrogs[c] = 0
  w.divergent[c] = 0
  w.building[c] = 1
  startSubtree(w, c, u)
}

/**
 * The first half of chain c's next leapfrog step (step size h, signed by the direction): a half kick and
 * a move of the extending end; its new position is written to row `row` of `x` for evaluation.
 */
export const kickAndMove = (w: Trees, c: number, h: number, x: Float64Array | Float32Array, row: number, metric: Metric = null): void => {
  const D = w.D
  const e = extending(w, c)
  const eps = w.direction[c] * h
  const half = 0.5 * eps
  // the whole half kick first: a dense M⁻¹p reads every coordinate of p
  for (let i = c * D; i < (c + 1) * D; i++) e.p[i] -= half * e.g[i]
  for (let j = 0; j < D; j++) {
    const i = c * D + j
    e.x[i] += eps * velocityAt(metric, e.p, c * D, D, j)
    x[row * D + j] = e.x[i]
  }
}

// Σⱼ (M⁻¹a)ⱼ·(b + d)ⱼ over rows: the criterion's dot product with ρ (b) or an extended ρ (b + d).
const velocityDot = (metric: Metric, a: Float64Array, ai: number, b: Float64Array, bi: number, d: Float64Array | null, di: number, D: number): number => {
  let s = 0
  for (let j = 0; j < D; j++) s += velocityAt(metric, a, ai, D, j) * (d === null ? b[bi + j] : b[bi + j] + d[di + j])
  return s
}

/**
 * The generalised no-U-turn criterion of two merged halves and Stan's checks across their boundary: with
 * the momenta at the first half's two ends (begin, initEnd), at the second's (finalBegin, end), the halves'
 * ρ (rhoInit, rhoFinal) and the merged ρ: both outer ends move along ρ, and each half's ρ extended by the
 * other half's nearest momentum is followed by the momenta at its ends.
 */
const noUTurn = (
  metric: Metric,
  D: number,
  m: { readonly begin: [Float64Array, number]; readonly initEnd: [Float64Array, number]; readonly finalBegin: [Float64Array, number]; readonly end: [Float64Array, number] },
  rhoInit: [Float64Array, number],
  rhoFinal: [Float64Array, number],
  rho: [Float64Array, number],
): boolean =>
  velocityDot(metric, ...m.begin, ...rho, null, 0, D) > 0 &&
  velocityDot(metric, ...m.end, ...rho, null, 0, D) > 0 &&
  velocityDot(metric, ...m.begin, ...rhoInit, ...m.finalBegin, D) > 0 &&
  velocityDot(metric, ...m.finalBegin, ...rhoInit, ...m.finalBegin, D) > 0 &&
  velocityDot(metric, ...m.initEnd, ...rhoFinal, ...m.initEnd, D) > 0 &&
  velocityDot(metric, ...m.end, ...rhoFinal, ...m.initEnd, D) > 0

// The leaf's merges up the levels of its subtree: false when a completed sub-subtree turned back.
const mergeLevels = (w: Trees, c: number, metric: Metric): boolean => {
  const D = w.D
  const levels = w.maxDepth + 1
  const e = extending(w, c)
  const k = w.leaf[c]
  const j = w.depth[c]
  const row = c * D
  const level = (l: number): number => (c * levels + l) * D
  for (let l = 1; l <= j && k % (1 << l) === 0; l++) w.begin.set(e.p.subarray(row, row + D), level(l))
  w.current.set(e.p.subarray(row, row + D), row)
  let l = 1
  for (; l <= j && (k + 1) % (1 << l) === 0; l++) {
    for (let i = 0; i < D; i++) w.merged[row + i] = w.rhoInit[level(l) + i] + w.current[row + i]
    const finalBegin: [Float64Array, number] = l === 1 ? [e.p, row] : [w.begin, level(l - 1)]
    const ok = noUTurn(metric, D, { begin: [w.begin, level(l)], initEnd: [w.initEnd, level(l)], finalBegin, end: [e.p, row] }, [w.rhoInit, level(l)], [w.current, row], [w.merged, row])
    if (!ok) return false
    w.current.set(w.merged.subarray(row, row + D), row)
  }
  // The subtree completed at level l − 1 is the first half of level l's.
  if (l <= j) {
    w.rhoInit.set(w.current.subarray(row, row + D), level(l))
    w.initEnd.set(e.p.subarray(row, row + D), level(l))
  }
  return true
}

/**
 * The top-level merge of a finished subtree of chain c: the sample replaced with probability
 * min(1, W_subtree/W) (uniform `u`), the weights and ρ summed, and the no-U-turn checks of the old
 * trajectory against the subtree. False when the trajectory turned back.
 */
const mergeTop = (w: Trees, c: number, u: number, metric: Metric): boolean => {
  const D = w.D
  const row = c * D
  const e = extending(w, c)
  const far = w.direction[c] > 0 ? w.backward : w.forward
  if (rng.log(u) < w.logWeightSubtree[c] - w.logWeight[c]) copyPoint(w.proposal, w.sample, c, D)
  w.logWeight[c] = logAddExp(w.logWeight[c], w.logWeightSubtree[c])
  // ρ of the old trajectory is rhoInit of the merge; the subtree's is `current`.
  for (let i = 0; i < D; i++) w.merged[row + i] = w.rho[row + i] + w.current[row + i]
  const levels = w.maxDepth + 1
  const j = w.depth[c]
  const finalBegin: [Float64Array, number] = j === 0 ? [e.p, row] : [w.begin, (c * levels + j) * D]
  const ok = noUTurn(metric, D, { begin: [far.p, row], initEnd: [w.inner, row], finalBegin, end: [e.p, row] }, [w.rho, row], [w.current, row], [w.merged, row])
  w.rho.set(w.merged.subarray(row, row + D), row)
  return ok
}

/** Stops chain c's transition (its sample is final). */
const finish = (w: Trees, c: number): void => {
  w.building[c] = 0
}

/**
 * The second half of chain c's leapfrog step once E and ∇E of its new position are known (row `row` of
 * `E` and `g`), and the leaf's place in the tree: its weight, the subtree's proposal, the merges, and the
 * next subtree or the end of the transition. `uniform(i)` is the chain's i-th uniform of the transition.
 */
export const leaf = (
  w: Trees,
  c: number,
  h: number,
  T: number,
  E: Float64Array | Float32Array,
  g: Float64Array | Float32Array,
  row: number,
  uniform: (i: number) => number,
  metric: Metric = null,
): void => {
  const D = w.D
  const e = extending(w, c)
  const half = 0.5 * w.direction[c] * h
  e.E[c] = E[row]
  for (let j = 0; j < D; j++) {
    const i = c * D + j
    e.g[i] = g[row * D + j]
    e.p[i] -= half * e.g[i]
  }
  w.leapfrogs[c] += 1
  const H = e.E[c] + kinetic(metric, e.p, c * D, D)
  const logWeight = (w.H0[c] - (H === H ? H : Infinity)) / T
  w.sumAcceptance[c] += logWeight > 0 ? 1 : rng.exp(logWeight)
  if (!(logWeight >= -divergence)) {
    w.divergent[c] = 1
    return finish(w, c)
  }
  const total = logAddExp(w.logWeightSubtree[c], logWeight)
  if (rng.log(uniform(uniformAt.leaf(w.maxDepth, w.leapfrogs[c] - 1))) < logWeight - total) copyPoint(e, w.proposal, c, D)
  w.logWeightSubtree[c] = total
  if (!mergeLevels(w, c, metric)) return finish(w, c)
  w.leaf[c] += 1
  if (w.leaf[c] < 1 << w.depth[c]) return
  const turned = !mergeTop(w, c, uniform(uniformAt.top(w.depth[c])), metric)
  w.depth[c] += 1
  if (turned || w.depth[c] >= w.maxDepth) return finish(w, c)
  startSubtree(w, c, uniform(uniformAt.direction(w.depth[c])))
}
