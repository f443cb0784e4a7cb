/**
 * `checkDeterminism` and `checkParity`: the same seed gives the same bits (twice, in one run or two, on
 * any thread count), and the reference runner and the native loop agree to rounding.
 *
 * @module
 */
import * as check from '../check/index.js'
import type { Energy } from '../energy/index.js'
import * as sampler from '../sampler/index.js'
import { missingInstructions, samplerAddon } from '../sampler/native.js'
import { checkRunner } from '../sampler/runner.js'
import { checkedKernel, kernelName, runAtNames, runAtOf, runFrom, seedOf, type Ran, type RunAt } from './chains.js'
import { boundReport, combined, skippedReport, type Report, type Sizes } from './report.js'
import { startOf } from './start.js'
import type { Target } from './target.js'

/** Options of {@link checkDeterminism} and {@link checkParity}. */
export interface RepeatOptions extends RunAt {
  /** Default 64. */
  readonly chains?: number
  /** Default 10. */
  readonly steps?: number
  /** Default 0. */
  readonly seed?: number
}

/** Options of {@link checkParity}. */
export interface ParityOptions extends Omit<RepeatOptions, 'backend'> {
  /** The largest relative difference |ref − native|/max(1, |ref|) allowed: default 1e-9 in float64, 1e-4 in float32. */
  readonly tolerance?: number
}

const bits = (a: Float64Array): BigInt64Array => new BigInt64Array(a.buffer, a.byteOffset, a.length)

/** How many numbers of two runs differ in their bits (positions, momenta and the alive flags). */
const differingBits = (a: Ran, b: Ran): number => {
  let n = 0
  for (const [x, y] of [[a.positions, b.positions], [a.momenta, b.momenta]] as const) {
    const bx = bits(x)
    const by = bits(y)
    for (let i = 0; i < bx.length; i++) if (bx[i] !== by[i]) n++
  }
  for (let c = 0; c < a.alive.length; c++) if (a.alive[c] !== b.alive[c]) n++
  return n
}

const repeatSizes = (o: Readonly<Partial<RepeatOptions>>, where: string) => ({
  chains: check.positiveInteger(o.chains ?? 64, `${where}: chains`),
  steps: check.integer(o.steps ?? 10, `${where}: steps`, { min: 2 }),
  seed: seedOf(o.seed, `${where}: seed`),
})

/**
 * Checks that a kernel's chains are a function of the seed alone: two runs with the same seed, one run
 * split in two (steps 0…K/2 then K/2…K) and, on the native backend, a run on two threads all give the
 * same bits as the first run.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkDeterminism } from './determinism.js'
 * import * as energy from '../energy/index.js'
 * import * as sampler from '../sampler/index.js'
 * const r = await checkDeterminism(energy.doubleWell({ dim: 2 }), sampler.hmc({ stepSize: 0.2, leapfrogSteps: 3 }), { seed: 5, backend: 'reference' })
 * assert.equal(r.passed, true)
 */
export const checkDeterminism = async (target: Target | Energy, kernel: sampler.Kernel, options: RepeatOptions = {}): Promise<Report> => {
  const k = checkedKernel(kernel, 'checkDeterminism: kernel')
  const o = check.options<RepeatOptions>(options, 'checkDeterminism: options', ['chains', 'steps', 'seed', ...runAtNames])
  const s = repeatSizes(o, 'checkDeterminism')
  const start = startOf(target, s.chains, s.seed, 'checkDeterminism')
  const at = runAtOf(o)
  const sizes: Sizes = { seed: s.seed, chains: s.chains, steps: s.steps }
  const run = (a: RunAt, from: number, steps: number, positions = start.positions, momenta = start.momenta) => runFrom(start.energy, k, a, { positions, momenta, seed: s.seed, from, steps })
  const first = await run(at, 0, s.steps)
  const again = await run(at, 0, s.steps)
  const half = Math.floor(s.steps / 2)
  const part = await run(at, 0, half)
  const split = await run(at, half, s.steps - half, part.positions, part.momenta)
  const name = `checkDeterminism(${kernelName(k)})`
  const parts = [
    boundReport('the same seed again', { statistic: differingBits(first, again), bound: 0, what: 'numbers with other bits' }, sizes),
    boundReport(`the run split at step ${half}`, { statistic: differingBits(first, split), bound: 0, what: 'numbers with other bits' }, sizes),
  ]
  const native = checkRunner('checkDeterminism', start.energy, k, { chains: s.chains, ...at }).backend === 'native'
  if (native) {
    const threads = (o.threads ?? 1) === 1 ? 2 : 1
    parts.push(boundReport(`${threads} thread${threads === 1 ? '' : 's'}`, { statistic: differingBits(first, await run({ ...at, threads }, 0, s.steps)), bound: 0, what: 'numbers with other bits' }, sizes))
  }
  return combined(name, parts, sizes)
}

/** Why the native loop cannot run this kernel, or undefined when it can. */
const nativeUnavailable = (energy: Energy, kernel: sampler.Kernel): string | undefined => {
  const status = samplerAddon()
  if (status.addon === undefined) return `the native addon is not available (${status.reason})`
  const missing = missingInstructions(sampler.flatten(kernel, energy.shape.reduce((a, b) => a * b, 1), sampler.targetOf(energy)), status.addon.samplerInstructions())
  return missing.length === 0 ? undefined : `the native addon has no handler for ${missing.join(', ')} (a block defined in TypeScript only)`
}

const relativeDifference = (a: Float64Array, b: Float64Array): number => {
  let worst = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i]))
    worst = Number.isNaN(d) ? (Number.isNaN(a[i]) && Number.isNaN(b[i]) ? worst : Infinity) : Math.max(worst, d)
  }
  return worst
}

/**
 * Checks that the native loop computes what the reference runner does: positions and momenta after K
 * steps from the same starts under the same seed, within a relative `tolerance`. Skipped, with the
 * reason, when the addon is not built or lacks a handler for one of the kernel's blocks.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkParity } from './determinism.js'
 * import * as energy from '../energy/index.js'
 * import * as sampler from '../sampler/index.js'
 * const r = await checkParity(energy.doubleWell({ dim: 2 }), sampler.mala({ stepSize: 0.1 }), { seed: 2 })
 * assert.equal(r.passed, true) // equal to rounding, or skipped where the addon is not built
 */
export const checkParity = async (target: Target | Energy, kernel: sampler.Kernel, options: ParityOptions = {}): Promise<Report> => {
  const k = checkedKernel(kernel, 'checkParity: kernel')
  const o = check.options<ParityOptions>(options, 'checkParity: options', ['chains', 'steps', 'seed', 'tolerance', 'threads', 'dtype', 'params'])
  const s = repeatSizes(o, 'checkParity')
  const start = startOf(target, s.chains, s.seed, 'checkParity')
  const dtype = o.dtype ?? 'float64'
  const tolerance = o.tolerance === undefined ? (dtype === 'float32' ? 1e-4 : 1e-9) : check.positive(o.tolerance, 'checkParity: tolerance')
  const sizes: Sizes = { seed: s.seed, chains: s.chains, steps: s.steps, dtype }
  const name = `checkParity(${kernelName(k)})`
  const why = nativeUnavailable(start.energy, k)
  if (why !== undefined) return skippedReport(name, why, sizes)
  const run = (a: RunAt) => runFrom(start.energy, k, { ...runAtOf(o), ...a }, { positions: start.positions, momenta: start.momenta, seed: s.seed, steps: s.steps })
  const reference = await run({ backend: 'reference', dtype: 'float64' })
  const native = await run({ backend: 'native', dtype })
  const worst = Math.max(relativeDifference(reference.positions, native.positions), relativeDifference(reference.momenta, native.momenta))
  return boundReport(name, { statistic: worst, bound: tolerance, what: 'largest relative difference' }, sizes)
}
