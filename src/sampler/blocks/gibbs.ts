/**
 * Block Gibbs sampling over the colour classes of a structure: every unit of a class drawn at once from
 * its conditional given the rest (within a class no two units interact, so the joint conditional
 * factorises). For a bipartite model (the joint energy of an RBM) the classes are its layers, and one step
 * of the default order is h ~ p(h | v), then v ~ p(v | h); for a lattice of even sides they are the
 * checkerboard's even and odd units.
 *
 * @module
 */
import { array, oneOf, options, rangeError } from '../../check/index.js'
import { colourClasses } from '../../energy/structure.js'
import { defineBlock } from '../block.js'
import { positiveSchedule, type Schedule, type ScheduleLike } from '../schedule.js'
import { pushBlocks, unitsOf } from './flips.js'

/** A colour class by name: a bipartite model's layers, a lattice's checkerboard halves. */
export type ColourClass = 'visible' | 'hidden' | 'even' | 'odd'

/** A block Gibbs block: its temperature and the colour classes it draws, in order (null: the structure's default). */
export interface Gibbs {
  readonly type: 'gibbs'
  readonly temperature: Schedule
  readonly classes: readonly ColourClass[] | null
}

declare module '../block.js' {
  interface Blocks {
    gibbs: Gibbs
  }
}

const names = ['visible', 'hidden', 'even', 'odd'] as const

// The default order: a bipartite model's hidden layer from the visible one, then back; a lattice's halves.
const defaultOrder = (classes: readonly string[]): readonly string[] => (classes[0] === 'visible' ? ['hidden', 'visible'] : classes)

const block = defineBlock<Gibbs>({
  type: 'gibbs',
  check: (k, where) => {
    const classes = k.classes === null || k.classes === undefined ? null : array<readonly unknown[]>(k.classes, where.field('classes'))
    if (classes !== null && classes.length === 0) throw rangeError(where.field('classes'), 'at least one colour class', classes)
    return Object.freeze({
      type: 'gibbs' as const,
      temperature: positiveSchedule(k.temperature, where.field('temperature')),
      classes: classes === null ? null : Object.freeze(Array.from(classes, (b, i) => oneOf(b, where.field(`classes[${i}]`), names))),
    })
  },
  flatten: (k, f) => {
    const units = unitsOf(f.target, 'gibbs')
    const own = colourClasses(units.structure)
    if (own.length === 0) throw rangeError('gibbs: energy', 'a bipartite model or a lattice of even sides (whose units fall into two classes of non-interacting units)', `energy '${f.target?.name}'`)
    const order = k.classes ?? defaultOrder(own)
    const blocks = order.map((b, i) => {
      if (!own.includes(b)) throw rangeError(`gibbs: classes[${i}]`, `one of the energy's colour classes (${own.join(', ')})`, b)
      return own.indexOf(b)
    })
    pushBlocks(f, { type: 'gibbs', rule: 'heatBath', blocks, temperature: k.temperature })
  },
  domains: ['binary', 'spins'],
})

/**
 * Block Gibbs sampling at temperature T (default 1) over an energy's colour classes, in the order of
 * `classes` (default: ['hidden', 'visible'] for a bipartite model, ['even', 'odd'] for a lattice).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gibbs } from './gibbs.js'
 * assert.deepEqual(gibbs({ classes: ['hidden', 'visible'] }).classes, ['hidden', 'visible'])
 * assert.throws(() => gibbs({ classes: ['top'] as never }), { message: 'gibbs: classes[0]: expected one of "visible", "hidden", "even", "odd", got "top"' })
 */
export const gibbs = (o: { readonly temperature?: ScheduleLike; readonly classes?: readonly ColourClass[] } = {}): Gibbs => {
  const { temperature, classes } = options<{ temperature: ScheduleLike; classes: readonly ColourClass[] }>(o, 'gibbs: options', ['temperature', 'classes'])
  return block.build({ type: 'gibbs', temperature: temperature ?? 1, classes: classes ?? null }, 'gibbs')
}
