/**
 * Momentum refresh with friction γ over a step h at temperature T: p ← a·p + √(T(1 − a²))·ξ with
 * a = exp(−γ·h), the exact Ornstein–Uhlenbeck step, which leaves N(0, T·M) invariant (ξ ~ N(0, M), M the
 * mass matrix: the identity unless a metric is given). Without a friction it is a full refresh
 * p ~ N(0, T·M), as in HMC.
 *
 * @module
 */
import { options, positive, rangeError } from '../../check/index.js'
import { defineBlock, defineInstruction } from '../block.js'
import { checkMetric, encodeMetric, metricFields, momentumAt, type Metric, type MetricSlot } from '../metric.js'
import { nonNegativeSchedule, positiveSchedule, scheduleAt, type Schedule, type ScheduleLike } from '../schedule.js'

/** A momentum block: friction γ (null: a full refresh), step size h and temperature T. */
export interface Momentum {
  readonly type: 'momentum'
  readonly friction: number | null
  readonly stepSize: Schedule
  readonly temperature: Schedule
  /** The inverse mass matrix (absent: the identity). */
  readonly metric?: Metric
}

/** The momentum instruction: the block's fields and the offset of its D normals. */
export interface MomentumInstruction {
  readonly op: 'momentum'
  readonly friction: number | null
  readonly stepSize: Schedule
  readonly temperature: Schedule
  readonly draw: number
  readonly metric: MetricSlot | null
}

declare module '../block.js' {
  interface Blocks {
    momentum: Momentum
  }
  interface Instructions {
    momentum: MomentumInstruction
  }
}

const block = defineBlock<Momentum>({
  type: 'momentum',
  check: (k, where) => {
    const metric = checkMetric(k.metric, where.field('metric'))
    return Object.freeze({
      type: 'momentum' as const,
      friction: k.friction === undefined || k.friction === null ? null : positive(k.friction, where.field('friction')),
      stepSize: positiveSchedule(k.stepSize, where.field('stepSize')),
      temperature: nonNegativeSchedule(k.temperature, where.field('temperature')),
      ...(metric === undefined ? {} : { metric }),
    })
  },
  flatten: (k, f) => {
    f.push({ op: 'momentum', friction: k.friction, stepSize: k.stepSize, temperature: k.temperature, draw: f.draws(f.dimension), metric: f.metric(k.metric) })
  },
})

defineInstruction({
  op: 'momentum',
  fields: { draw: 'number', friction: 'number', stepSize: 'schedule', temperature: 'schedule', ...metricFields },
  // friction 0: a full refresh (a friction is > 0)
  encode: (ins: MomentumInstruction) => ({ draw: ins.draw, friction: ins.friction ?? 0, stepSize: ins.stepSize, temperature: ins.temperature, ...encodeMetric(ins.metric) }),
  reference: (ins: MomentumInstruction, r) => {
    const a = ins.friction === null ? 0 : Math.exp(-ins.friction * scheduleAt(ins.stepSize, r.t))
    const b = Math.sqrt(scheduleAt(ins.temperature, r.t) * (1 - a * a))
    const p = r.state.momentum
    const D = r.dimension
    r.rows((from, _to, c) => {
      const z = r.normals(c, ins.draw)
      for (let j = 0; j < D; j++) p[from + j] = a * p[from + j] + b * momentumAt(ins.metric, z, D, j)
    })
  },
})

/**
 * Momentum refresh: partial with a friction (p ← a·p + √(T(1 − a²))·ξ, a = exp(−friction·stepSize)), full
 * without (p ~ N(0, T·M)); `metric` is the inverse mass matrix M⁻¹ (default: the identity).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { momentum } from './momentum.js'
 * assert.equal(momentum({ temperature: 1 }).friction, null)
 * assert.equal(momentum({ friction: 0.5, stepSize: 0.1 }).friction, 0.5)
 * assert.throws(() => momentum({ friction: 0.5 }), { message: 'momentum: stepSize: expected a step size with a friction (a = exp(−friction·stepSize)), got undefined' })
 */
export const momentum = (o: { readonly friction?: number; readonly stepSize?: ScheduleLike; readonly temperature?: ScheduleLike; readonly metric?: Metric } = {}): Momentum => {
  const { friction, stepSize, temperature, metric } = options<{ friction: number; stepSize: ScheduleLike; temperature: ScheduleLike; metric: Metric }>(o, 'momentum: options', ['friction', 'stepSize', 'temperature', 'metric'])
  if (friction !== undefined && stepSize === undefined) throw rangeError('momentum: stepSize', 'a step size with a friction (a = exp(−friction·stepSize))', stepSize)
  return block.build({ type: 'momentum', friction, stepSize: stepSize ?? 1, temperature: temperature ?? 1, metric }, 'momentum')
}
