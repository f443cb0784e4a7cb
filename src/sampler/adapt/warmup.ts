/**
 * Warmup: runs a kernel's chains while tuning it, and returns the tuned kernel with the chains where
 * warmup left them. Every iteration is one step of all chains on one runner (`runner.retune` hands it the
 * kernel with the current numbers), then:
 * - the step size moves by dual averaging toward the target acceptance, from the mean acceptance across
 *   chains (dual-averaging.ts);
 * - inside Stan's slow windows the chains' positions feed a pooled Welford estimate, and at each window's
 *   end the mass matrix becomes its regularised (co)variance and dual averaging restarts (windows.ts,
 *   covariance.ts);
 * - with `trajectory: 'chees'`, HMC's trajectory length follows ChEES's cross-chain gradient, each
 *   iteration running a Halton-jittered number of leapfrog steps (chees.ts).
 *
 * @module
 */
import * as check from '../../check/index.js'
import type { Energy } from '../../energy/energy.js'
import type { Kernel } from '../block.js'
import { checkMetric, metricNumbers, velocityAt, type Metric, type MetricSlot } from '../metric.js'
import { checkRunner, runnerOptionNames, startRunner, type Runner, type RunnerOptions } from '../runner.js'
import { adaptLength, chees, cheesGradient, finalLength, halton, jitteredSteps, type Chees } from './chees.js'
import { accumulate, regularised, welford, type Welford } from './covariance.js'
import { adaptStepSize, dualAveraging, finalStepSize, type DualAveraging } from './dual-averaging.js'
import { integratorOf, tuned, type Integrator } from './tune.js'
import { slowWindows, type Window } from './windows.js'

/** Options of `warmup`: a runner's, plus the warmup's own. */
export interface WarmupOptions extends RunnerOptions {
  /** Warmup iterations (steps of every chain). */
  readonly steps: number
  /** The seed of the chains' random streams (sample afterwards with another seed, or from step `steps` on). */
  readonly seed: number
  /** The acceptance dual averaging aims at: default 0.8 for HMC and NUTS, 0.574 for MALA. */
  readonly targetAcceptance?: number
  /** The mass matrix to estimate: 'identity' (default: none), 'diagonal' or 'dense' (HMC and NUTS only). */
  readonly massMatrix?: 'identity' | 'diagonal' | 'dense'
  /** 'chees': tune HMC's trajectory length by ChEES across chains (at least 2). */
  readonly trajectory?: 'chees'
  /** The most leapfrog steps a ChEES trajectory may take (default 1000). */
  readonly maxLeapfrogSteps?: number
}

/** What warmup returns. */
export interface WarmupResult {
  /** The kernel with the tuned numbers: run it with `sample` (init: `positions`). */
  readonly kernel: Kernel
  /** The chains' positions at the end of warmup, row-major [chains × D]. */
  readonly positions: Float64Array
  /** The step size dual averaging ended with (its averaged iterate h̄). */
  readonly stepSize: number
  /** The inverse mass matrix (the identity unless one was estimated). */
  readonly inverseMassMatrix: Metric
  /** ChEES's trajectory length L, tuned for jittered lengths t·L, t in (0, 1] (the kernel runs their mean, ⌈L/(2h)⌉ leapfrog steps). */
  readonly trajectoryLength?: number
  /** The mean acceptance across chains at each iteration. */
  readonly acceptance: Float64Array
  /** The slow windows the mass matrix was estimated over. */
  readonly windows: readonly Window[]
}

const warmupOptionNames = [...runnerOptionNames, 'steps', 'seed', 'targetAcceptance', 'massMatrix', 'trajectory', 'maxLeapfrogSteps'] as const

/** The tuning a warmup runs with, between iterations. */
interface Tuner {
  da: DualAveraging
  metric: Metric
  slot: MetricSlot | null
  covariance: Welford | undefined
  chees: Chees | undefined
}

// The checks that concern the kernel: something to tune, and a mass matrix only where leapfrog uses it.
const checkIntegrator = (k: Kernel, massMatrix: string, trajectory: string | undefined, where: string): Integrator => {
  const integrator = integratorOf(k)
  if (!integrator.metropolis) throw check.rangeError(`${where}: kernel`, "a kernel with a Metropolis test or NUTS's acceptance statistic (what the step size is tuned by: mala, hmc, nuts)", 'none')
  if (integrator.stepSize === undefined) throw check.rangeError(`${where}: kernel`, 'a constant step size to start from', 'a schedule or none')
  if (massMatrix !== 'identity' && integrator.kind !== 'hamiltonian') throw check.rangeError(`${where}: massMatrix`, "'identity' for a kernel without leapfrog steps", massMatrix)
  // NUTS picks its own trajectory lengths: ChEES tunes a repeat of leapfrog steps
  if (trajectory === 'chees' && (integrator.kind !== 'hamiltonian' || integrator.leapfrogSteps === 0)) throw check.rangeError(`${where}: trajectory`, 'a kernel with leapfrog steps (hmc) for ChEES', k.type)
  return integrator
}

const meanFinite = (a: ArrayLike<number>): number => {
  let s = 0
  let n = 0
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) (s += a[i]), n++
  return n === 0 ? NaN : s / n
}

const slotOf = (m: Metric, D: number): MetricSlot | null => {
  if (m.kind === 'identity') return null
  const numbers = metricNumbers(m, D, 'warmup: massMatrix')
  const n = numbers.length / 2
  return { kind: m.kind, at: 0, inverse: numbers.subarray(0, n), factor: numbers.subarray(n) }
}

// The velocities M⁻¹p of every chain's momentum.
const velocities = (r: Runner, slot: MetricSlot | null): Float64Array => {
  const { chains, dimension: D } = r.state
  const p = Float64Array.from(r.state.momentum)
  const v = new Float64Array(p.length)
  for (let c = 0; c < chains; c++) for (let j = 0; j < D; j++) v[c * D + j] = velocityAt(slot, p, c * D, D, j)
  return v
}

// At a slow window's end: the new mass matrix, and dual averaging restarted from the current step size.
const closeWindow = (t: Tuner, D: number, dense: boolean, target: number): void => {
  const estimate = t.covariance === undefined ? undefined : regularised(t.covariance)
  if (estimate !== undefined) {
    // checked once here, so the kernels of the iterations to come share it (and its factorisation)
    t.metric = checkMetric({ kind: dense ? 'dense' : 'diagonal', inverse: estimate }, 'warmup: massMatrix') ?? { kind: 'identity' }
    t.slot = slotOf(t.metric, D)
  }
  t.covariance = welford(D, dense)
  t.da = dualAveraging(Math.exp(t.da.logStepSize), target)
}

/**
 * Runs `steps` warmup iterations of `kernel` (HMC, NUTS or MALA) on `energy`'s chains, tuning its step size by
 * dual averaging toward `targetAcceptance`, optionally a diagonal or dense mass matrix by Stan's windows
 * and HMC's trajectory length by ChEES; resolves to the tuned kernel, the chains' positions and what was
 * tuned.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { warmup } from './warmup.js'
 * import { hmc } from '../builtins.js'
 * import * as energy from '../../energy/index.js'
 * const target = energy.gaussian({ mean: [0, 0], precision: [[4, 0], [0, 0.25]] })
 * const w = await warmup(target, hmc({ stepSize: 1, leapfrogSteps: 5 }), { chains: 32, steps: 200, seed: 3, massMatrix: 'diagonal', backend: 'reference' })
 * assert.equal(w.inverseMassMatrix.kind, 'diagonal')
 * assert.ok(w.stepSize > 0 && w.positions.length === 64)
 */
export const warmup = async (energy: Energy, kernel: Kernel, options: WarmupOptions): Promise<WarmupResult> => {
  const o = check.options(options, 'warmup: options', warmupOptionNames)
  const setup = checkRunner('warmup', energy, kernel, o)
  const adaptation = checkAdaptation(setup, o, 'warmup')
  return adapt(startRunner(setup), adaptation, check.integer(o.steps, 'warmup: steps', { min: 1 }), check.seed(o.seed, 'warmup: seed'))
}

/** The names of the options that choose an adaptation (`sample`'s `adapt` takes these). */
export const adaptationOptionNames = ['targetAcceptance', 'massMatrix', 'trajectory', 'maxLeapfrogSteps'] as const

/** An adaptation's choices, checked against its kernel. */
export interface Adaptation {
  readonly kernel: Kernel
  readonly integrator: Integrator
  readonly target: number
  readonly massMatrix: 'identity' | 'diagonal' | 'dense'
  readonly trajectory: 'chees' | undefined
  readonly most: number
}

/**
 * Checks the adaptation options `o` (targetAcceptance, massMatrix, trajectory, maxLeapfrogSteps) for a
 * runner's setup; `where` names the caller in errors.
 */
export const checkAdaptation = (setup: { readonly kernel: Kernel; readonly chains: number }, o: Readonly<Record<string, unknown>>, where: string): Adaptation => {
  const massMatrix = check.oneOf(o.massMatrix ?? 'identity', `${where}: massMatrix`, ['identity', 'diagonal', 'dense'] as const)
  const trajectory = o.trajectory === undefined ? undefined : check.oneOf(o.trajectory, `${where}: trajectory`, ['chees'] as const)
  const most = check.integer(o.maxLeapfrogSteps ?? 1000, `${where}: maxLeapfrogSteps`, { min: 1, max: 100_000 })
  const integrator = checkIntegrator(setup.kernel, massMatrix, trajectory, where)
  if (trajectory === 'chees' && setup.chains < 2) throw check.rangeError(`${where}: chains`, 'at least 2 chains for ChEES (it centres across chains)', setup.chains)
  const target = o.targetAcceptance === undefined ? (integrator.kind === 'langevin' ? 0.574 : 0.8) : check.probability(o.targetAcceptance, `${where}: targetAcceptance`)
  return { kernel: setup.kernel, integrator, target, massMatrix, trajectory, most }
}

/**
 * Runs `steps` warmup iterations (steps 0 … steps − 1 of `seed`) on runner `r`, tuning as `a` says, and
 * leaves the runner retuned to the tuned kernel, so that sampling goes on from step `steps` on the same
 * runner (what `sample(…, { warmup, adapt })` does).
 */
export const adapt = async (r: Runner, a: Adaptation, steps: number, seed: number): Promise<WarmupResult> => {
  const { integrator, target, massMatrix, trajectory, most } = a
  const h0 = integrator.stepSize ?? 1
  const { chains, dimension: D } = r.state
  const dense = massMatrix === 'dense'
  const windows = massMatrix === 'identity' ? [] : slowWindows(steps)
  const t: Tuner = { da: dualAveraging(h0, target), metric: { kind: 'identity' }, slot: null, covariance: undefined, chees: trajectory === 'chees' ? chees(h0 * Math.max(1, integrator.leapfrogSteps)) : undefined }
  const acceptance = new Float64Array(steps)
  for (let step = 0; step < steps; step++) {
    const h = Math.exp(t.da.logStepSize)
    const jitter = halton(step + 1)
    const length = t.chees === undefined ? undefined : Math.exp(t.chees.logLength)
    r.retune(tuned(a.kernel, { stepSize: h, metric: t.metric, ...(length === undefined ? {} : { leapfrogSteps: jitteredSteps(jitter, length, h, most) }) }))
    const before = t.chees === undefined ? undefined : Float64Array.from(r.state.position)
    const stats = await r.run({ seed, from: step, to: step + 1 })
    const accepted = stats.accepted ?? new Float64Array(chains).fill(NaN)
    acceptance[step] = meanFinite(accepted)
    t.da = adaptStepSize(t.da, acceptance[step])
    if (t.chees !== undefined && before !== undefined && length !== undefined) {
      const weight = accepted.map((a) => (Number.isFinite(a) ? a : 0))
      const g = cheesGradient({ before, after: r.state.position, velocity: velocities(r, t.slot), weight, jitter }, chains, D, length)
      t.chees = adaptLength(t.chees, g, Math.exp(t.da.logStepSize), most)
    }
    const window = windows.find((w) => step >= w.start && step < w.end)
    if (window === undefined) continue
    if (step === window.start) t.covariance = welford(D, dense)
    if (t.covariance !== undefined) t.covariance = accumulate(t.covariance, r.state.position, r.state.alive)
    if (step === window.end - 1) closeWindow(t, D, dense, target)
  }
  const stepSize = finalStepSize(t.da)
  const trajectoryLength = t.chees === undefined ? undefined : finalLength(t.chees)
  // ChEES tuned L for trajectories jittered over (0, L]; a fixed length runs their mean, L/2 (the full L
  // can land on a resonance of a Gaussian target, where every direction has one frequency)
  const leapfrogSteps = trajectoryLength === undefined ? undefined : jitteredSteps(0.5, trajectoryLength, stepSize, most)
  const kernel = tuned(a.kernel, { stepSize, metric: t.metric, ...(leapfrogSteps === undefined ? {} : { leapfrogSteps }) })
  r.retune(kernel)
  return {
    kernel,
    positions: Float64Array.from(r.state.position),
    stepSize,
    inverseMassMatrix: t.metric,
    ...(trajectoryLength === undefined ? {} : { trajectoryLength }),
    acceptance,
    windows,
  }
}
