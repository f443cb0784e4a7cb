/**
 * The reference runner: interprets a flattened sampler program over every chain in float64, with the
 * energy and its gradient from the reference executor and draws from the Philox streams. Simple on
 * purpose; the native loop is tested against it. Each instruction's step is its registry entry's
 * `reference` (src/sampler/blocks/); this module is the driver and the context those steps share.
 *
 * @module
 */
import * as rng from '../rng/index.js'
import { instructionOf } from './block.js'
import type { SamplerProgram } from './program.js'
import { treeColumns } from './blocks/nuts-tree.js'

/** Computes E(x) and ∇E(x) of every chain: x is [chains × D], energy [chains], gradient [chains × D]. */
export type Evaluate = (x: Float64Array, energy: Float64Array, gradient: Float64Array) => void

/** Computes ∇E(x) of every chain alone: x and gradient [chains × D]. */
export type EvaluateGradient = (x: Float64Array, gradient: Float64Array) => void

/**
 * The state of every chain, row-major, mutated in place by the runner.
 *
 * A chain whose position, energy or gradient becomes non-finite outside a Metropolis proposal is marked
 * not `alive` and frozen: no block changes it again, and statistics leave it out. Programs without a
 * Metropolis test, given a gradient evaluator, compute E only at refresh() (the snapshots), so an energy
 * that alone became non-finite is seen there; position and gradient are checked after every evaluation.
 */
export interface ChainState<F extends Float64Array | Float32Array = Float64Array | Float32Array> {
  readonly chains: number
  readonly dimension: number
  readonly position: F
  readonly momentum: F
  readonly energy: F
  readonly gradient: F
  readonly alive: Uint8Array
  /** Metropolis decisions and acceptances of each chain since the counters were last reset. */
  readonly proposed: Float64Array
  readonly accepted: Float64Array
  /** NUTS transitions' sums per chain, [chains × 5]: transitions, tree depth, leapfrog steps, divergences, maximum-depth hits. */
  readonly trees: Float64Array
}

/**
 * A fresh state: positions copied from `init` (or every coordinate equal to it), momenta zero, every chain
 * alive. Without `counted` the proposal counts are empty arrays: a kernel without a Metropolis test has
 * none, and a chain then costs two numbers less; so are the NUTS tree sums without `trees`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { initialState } from './reference.js'
 * assert.deepEqual(initialState(2, 1, new Float64Array([0.5, -0.5])).position, new Float64Array([0.5, -0.5]))
 * assert.deepEqual(initialState(2, 1, 3, false).position, new Float64Array([3, 3]))
 */
export const initialState = (chains: number, dimension: number, init: Float64Array | number, counted = true, trees = counted): ChainState<Float64Array> => ({
  chains,
  dimension,
  position: typeof init === 'number' ? new Float64Array(chains * dimension).fill(init) : Float64Array.from(init),
  momentum: new Float64Array(chains * dimension),
  energy: new Float64Array(chains),
  gradient: new Float64Array(chains * dimension),
  alive: new Uint8Array(chains).fill(1),
  proposed: new Float64Array(counted ? chains : 0),
  accepted: new Float64Array(counted ? chains : 0),
  trees: new Float64Array(trees ? chains * treeColumns.length : 0),
})

/** The state a Metropolis proposal saved (x, p, ∇E, E) and the log density of its forward move. */
export interface SavedState {
  readonly position: Float64Array
  readonly momentum: Float64Array
  readonly gradient: Float64Array
  readonly energy: Float64Array
  readonly logForward: Float64Array
}

/** What an instruction's reference step works on: the chains, the step, and the runner's services. */
export interface ReferenceStep {
  readonly state: ChainState<Float64Array>
  readonly dimension: number
  /** The step being run (0-based; schedules are read at it). */
  readonly t: number
  /** The state saved by the Metropolis proposal under way. */
  readonly saved: SavedState
  /** Whether a Metropolis proposal is under way (chains are judged at its accept, not at refresh). */
  inProposal: boolean
  /** Makes ∇E (and E where the program needs it) belong to x, evaluating if x has moved. */
  readonly refresh: () => void
  /** Says x has changed: E and ∇E no longer belong to it. */
  readonly moved: () => void
  /** Calls fn for every alive chain c with its numbers' range [from, to) = [c·D, (c + 1)·D). */
  readonly rows: (fn: (from: number, to: number, c: number) => void) => void
  /** Chain c's D normals at draws t·drawsPerStep + draw + j (a scratch array the next call overwrites). */
  readonly normals: (c: number, draw: number) => Float64Array
  /** Chain c's uniform at draw t·drawsPerStep + draw. */
  readonly uniform: (c: number, draw: number) => number
  /** Chain c's `count` uniforms from draw t·drawsPerStep + draw on (a scratch array the next call overwrites). */
  readonly uniforms: (c: number, draw: number, count: number) => Float64Array
  /** The energy's parameter values by name (what the discrete blocks read couplings from). */
  readonly params: Readonly<Record<string, Float64Array>>
  /** Whether chain c's position and gradient (and its energy, when that belongs to x) are finite. */
  readonly finiteChain: (c: number) => boolean
}

/** A runner over one state: `steps({ seed, from, to })` runs steps from … to − 1; `refresh()` makes E and ∇E current. */
export interface ReferenceRunner {
  readonly state: ChainState<Float64Array>
  readonly steps: (o: { readonly seed: number; readonly from: number; readonly to: number }) => void
  readonly refresh: () => void
  /** Says the caller changed x or the parameters: E and ∇E no longer belong to them. */
  readonly invalidate: () => void
  /** Runs another program of the same draws and needs from the next step on (a retuned kernel). */
  readonly reprogram: (program: SamplerProgram) => void
}

const savedState = (chains: number, dimension: number): SavedState => ({
  position: new Float64Array(chains * dimension),
  momentum: new Float64Array(chains * dimension),
  gradient: new Float64Array(chains * dimension),
  energy: new Float64Array(chains),
  logForward: new Float64Array(chains),
})

/**
 * The reference runner of `program` on `state`, with E and ∇E from `evaluate` and draws under each call's
 * seed.
 * Without a Metropolis test and given `evaluateGradient`, it evaluates ∇E alone between refreshes, and E
 * with it only when the caller asks (`refresh()`, at snapshots).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { flatten } from './program.js'
 * import { ula } from './builtins.js'
 * import { initialState, referenceRunner } from './reference.js'
 * // E = x²/2, so ∇E = x
 * const evaluate = (x: Float64Array, e: Float64Array, g: Float64Array) => x.forEach((v, i) => { e[i] = v * v / 2; g[i] = v })
 * const runner = referenceRunner(flatten(ula({ stepSize: 0.1 }), 1), evaluate, initialState(4, 1, new Float64Array(4)))
 * runner.steps({ seed: 7, from: 0, to: 10 })
 * runner.refresh()
 * assert.ok(runner.state.energy.every((e, i) => e === runner.state.position[i] ** 2 / 2))
 */
export const referenceRunner = (
  program: SamplerProgram,
  evaluate: Evaluate,
  state: ChainState<Float64Array>,
  evaluateGradient?: EvaluateGradient,
  params: Readonly<Record<string, Float64Array>> = {},
): ReferenceRunner => {
  const r: Running = {
    state,
    evaluate,
    evaluateGradient,
    // Between snapshots a program that needs no energy (no Metropolis test, no energy differences) needs
    // only ∇E: with evaluateGradient it evaluates that alone, and E (with ∇E) only when the caller asks.
    gradientOnly: evaluateGradient !== undefined && !program.needsEnergy,
    drawsPerStep: program.drawsPerStep,
    fresh: false,
    energyFresh: false,
    seed: 0,
    base: 0,
    z: new Float64Array(state.dimension + 1),
    u: new Float64Array(0),
    saved: undefined,
    code: program.instructions,
    run: program.instructions.map((ins) => instructionOf(ins.op).reference),
  }
  const step = stepOf(r, params)
  const refresh = (): void => {
    if (r.fresh && r.energyFresh) return
    evaluate(state.position, state.energy, state.gradient)
    evaluated(r, step, true)
  }
  const reprogram = (p: SamplerProgram): void => {
    r.code = p.instructions
    r.run = p.instructions.map((ins) => instructionOf(ins.op).reference)
  }
  const steps = (o: { readonly seed: number; readonly from: number; readonly to: number }): void => {
    r.seed = o.seed
    for (let t = o.from; t < o.to; t++) {
      step.t = t
      r.base = t * r.drawsPerStep
      for (let pc = 0; pc < r.code.length; pc++) pc += r.run[pc](r.code[pc], step) ?? 0
    }
  }
  return { state, steps, refresh, invalidate: step.moved, reprogram }
}

// A reference runner's own state: what it evaluates with, whether E and ∇E belong to x, the draws' seed
// and base of the step under way, scratch for draws, the proposal's saved state (made on first use), and
// the program's instructions with their reference steps.
interface Running {
  readonly state: ChainState<Float64Array>
  readonly evaluate: Evaluate
  readonly evaluateGradient: EvaluateGradient | undefined
  readonly gradientOnly: boolean
  readonly drawsPerStep: number
  fresh: boolean // ∇E belongs to x
  energyFresh: boolean // E belongs to x
  seed: number
  base: number
  readonly z: Float64Array
  u: Float64Array
  saved: SavedState | undefined
  code: SamplerProgram['instructions']
  run: ReturnType<typeof instructionOf>['reference'][]
}

// Whether chain c is finite; its energy is judged only when it belongs to x.
const finiteChain = (r: Running, c: number): boolean => {
  const { position: x, gradient: g, energy: E, dimension: D } = r.state
  if (r.energyFresh && !Number.isFinite(E[c])) return false
  for (let j = c * D; j < (c + 1) * D; j++) if (!Number.isFinite(x[j]) || !Number.isFinite(g[j])) return false
  return true
}

// After an evaluation: ∇E (and E when `all`) belong to x, and chains that became non-finite are frozen
// (inside a proposal they are judged at its accept instead).
const evaluated = (r: Running, step: ReferenceStep, all: boolean): void => {
  r.fresh = true
  r.energyFresh = all
  if (step.inProposal) return
  const { chains, alive } = r.state
  for (let c = 0; c < chains; c++) if (alive[c] && !finiteChain(r, c)) alive[c] = 0
}

// What the instructions' reference steps see of the runner.
const stepOf = (r: Running, params: Readonly<Record<string, Float64Array>>): ReferenceStep & { t: number } => {
  const { state } = r
  const { chains, dimension: D, alive } = state
  const step: ReferenceStep & { t: number } = {
    state,
    dimension: D,
    t: 0,
    get saved() {
      return (r.saved ??= savedState(chains, D))
    },
    inProposal: false,
    refresh: () => {
      if (r.fresh) return
      if (r.gradientOnly && r.evaluateGradient !== undefined) r.evaluateGradient(state.position, state.gradient)
      else r.evaluate(state.position, state.energy, state.gradient)
      evaluated(r, step, !r.gradientOnly)
    },
    moved: () => {
      r.fresh = r.energyFresh = false
    },
    rows: (fn) => {
      for (let c = 0; c < chains; c++) if (alive[c]) fn(c * D, (c + 1) * D, c)
    },
    normals: (c, draw) => rng.normals(r.seed, c, r.base + draw, D, r.z),
    uniform: (c, draw) => rng.uniform(r.seed, c, r.base + draw),
    uniforms: (c, draw, count) => {
      if (r.u.length < count) r.u = new Float64Array(count)
      return rng.uniforms(r.seed, c, r.base + draw, count, r.u)
    },
    params,
    finiteChain: (c) => finiteChain(r, c),
  }
  return step
}
