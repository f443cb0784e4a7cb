/**
 * A kernel's tunable numbers, read and rewritten: the integrator's step size (leapfrog, move, kick, drift,
 * NUTS, the Langevin noise, a momentum's friction step), the mass matrix of its Hamiltonian blocks
 * (momentum, leapfrog, move, NUTS) and the number of leapfrog steps of a repeat. Warmup hands a runner the rewritten kernel
 * between iterations (`runner.retune`); the other blocks and the structure stay as the user built them.
 *
 * @module
 */
import { rangeError } from '../../check/index.js'
import { checkKernel, isKernel, type Kernel } from '../block.js'
import type { Metric } from '../metric.js'
import { constant, type Schedule } from '../schedule.js'

/** The numbers to put in a kernel (those absent stay as they are). */
export interface Tuning {
  readonly stepSize?: number
  readonly metric?: Metric
  readonly leapfrogSteps?: number
}

/** What warmup needs to know of a kernel. */
export interface Integrator {
  /** 'hamiltonian' (leapfrog steps, or NUTS's trees), 'langevin' (MALA's move) or 'other' (a proposal with no step size to tune). */
  readonly kind: 'hamiltonian' | 'langevin' | 'other'
  /** Whether it reports an acceptance to tune toward (a Metropolis test, or NUTS's acceptance statistic). */
  readonly metropolis: boolean
  /** The step size it starts from (its first integrator block's). */
  readonly stepSize: number | undefined
  /** Leapfrog steps per trajectory (a repeat's count, or the leapfrog blocks in a row). */
  readonly leapfrogSteps: number
}

const steppers = new Set(['leapfrog', 'move', 'kick', 'drift', 'nuts'])
const metricBlocks = new Set(['momentum', 'leapfrog', 'move', 'nuts'])

type Block = Readonly<Record<string, unknown>> & { readonly type: string }

// Every block of a kernel, depth first, with the combinators before what they hold.
const blocksOf = (k: Kernel): Block[] => {
  const out: Block[] = [k as unknown as Block]
  for (const v of Object.values(k)) {
    if (isKernel(v)) out.push(...blocksOf(v))
    else if (Array.isArray(v)) for (const b of v) if (isKernel(b)) out.push(...blocksOf(b))
  }
  return out
}

const firstStepSize = (blocks: readonly Block[]): Schedule | undefined => {
  const b = blocks.find((b) => steppers.has(b.type))
  return b === undefined ? undefined : (b.stepSize as Schedule)
}

/**
 * What warmup tunes in a kernel: its integrator, its starting step size and its leapfrog steps.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { integratorOf } from './tune.js'
 * import { hmc, mala } from '../builtins.js'
 * import { nuts } from '../blocks/nuts.js'
 * assert.deepEqual(integratorOf(hmc({ stepSize: 0.2, leapfrogSteps: 8 })), { kind: 'hamiltonian', metropolis: true, stepSize: 0.2, leapfrogSteps: 8 })
 * assert.equal(integratorOf(mala({ stepSize: 0.1 })).kind, 'langevin')
 * assert.deepEqual(integratorOf(nuts({ stepSize: 0.3 })), { kind: 'hamiltonian', metropolis: true, stepSize: 0.3, leapfrogSteps: 0 })
 */
export const integratorOf = (k: Kernel): Integrator => {
  const blocks = blocksOf(k)
  const types = blocks.map((b) => b.type)
  const schedule = firstStepSize(blocks)
  const repeat = blocks.find((b) => b.type === 'repeat' && (b.block as Block).type === 'leapfrog')
  const metropolis = blocks.filter((b) => b.type === 'metropolis').map((b) => b.correction)
  // NUTS's acceptance statistic (the mean acceptance over its tree's leaves) is tuned like HMC's
  const nuts = types.includes('nuts')
  return {
    kind: nuts || metropolis.includes('hamiltonian') ? 'hamiltonian' : metropolis.includes('langevin') ? 'langevin' : 'other',
    metropolis: nuts || metropolis.length > 0,
    stepSize: schedule?.kind === 'constant' ? schedule.value : undefined,
    leapfrogSteps: repeat !== undefined ? (repeat.times as number) : types.filter((t) => t === 'leapfrog').length,
  }
}

// One block with the tuning applied to its own fields (what it holds is rewritten by the caller).
const tuneBlock = (b: Block, t: Tuning): Block => {
  const out: Record<string, unknown> = { ...b }
  if (t.stepSize !== undefined) {
    const h = constant(t.stepSize)
    if (steppers.has(b.type) || (b.type === 'momentum' && b.friction !== null)) out.stepSize = h
    const scale = b.scale as { readonly kind?: string } | undefined
    if (b.type === 'noise' && scale?.kind === 'langevin') out.scale = { ...scale, stepSize: h }
  }
  if (t.metric !== undefined && metricBlocks.has(b.type)) {
    if (t.metric.kind === 'identity') delete out.metric
    else out.metric = t.metric
  }
  if (t.leapfrogSteps !== undefined && b.type === 'repeat' && (b.block as Block).type === 'leapfrog') out.times = t.leapfrogSteps
  return out as Block
}

const rewrite = (k: Kernel, t: Tuning): Kernel => {
  const held = Object.fromEntries(
    Object.entries(k).map(([name, v]) => [name, isKernel(v) ? rewrite(v, t) : Array.isArray(v) && v.every(isKernel) ? v.map((b: Kernel) => rewrite(b, t)) : v]),
  )
  return tuneBlock(held as Block, t) as unknown as Kernel
}

/**
 * The kernel with the tuned numbers in place (checked, as a kernel from anywhere).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { integratorOf, tuned } from './tune.js'
 * import { hmc } from '../builtins.js'
 * const k = tuned(hmc({ stepSize: 0.2, leapfrogSteps: 8 }), { stepSize: 0.05, leapfrogSteps: 30 })
 * assert.deepEqual(integratorOf(k), { kind: 'hamiltonian', metropolis: true, stepSize: 0.05, leapfrogSteps: 30 })
 */
export const tuned = (k: Kernel, t: Tuning): Kernel => {
  if (t.leapfrogSteps !== undefined && !blocksOf(k).some((b) => b.type === 'repeat' && (b.block as Block).type === 'leapfrog')) {
    throw rangeError('warmup: kernel', 'leapfrog steps under a repeat (hmc) to tune the trajectory length', 'none')
  }
  return checkKernel(rewrite(k, t), 'warmup: kernel')
}
