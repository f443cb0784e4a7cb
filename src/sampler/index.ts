/**
 * Samplers: kernels as data built from blocks (drift, noise, clamp, reflect, momentum refresh, kick, move,
 * leapfrog, Metropolis, NUTS) and combinators (sequence, repeat, every, schedules), each block defined in one
 * file of a registry (src/sampler/blocks/); the built-ins (ULA, MALA, HMC, SGHMC) as compositions of them;
 * `runner`, which keeps chains and compiled tapes across runs (and takes a retuned kernel between them),
 * `sample`, which runs a kernel once, and `warmup`, which tunes a kernel's step size, mass matrix (the
 * `metric` of the Hamiltonian blocks) and trajectory length while running it (src/sampler/adapt/).
 * See docs/samplers.md.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as sampler from './index.js'
 * assert.equal(sampler.mala({ stepSize: 0.1 }).name, 'mala')
 *
 * @module
 */
export { constant, linear, geometric, cosine, scheduleAt, positiveSchedule, nonNegativeSchedule, type Schedule, type ScheduleLike } from './schedule.js'
export {
  type Kernel,
  type NoiseScale,
  type Correction,
  isKernel,
  checkKernel,
  drift,
  noise,
  clamp,
  reflect,
  momentum,
  kick,
  move,
  leapfrog,
  sequence,
  named,
  repeat,
  every,
  metropolis,
  correctionOf,
  heatBath,
  metropolisFlips,
  gibbs,
  descent,
  wolff,
  nuts,
  treeWarnings,
  type Nuts,
  type FlipRule,
  type SiteOrder,
  type Via,
  type ColourClass,
  type Sequence,
  type Repeat,
  type Metropolis,
} from './kernel.js'
export {
  defineBlock,
  defineInstruction,
  blockTypes,
  instructionDefinitions,
  type BlockDefinition,
  type InstructionDefinition,
  type Instruction,
  type AnyInstruction,
  type Flattener,
  type Where,
  type Field,
} from './block.js'
export { type ReferenceStep } from './reference.js'
export { ula, mala, hmc, sghmc, type UlaOptions } from './builtins.js'
export { checkMetric, metricNumbers, velocityAt, kinetic, momentumAt, type Metric, type MetricKind, type MetricSlot } from './metric.js'
export { warmup, type WarmupOptions, type WarmupResult } from './adapt/warmup.js'
export { flatten, targetOf, type SamplerProgram, type Target } from './program.js'
export { type SampleSnapshot, type Statistics, type RunStatistics, type TreeStatistics, type SnapshotState } from './snapshot.js'
export { runner, type Runner, type RunnerOptions, type RunOptions, type SnapshotRunOptions, type RunSnapshot } from './runner.js'
export { sample, checkRun, execute, bytesPerChain, defaultMemoryLimit, type SampleOptions, type SampleResult, type AdaptationResult, type RunHooks, type WarmupHook, type CheckedRun } from './sample.js'
export { type SamplerWarning, runWarnings } from './warnings.js'
export { temper, swapAcceptance, geometricLadder, equalisedLadder, type TemperOptions, type TemperResult, type RungStatistics, type LadderLike } from './tempering/index.js'
