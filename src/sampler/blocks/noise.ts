/**
 * Gaussian noise x ← x + σ·ξ, ξ ~ N(0, I): with σ = √(2·h·T) (Langevin dynamics) or σ set directly (the
 * decoupled noise of the EBM literature). Inside a Metropolis proposal it records the log density of the
 * forward move, −‖ξ‖²/2, for the Langevin correction.
 *
 * @module
 */
import { object, options, oneOf, rangeError } from '../../check/index.js'
import { defineBlock, defineInstruction, type Where } from '../block.js'
import { nonNegativeSchedule, positiveSchedule, scheduleAt, type Schedule, type ScheduleLike } from '../schedule.js'

/** How large the Gaussian noise of a `noise` block is: σ given directly, or σ = √(2·h·T). */
export type NoiseScale =
  | { readonly kind: 'scale'; readonly scale: Schedule }
  | { readonly kind: 'langevin'; readonly stepSize: Schedule; readonly temperature: Schedule }

/** A noise block. */
export interface Noise {
  readonly type: 'noise'
  readonly scale: NoiseScale
}

/** The noise instruction: σ, the offset of its D normals, and whether it records the forward density. */
export interface NoiseInstruction {
  readonly op: 'noise'
  readonly scale: NoiseScale
  readonly draw: number
  readonly record: boolean
}

declare module '../block.js' {
  interface Blocks {
    noise: Noise
  }
  interface Instructions {
    noise: NoiseInstruction
  }
}

/**
 * σ of a noise scale at a step.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { noiseScaleAt } from './noise.js'
 * import { constant } from '../schedule.js'
 * assert.equal(noiseScaleAt({ kind: 'langevin', stepSize: constant(0.5), temperature: constant(4) }, 0), 2)
 */
export const noiseScaleAt = (s: NoiseScale, step: number): number =>
  s.kind === 'scale' ? scheduleAt(s.scale, step) : Math.sqrt(2 * scheduleAt(s.stepSize, step) * scheduleAt(s.temperature, step))

/** Checks a noise scale; its fields are named as the constructor's options (scale, or stepSize and temperature). */
const checkScale = (v: unknown, where: Where): NoiseScale => {
  const s = object(v, where.field('scale'))
  if (oneOf(s.kind, where.field('scale.kind'), ['scale', 'langevin'] as const) === 'scale') {
    return Object.freeze({ kind: 'scale' as const, scale: nonNegativeSchedule(s.scale, where.field('scale')) })
  }
  return Object.freeze({
    kind: 'langevin' as const,
    stepSize: positiveSchedule(s.stepSize, where.field('stepSize')),
    temperature: nonNegativeSchedule(s.temperature, where.field('temperature')),
  })
}

const block = defineBlock<Noise>({
  type: 'noise',
  check: (k, where) => Object.freeze({ type: 'noise' as const, scale: checkScale(k.scale, where) }),
  flatten: (k, f) => {
    f.push({ op: 'noise', scale: k.scale, draw: f.draws(f.dimension), record: f.inProposal })
  },
})

defineInstruction({
  op: 'noise',
  fields: { draw: 'number', record: 'number', scale: 'noise' },
  encode: (ins: NoiseInstruction) => ({ draw: ins.draw, record: ins.record ? 1 : 0, scale: ins.scale }),
  reference: (ins: NoiseInstruction, r) => {
    const sigma = noiseScaleAt(ins.scale, r.t)
    const x = r.state.position
    r.rows((from, to, c) => {
      const z = r.normals(c, ins.draw)
      let squares = 0
      for (let j = 0; j < to - from; j++) {
        x[from + j] += sigma * z[j]
        squares += z[j] * z[j]
      }
      if (ins.record) r.saved.logForward[c] = -0.5 * squares
    })
    r.moved()
  },
})

/**
 * Gaussian noise x ← x + σ·ξ, ξ ~ N(0, I): with σ = √(2·h·T) given a step size h and temperature T
 * (Langevin dynamics), or with σ = `scale` set directly (the decoupled noise of the EBM literature).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { noise } from './noise.js'
 * const langevin = noise({ stepSize: 0.1, temperature: 1 }) // σ = √0.2
 * assert.equal(langevin.scale.kind, 'langevin')
 * assert.deepEqual(noise({ scale: 0.005 }).scale, { kind: 'scale', scale: { kind: 'constant', value: 0.005 } })
 */
export const noise = (o: { readonly scale: ScheduleLike } | { readonly stepSize: ScheduleLike; readonly temperature?: ScheduleLike }): Noise => {
  const given = options<{ scale: ScheduleLike; stepSize: ScheduleLike; temperature: ScheduleLike }>(o, 'noise: options', ['scale', 'stepSize', 'temperature'])
  if ('scale' in given && 'stepSize' in given) throw rangeError('noise: options', 'either { scale } or { stepSize, temperature? }', given)
  const scale = 'scale' in given ? { kind: 'scale', scale: given.scale } : { kind: 'langevin', stepSize: given.stepSize, temperature: given.temperature ?? 1 }
  return block.build({ type: 'noise', scale }, 'noise')
}
