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
 * The mass matrix is the program's metric slot (null: the identity); the velocity M⁻¹p and the momentum
 * draw are metric.ts's, shared with the other Hamiltonian blocks. Every momentum the tree keeps (its ends,
 * the subtree boundaries the checks read) has its velocity beside it, computed once when the momentum is
 * final (Stan's dtau_dp): the kinetic energy and the six dot products of a check read it, so a dense
 * metric costs one M⁻¹p a leaf beyond the move's. Under the identity the velocity rows are the momentum rows.
 *
 * @module
 */
import * as rng from '../../rng/index.js'
import { momentumAt, velocityAt, type MetricSlot } from '../metric.js'

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

/** Rows of momenta and of their velocities M⁻¹p (under the identity, the same array). */
interface Momenta {
  readonly p: Float64Array
  readonly v: Float64Array
}

/** One chain's end of a trajectory, or a proposal: position, momentum, velocity, gradient (rows) and energy. */
interface Points extends Momenta {
  readonly x: Float64Array
  readonly g: Float64Array
  readonly E: Float64Array
}

// `length` numbers of momenta, and their own velocity rows unless the metric is the identity.
const momenta = (length: number, velocities: boolean): Momenta => {
  const p = new Float64Array(length)
  return { p, v: velocities ? new Float64Array(length) : p }
}

// A proposal's velocity is never read: its rows are the momentum's.
const points = (chains: number, D: number, velocities = false): Points => ({ ...momenta(chains * D, velocities), x: new Float64Array(chains * D), g: new Float64Array(chains * D), E: new Float64Array(chains) })

/** Every chain's trajectory under construction. */
export interface Trees {
  readonly D: number
  readonly maxDepth: number
  /** Whether the velocities have rows of their own (any metric but the identity). */
  readonly velocities: boolean
  readonly forward: Points
  readonly backward: Points
  /** The transition's sample so far, and the current subtree's proposal. */
  readonly sample: Points
  readonly proposal: Points
  /** ρ of the whole trajectory; the momentum at the end being extended, as the subtree began. */
  readonly rho: Float64Array
  readonly inner: Momenta
  /** Per level l (rows of maxDepth + 1): the momentum at the first leaf of its open subtree, and of its first half: the last momentum and ρ. */
  readonly begin: Momenta
  readonly initEnd: Momenta
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
 * numbers a chain, and (3 + 2·(maxDepth + 1))·D more for the velocities when `velocities` (a metric).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { trees } from './nuts-tree.js'
 * const w = trees(2, 3, 4)
 * assert.equal(w.begin.p.length, 2 * 5 * 3)
 * assert.equal(w.begin.v, w.begin.p)
 * assert.notEqual(trees(2, 3, 4, true).begin.v, trees(2, 3, 4, true).begin.p)
 */
export const trees = (chains: number, D: number, maxDepth: number, velocities = false): Trees => {
  const levels = chains * (maxDepth + 1) * D
  return {
    D,
    maxDepth,
    velocities,
    forward: points(chains, D, velocities),
    backward: points(chains, D, velocities),
    sample: points(chains, D),
    proposal: points(chains, D),
    rho: new Float64Array(chains * D),
    inner: momenta(chains * D, velocities),
    begin: momenta(levels, velocities),
    initEnd: momenta(levels, velocities),
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

// Copies velocity row `at` of `from` to row `row` of `to` (nothing under the identity: they are the momenta).
const copyVelocity = (from: Momenta, at: number, to: Momenta, row: number, D: number): void => {
  if (to.v !== to.p) to.v.set(from.v.subarray(at, at + D), row)
}

// Copies momentum row `at` of `from` to row `row` of `to`, with its velocity.
const copyMomentum = (from: Momenta, at: number, to: Momenta, row: number, D: number): void => {
  to.p.set(from.p.subarray(at, at + D), row)
  copyVelocity(from, at, to, row, D)
}

// The velocity M⁻¹p of row `row` of `m`, once its momentum is final (under the identity, the momentum itself).
const updateVelocity = (metric: Metric, m: Momenta, row: number, D: number): void => {
  if (m.v === m.p) return
  for (let j = 0; j < D; j++) m.v[row + j] = velocityAt(metric, m.p, row, D, j)
}

// pᵀM⁻¹p/2 from a momentum row and its velocity: metric.ts's kinetic term for term, so the same bits.
const kineticOf = (m: Momenta, row: number, D: number): number => {
  let k = 0
  for (let j = 0; j < D; j++) k += m.p[row + j] * m.v[row + j]
  return 0.5 * k
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
  copyMomentum(extending(w, c), c * D, w.inner, c * D, D)
}

/**
 * Starts chain c's transition from its state (x, ∇E, E at row c of `state`) and standard normals z: the
 * momentum p = √T·z, both ends and the sample at (x, p), the first direction from uniform `u`.
 */
export const begin = (w: Trees, c: number, state: { readonly x: Float64Array; readonly g: Float64Array; readonly E: Float64Array }, z: Float64Array, T: number, u: number, metric: Metric = null): void => {
  const D = w.D
  if ((metric !== null) !== w.velocities) throw new Error(`nuts: trees with${w.velocities ? '' : 'out'} velocity rows for ${metric === null ? 'the identity' : `a ${metric.kind} metric`}`)
  const sqrtT = Math.sqrt(T)
  for (const end of [w.forward, w.backward, w.sample]) {
    for (let j = 0; j < D; j++) {
      end.x[c * D + j] = state.x[c * D + j]
      end.p[c * D + j] = sqrtT * momentumAt(metric, z, D, j)
      end.g[c * D + j] = state.g[c * D + j]
    }
    end.E[c] = state.E[c]
  }
  updateVelocity(metric, w.forward, c * D, D)
  copyVelocity(w.forward, c * D, w.backward, c * D, D)
  w.rho.set(w.sample.p.subarray(c * D, (c + 1) * D), c * D)
  w.H0[c] = state.E[c] + kineticOf(w.forward, c * D, D)
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

// A momentum row of the tree, with its velocity: rows and where the row starts.
type Row = readonly [Momenta, number]

// Σⱼ (M⁻¹a)ⱼ·(b + d)ⱼ over rows, M⁻¹a the velocity kept beside a: the criterion's dot product with ρ (b)
// or an extended ρ (b + the momentum d).
const velocityDot = (a: Row, b: Float64Array, bi: number, d: Row | null, D: number): number => {
  const v = a[0].v, ai = a[1]
  let s = 0
  if (d === null) for (let j = 0; j < D; j++) s += v[ai + j] * b[bi + j]
  else {
    const p = d[0].p, di = d[1]
    for (let j = 0; j < D; j++) s += v[ai + j] * (b[bi + j] + p[di + j])
  }
  return s
}

/**
 * The generalised no-U-turn criterion of two merged halves and Stan's checks across their boundary: with
 * the momenta at the first half's two ends (begin, initEnd), at the second's (finalBegin, end), the halves'
 * ρ (rhoInit, rhoFinal) and the merged ρ: both outer ends move along ρ, and each half's ρ extended by the
 * other half's nearest momentum is followed by the momenta at its ends.
 */
const noUTurn = (
  D: number,
  m: { readonly begin: Row; readonly initEnd: Row; readonly finalBegin: Row; readonly end: Row },
  rhoInit: [Float64Array, number],
  rhoFinal: [Float64Array, number],
  rho: [Float64Array, number],
): boolean =>
  velocityDot(m.begin, ...rho, null, D) > 0 &&
  velocityDot(m.end, ...rho, null, D) > 0 &&
  velocityDot(m.begin, ...rhoInit, m.finalBegin, D) > 0 &&
  velocityDot(m.finalBegin, ...rhoInit, m.finalBegin, D) > 0 &&
  velocityDot(m.initEnd, ...rhoFinal, m.initEnd, D) > 0 &&
  velocityDot(m.end, ...rhoFinal, m.initEnd, D) > 0

// The leaf's merges up the levels of its subtree: false when a completed sub-subtree turned back.
const mergeLevels = (w: Trees, c: number): boolean => {
  const D = w.D
  const levels = w.maxDepth + 1
  const e = extending(w, c)
  const k = w.leaf[c]
  const j = w.depth[c]
  const row = c * D
  const level = (l: number): number => (c * levels + l) * D
  for (let l = 1; l <= j && k % (1 << l) === 0; l++) copyMomentum(e, row, w.begin, level(l), D)
  w.current.set(e.p.subarray(row, row + D), row)
  let l = 1
  for (; l <= j && (k + 1) % (1 << l) === 0; l++) {
    for (let i = 0; i < D; i++) w.merged[row + i] = w.rhoInit[level(l) + i] + w.current[row + i]
    const finalBegin: Row = l === 1 ? [e, row] : [w.begin, level(l - 1)]
    const ok = noUTurn(D, { begin: [w.begin, level(l)], initEnd: [w.initEnd, level(l)], finalBegin, end: [e, row] }, [w.rhoInit, level(l)], [w.current, row], [w.merged, row])
    if (!ok) return false
    w.current.set(w.merged.subarray(row, row + D), row)
  }
  // The subtree completed at level l − 1 is the first half of level l's.
  if (l <= j) {
    w.rhoInit.set(w.current.subarray(row, row + D), level(l))
    copyMomentum(e, row, w.initEnd, level(l), D)
  }
  return true
}

/**
 * The top-level merge of a finished subtree of chain c: the sample replaced with probability
 * min(1, W_subtree/W) (uniform `u`), the weights and ρ summed, and the no-U-turn checks of the old
 * trajectory against the subtree. False when the trajectory turned back.
 */
const mergeTop = (w: Trees, c: number, u: number): boolean => {
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
  const finalBegin: Row = j === 0 ? [e, row] : [w.begin, (c * levels + j) * D]
  const ok = noUTurn(D, { begin: [far, row], initEnd: [w.inner, row], finalBegin, end: [e, row] }, [w.rho, row], [w.current, row], [w.merged, row])
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
  updateVelocity(metric, e, c * D, D)
  const H = e.E[c] + kineticOf(e, c * D, D)
  const logWeight = (w.H0[c] - (H === H ? H : Infinity)) / T
  w.sumAcceptance[c] += logWeight > 0 ? 1 : rng.exp(logWeight)
  if (!(logWeight >= -divergence)) {
    w.divergent[c] = 1
    return finish(w, c)
  }
  const total = logAddExp(w.logWeightSubtree[c], logWeight)
  if (rng.log(uniform(uniformAt.leaf(w.maxDepth, w.leapfrogs[c] - 1))) < logWeight - total) copyPoint(e, w.proposal, c, D)
  w.logWeightSubtree[c] = total
  if (!mergeLevels(w, c)) return finish(w, c)
  w.leaf[c] += 1
  if (w.leaf[c] < 1 << w.depth[c]) return
  const turned = !mergeTop(w, c, uniform(uniformAt.top(w.depth[c])))
  w.depth[c] += 1
  if (turned || w.depth[c] >= w.maxDepth) return finish(w, c)
  startSubtree(w, c, uniform(uniformAt.direction(w.depth[c])))
}
