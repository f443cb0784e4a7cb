/**
 * The gradient drift x ← x − h·∇E(x), with the gradient optionally clipped to [−clip, clip] in every
 * coordinate (as in the short-run samplers of IGEBM).
 *
 * @module
 */
import { options, positive } from '../../check/index.js'
import { defineBlock, defineInstruction } from '../block.js'
import { positiveSchedule, scheduleAt, type Schedule, type ScheduleLike } from '../schedule.js'

/** A drift block: its step size h and clip (null: unclipped). */
export interface Drift {
  readonly type: 'drift'
  readonly stepSize: Schedule
  readonly clip: number | null
}

/** The drift instruction: the block's fields. */
export interface DriftInstruction {
  readonly op: 'drift'
  readonly stepSize: Schedule
  readonly clip: number | null
}

declare module '../block.js' {
  interface Blocks {
    drift: Drift
  }
  interface Instructions {
    drift: DriftInstruction
  }
}

/**
 * A gradient coordinate clipped to [−clip, clip] (unchanged without a clip).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { clipped } from './drift.js'
 * assert.equal(clipped(5, 0.5), 0.5)
 * assert.equal(clipped(-5, null), -5)
 */
export const clipped = (g: number, clip: number | null): number => (clip === null ? g : g > clip ? clip : g < -clip ? -clip : g)

const block = defineBlock<Drift>({
  type: 'drift',
  check: (k, where) =>
    Object.freeze({
      type: 'drift' as const,
      stepSize: positiveSchedule(k.stepSize, where.field('stepSize')),
      clip: k.clip === undefined || k.clip === null ? null : positive(k.clip, where.field('clip')),
    }),
  flatten: (k, f) => {
    f.push({ op: 'drift', stepSize: k.stepSize, clip: k.clip })
  },
})

defineInstruction({
  op: 'drift',
  fields: { stepSize: 'schedule', clip: 'number' },
  // clip 0: unclipped (a clip is > 0)
  encode: (ins: DriftInstruction) => ({ stepSize: ins.stepSize, clip: ins.clip ?? 0 }),
  reference: (ins: DriftInstruction, r) => {
    r.refresh()
    const h = scheduleAt(ins.stepSize, r.t)
    const { position: x, gradient: g } = r.state
    r.rows((from, to) => {
      for (let j = from; j < to; j++) x[j] -= h * clipped(g[j], ins.clip)
    })
    r.moved()
  },
})

/**
 * The gradient drift x ← x − h·∇E(x), the gradient optionally clipped to [−clip, clip] per coordinate.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { drift } from './drift.js'
 * assert.deepEqual(drift({ stepSize: 0.01, clip: 0.03 }), { type: 'drift', stepSize: { kind: 'constant', value: 0.01 }, clip: 0.03 })
 */
export const drift = (o: { readonly stepSize: ScheduleLike; readonly clip?: number | null }): Drift => {
  const { stepSize, clip } = options<{ stepSize: ScheduleLike; clip: number | null }>(o, 'drift: options', ['stepSize', 'clip'])
  return block.build({ type: 'drift', stepSize, clip }, 'drift')
}
