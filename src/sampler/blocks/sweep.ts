/**
 * The sweep blocks' constructor (heatBath, metropolisFlips): D single-unit updates a step in random or
 * sequential order, from local fields or energy differences, or a lattice's checkerboard (its even units,
 * then its odd ones, each half from the same fields). Their instructions are flips.ts's.
 *
 * @module
 */
import { oneOf, options, rangeError } from '../../check/index.js'
import { colourClasses } from '../../energy/structure.js'
import { defineBlock, type Kernel, type Target } from '../block.js'
import { positiveSchedule, type Schedule, type ScheduleLike } from '../schedule.js'
import { pushBlocks, pushSweep, type FlipRule, type SiteOrder, type Via } from './flips.js'

/** A sweep block: D single-unit updates at temperature T, in random, sequential or checkerboard order. */
export interface SweepBlock<T extends string> {
  readonly type: T
  readonly temperature: Schedule
  readonly order: SiteOrder | 'checkerboard'
  readonly via: Via
}

/** What a sweep block's constructor takes. */
export interface SweepOptions {
  /** T > 0, or a schedule of it (annealing); default 1. */
  readonly temperature?: ScheduleLike
  /** 'random' (default: D units drawn with replacement), 'sequential' (0 … D − 1), or 'checkerboard' (a lattice's even units, then its odd ones). */
  readonly order?: SiteOrder | 'checkerboard'
  /** 'auto' (default: local fields when the energy has a structure, else energy differences), 'fields' or 'differences'. */
  readonly via?: Via
}

/**
 * The colour classes of a checkerboard sweep, or the error saying the energy is no lattice of even sides.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkerboard } from './sweep.js'
 * assert.throws(() => checkerboard({ name: 'ising', domain: 'spins', feeds: {}, structure: { kind: 'lattice', rows: 3, columns: 3, coupling: 1, field: 0, scale: 1 } }, 'heatBath'), { message: /^heatBath: order 'checkerboard': expected a lattice of even sides/ })
 */
export const checkerboard = (target: Target | undefined, type: string): number[] => {
  const s = target?.structure
  if (s?.kind !== 'lattice' || colourClasses(s).length !== 2) {
    throw rangeError(`${type}: order 'checkerboard'`, 'a lattice of even sides (its even and odd units are the two colours; periodic odd sides have no checkerboard)', s?.kind === 'lattice' ? `a ${s.rows} × ${s.columns} lattice` : `energy '${target?.name ?? '?'}' without a lattice`)
  }
  return [0, 1]
}

/**
 * Registers a sweep block of a rule (heatBath, metropolisFlips) and returns its constructor.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { heatBath } from './heat-bath.js'
 * assert.deepEqual(heatBath({ temperature: 2 }), { type: 'heatBath', temperature: { kind: 'constant', value: 2 }, order: 'random', via: 'auto' })
 */
export const sweepBlock = <T extends Kernel['type']>(type: T, rule: FlipRule): ((o?: SweepOptions) => SweepBlock<T>) => {
  // The registry's unions hold this block once its file has declared it; the casts say so.
  const block = defineBlock<Kernel>({
    type,
    check: (k, where) =>
      Object.freeze({
        type,
        temperature: positiveSchedule(k.temperature, where.field('temperature')),
        order: oneOf(k.order, where.field('order'), ['random', 'sequential', 'checkerboard'] as const),
        via: oneOf(k.via, where.field('via'), ['auto', 'fields', 'differences'] as const),
      }) as never,
    flatten: (kernel, f) => {
      const k = kernel as unknown as SweepBlock<T>
      if (k.order !== 'checkerboard') return pushSweep(f, { type, rule, order: k.order, temperature: k.temperature, via: k.via })
      if (k.via === 'differences') throw rangeError(`${type}: via`, "'fields' or 'auto' with order 'checkerboard' (a colour class is updated from local fields)", k.via)
      pushBlocks(f, { type, rule, blocks: checkerboard(f.target, type), temperature: k.temperature })
    },
    domains: ['binary', 'spins'],
  })
  return (o = {}) => {
    const { temperature, order, via } = options<SweepOptions>(o, `${type}: options`, ['temperature', 'order', 'via'])
    return block.build({ type, temperature: temperature ?? 1, order: order ?? 'random', via: via ?? 'auto' }, type) as unknown as SweepBlock<T>
  }
}
