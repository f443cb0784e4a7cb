/**
 * Samplers: kernels as data built from a few blocks (drift, noise, clamp, momentum refresh, kick, move,
 * leapfrog, Metropolis) and combinators (sequence, repeat, every, schedules), the built-ins (ULA, MALA,
 * HMC, SGHMC) as compositions of them, and `sample`, which runs a kernel. See docs/samplers.md.
 *
 * @example
 * import * as sampler from './index.js'
 * const k = sampler.mala({ stepSize: 0.1 })
 *
 * @module
 */
export { constant, linear, geometric, cosine, scheduleAt, type Schedule, type ScheduleLike } from './schedule.js'
export {
  type Kernel,
  type NoiseScale,
  type Correction,
  isKernel,
  checkKernel,
  drift,
  noise,
  clamp,
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
} from './kernel.js'
export { ula, mala, hmc, sghmc, type UlaOptions } from './builtins.js'
export { flatten, type Instruction, type SamplerProgram } from './program.js'
export { type Snapshot, type Statistics } from './snapshot.js'
export { sample, checkRun, execute, type SampleOptions, type SampleResult, type Backend, type Dtype, type RunHooks, type CheckedRun } from './sample.js'
