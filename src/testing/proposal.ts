/**
 * `checkReversibility` and `checkVolumePreservation`: the two properties that make a deterministic
 * proposal on (x, p) (leapfrog steps, any composition of kicks and moves) correctable by a Metropolis test
 * with the Hamiltonian alone: it returns to its start after the momentum is negated, and its Jacobian
 * determinant is 1.
 *
 * @module
 */
import * as check from '../check/index.js'
import type { Energy } from '../energy/index.js'
import type { Kernel } from '../sampler/index.js'
import { checkedKernel, kernelName, runAtNames, runAtOf, runFrom, seedOf, type RunAt } from './chains.js'
import { forwardJacobians, walkedInstructions } from './jacobian.js'
import { boundReport, fmt, type Report, type Sizes } from './report.js'
import { startOf, type Start } from './start.js'
import type { Target } from './target.js'

/** Options of {@link checkReversibility} and {@link checkVolumePreservation}. */
export interface ProposalOptions extends RunAt {
  /** Starting points (x, p) (default 32). */
  readonly points?: number
  /** The seed of the starting points (default 0). */
  readonly seed?: number
  /**
   * The largest deviation allowed: default 1e-12 (return error; |det J − 1| by forward mode) and 1e-6
   * (|det J − 1| by finite differences).
   */
  readonly bound?: number
  /**
   * checkVolumePreservation: how J is computed: 'forward' (forward mode through the kernel's instructions,
   * exact to rounding) or 'differences' (central differences of the kernel as run). Default: forward mode
   * when every instruction is one it walks (kick, move, leapfrog, drift, momentum without noise) and the
   * walk reproduces the kernel's own map at every start; else differences.
   */
  readonly jacobian?: 'forward' | 'differences'
}

const optionNames = ['points', 'seed', 'bound', 'jacobian', ...runAtNames] as const

interface Setup {
  readonly kernel: Kernel
  readonly start: Start
  readonly at: RunAt
  readonly bound: number | undefined
  readonly jacobian: 'forward' | 'differences' | undefined
  readonly sizes: Sizes
  /** (x, p) ↦ one application of the proposal, for a batch of points. */
  readonly apply: (x: Float64Array, p: Float64Array) => Promise<{ readonly x: Float64Array; readonly p: Float64Array }>
}

const setupOf = async (where: string, target: unknown, kernel: unknown, options: unknown): Promise<Setup> => {
  const k = checkedKernel(kernel, `${where}: proposal`)
  const o = check.options<ProposalOptions>(options, `${where}: options`, optionNames)
  const points = check.positiveInteger(o.points ?? 32, `${where}: points`)
  const seed = seedOf(o.seed, `${where}: seed`)
  const bound = o.bound === undefined ? undefined : check.positive(o.bound, `${where}: bound`)
  const jacobian = o.jacobian === undefined ? undefined : check.oneOf(o.jacobian, `${where}: jacobian`, ['forward', 'differences'] as const)
  const start = startOf(target, points, seed, where)
  const at = runAtOf({ backend: 'reference', ...o })
  const applyWith = (runSeed: number) => async (x: Float64Array, p: Float64Array) => {
    const r = await runFrom(start.energy, k, at, { positions: x, momenta: p, seed: runSeed, steps: 1 })
    return { x: r.positions, p: r.momenta }
  }
  // A deterministic proposal draws nothing: under another seed it must give the same bits.
  const [a, b] = await Promise.all([applyWith(seed)(start.positions, start.momenta), applyWith(seed + 1)(start.positions, start.momenta)])
  if (a.x.some((v, i) => !Object.is(v, b.x[i])) || a.p.some((v, i) => !Object.is(v, b.p[i]))) {
    throw new RangeError(`${where}: proposal: expected a deterministic map of (x, p) (leapfrog, kick, move and their compositions), got a kernel whose result depends on the seed (${kernelName(k)})`)
  }
  return { kernel: k, start, at, bound, jacobian, sizes: { seed, points }, apply: applyWith(seed) }
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b))

/**
 * Checks that a deterministic proposal Φ on (x, p) is reversible: from (x, p), Φ then a negated momentum
 * then Φ again returns to (x, −p), to `bound` (default 1e-12, relative to max(1, |value|)) in float64.
 * Starts are a target's exact draws (or N(0, I) for an energy) with momenta N(0, T·I).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkReversibility } from './proposal.js'
 * import * as energy from '../energy/index.js'
 * import * as sampler from '../sampler/index.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const e = energy.doubleWell({ dim: 2 })
 * assert.equal((await checkReversibility(e, pipe(sampler.leapfrog({ stepSize: 0.1 }), sampler.repeat(5)))).passed, true)
 * // a kick then a move is not: its reverse is a move then a kick
 * assert.equal((await checkReversibility(e, sampler.sequence(sampler.kick({ stepSize: 0.1 }), sampler.move({ stepSize: 0.1 })))).passed, false)
 */
export const checkReversibility = async (target: Target | Energy, proposal: Kernel, options: ProposalOptions = {}): Promise<Report> => {
  const s = await setupOf('checkReversibility', target, proposal, options)
  const { x: x1, p: p1 } = await s.apply(s.start.positions, s.start.momenta)
  const { x: x2, p: p2 } = await s.apply(x1, p1.map((v) => -v))
  let worst = 0
  for (let i = 0; i < x2.length; i++) {
    const e = Math.max(relative(x2[i], s.start.positions[i]), relative(-p2[i], s.start.momenta[i]))
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e)
  }
  return boundReport(`checkReversibility(${kernelName(s.kernel)})`, { statistic: worst, bound: s.bound ?? 1e-12, what: 'largest return error after negating the momentum' }, s.sizes)
}

/** The determinant of a square matrix (row-major, n × n) by LU with partial pivoting (destroys `a`). */
export const determinant = (a: Float64Array, n: number): number => {
  let det = 1
  for (let c = 0; c < n; c++) {
    let pivot = c
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[pivot * n + c])) pivot = r
    if (a[pivot * n + c] === 0) return 0
    if (pivot !== c) {
      for (let j = 0; j < n; j++) [a[c * n + j], a[pivot * n + j]] = [a[pivot * n + j], a[c * n + j]]
      det = -det
    }
    det *= a[c * n + c]
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / a[c * n + c]
      for (let j = c; j < n; j++) a[r * n + j] -= f * a[c * n + j]
    }
  }
  return det
}

// The largest |det J − 1| over the starts, a NaN counted as infinite.
const worstDeterminant = (jacobians: readonly Float64Array[], n: number): number => {
  let worst = 0
  for (const J of jacobians) {
    const e = Math.abs(determinant(J, n) - 1)
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e)
  }
  return worst
}

/**
 * Each start's Jacobian by central differences of the kernel as run, in float64 with steps
 * δ = 1e-5·max(1, |v|) (truncation O(δ²), rounding O(ε/δ): both far below 1e-6 for smooth energies).
 */
const differenceJacobians = async (s: Setup): Promise<Float64Array[]> => {
  const D = s.start.dimension
  const points = s.start.positions.length / D
  const n = 2 * D
  // Chain (point, coordinate, sign): the point with coordinate j of (x, p) moved by ±δ.
  const x = new Float64Array(points * n * 2 * D)
  const p = new Float64Array(points * n * 2 * D)
  const deltas = new Float64Array(points * n)
  for (let c = 0; c < points; c++) {
    const state = [...s.start.positions.subarray(c * D, (c + 1) * D), ...s.start.momenta.subarray(c * D, (c + 1) * D)]
    for (let j = 0; j < n; j++) {
      const delta = 1e-5 * Math.max(1, Math.abs(state[j]))
      deltas[c * n + j] = delta
      for (const [side, sign] of [[0, 1], [1, -1]] as const) {
        const chain = (c * n + j) * 2 + side
        const moved = state.slice()
        moved[j] += sign * delta
        x.set(moved.slice(0, D), chain * D)
        p.set(moved.slice(D), chain * D)
      }
    }
  }
  const out = await s.apply(x, p)
  return Array.from({ length: points }, (_v, c) => {
    const J = new Float64Array(n * n)
    for (let j = 0; j < n; j++) {
      const plus = (c * n + j) * 2
      const minus = plus + 1
      for (let i = 0; i < n; i++) {
        const value = (chain: number) => (i < D ? out.x[chain * D + i] : out.p[chain * D + i - D])
        J[i * n + j] = (value(plus) - value(minus)) / (2 * deltas[c * n + j])
      }
    }
    return J
  })
}

/** The walk's end points must be the kernel's own to this (relative; the native float64 loop agrees with the reference to 1e-9). */
const sameMap = 1e-9

// The Jacobians by forward mode, or why not: an instruction the walk does not know, or a walk that does not reproduce the kernel's map.
const forwardOrWhyNot = async (s: Setup): Promise<readonly Float64Array[] | string> => {
  const walked = forwardJacobians(s.start.energy, s.kernel, s.at.params ?? {}, s.start.positions, s.start.momenta)
  if (typeof walked === 'string') return `the kernel holds ${walked}`
  const ran = await s.apply(s.start.positions, s.start.momenta)
  let gap = 0
  ran.x.forEach((v, i) => (gap = Math.max(gap, relative(walked.x[i], v), relative(walked.p[i], ran.p[i]))))
  if (!(gap <= sameMap)) return `the kernel's map differs from its instructions' by ${fmt(gap)} (relative)`
  return walked.jacobians
}

/**
 * Checks that a deterministic proposal Φ on (x, p) preserves volume: |det ∂Φ(x, p)/∂(x, p) − 1| ≤ bound
 * at every start. The Jacobian comes by forward mode where it can (exact to rounding; default bound
 * 1e-12): the kernel's instructions (kick, move, leapfrog, drift, momentum without noise) walked with a
 * tangent per coordinate, a kick's tangent the energy's Hessian-vector product (`ir.grad` twice), and the
 * walk's end points held to the kernel's own to 1e-9. Otherwise (a user's own instruction, a
 * reflection) it comes by central differences of the kernel as run (default bound 1e-6). The report's
 * name and sizes say which (`jacobian: 'forward'` or `'differences'`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkVolumePreservation } from './proposal.js'
 * import * as energy from '../energy/index.js'
 * import * as sampler from '../sampler/index.js'
 * const e = energy.doubleWell({ dim: 2 })
 * const r = await checkVolumePreservation(e, sampler.leapfrog({ stepSize: 0.2 }))
 * assert.equal(r.passed, true)
 * assert.equal(r.sizes.jacobian, 'forward')
 * assert.ok(r.statistic < 1e-13)
 * // a friction without noise (p ← e^(−γh)·p at T = 0) shrinks volume by e^(−γhD)
 * const damped = sampler.sequence(sampler.momentum({ friction: 1, stepSize: 0.1, temperature: 0 }), sampler.leapfrog({ stepSize: 0.2 }))
 * assert.equal((await checkVolumePreservation(e, damped)).passed, false)
 */
export const checkVolumePreservation = async (target: Target | Energy, proposal: Kernel, options: ProposalOptions = {}): Promise<Report> => {
  const name = 'checkVolumePreservation'
  const s = await setupOf(name, target, proposal, options)
  const n = 2 * s.start.dimension
  const forward = s.jacobian === 'differences' ? 'asked for central differences' : await forwardOrWhyNot(s)
  if (typeof forward === 'string' && s.jacobian === 'forward') {
    throw check.rangeError(`${name}: jacobian`, `'differences' for this proposal (forward mode walks ${walkedInstructions.join(', ')}, and ${forward})`, 'forward')
  }
  const [how, worst, bound] = typeof forward === 'string' ? [`central differences: ${forward}`, worstDeterminant(await differenceJacobians(s), n), 1e-6] : ['forward mode', worstDeterminant(forward, n), 1e-12]
  const sizes = { ...s.sizes, jacobian: typeof forward === 'string' ? 'differences' : 'forward' }
  return boundReport(`${name}(${kernelName(s.kernel)}), J by ${how}`, { statistic: worst, bound: s.bound ?? bound, what: 'largest |det J − 1|' }, sizes)
}
