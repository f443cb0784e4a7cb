/**
 * Zero-temperature asynchronous descent: each update sets a unit to the value of lower energy (high when
 * its gain g = E(low) − E(high) is positive, low when negative, unchanged at 0), so the energy never
 * rises; a fixed point is a local minimum under single flips. Hopfield retrieval. In random or sequential
 * order (D updates a step), or synchronously (every unit from the same fields: on a symmetric W it may end
 * in a 2-cycle instead of a fixed point).
 *
 * @module
 */
import { oneOf, options } from '../../check/index.js'
import { defineBlock } from '../block.js'
import { constant } from '../schedule.js'
import { pushBlocks, pushSweep, type SiteOrder, type Via } from './flips.js'

/** A descent block. */
export interface Descent {
  readonly type: 'descent'
  readonly order: SiteOrder | 'synchronous'
  readonly via: Via
}

declare module '../block.js' {
  interface Blocks {
    descent: Descent
  }
}

// Descent's records carry a temperature they never read.
const unused = constant(1)

const block = defineBlock<Descent>({
  type: 'descent',
  check: (k, where) =>
    Object.freeze({
      type: 'descent' as const,
      order: oneOf(k.order, where.field('order'), ['random', 'sequential', 'synchronous'] as const),
      via: oneOf(k.via, where.field('via'), ['auto', 'fields', 'differences'] as const),
    }),
  flatten: (k, f) => {
    if (k.order === 'synchronous') pushBlocks(f, { type: 'descent', rule: 'descent', blocks: [2], temperature: unused })
    else pushSweep(f, { type: 'descent', rule: 'descent', order: k.order, temperature: unused, via: k.via })
  },
  domains: ['binary', 'spins'],
})

/**
 * Zero-temperature descent over binary units or spins: `order` 'random' (default), 'sequential' or
 * 'synchronous' (from local fields only); `via` as for `heatBath`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { descent } from './descent.js'
 * assert.deepEqual(descent(), { type: 'descent', order: 'random', via: 'auto' })
 */
export const descent = (o: { readonly order?: SiteOrder | 'synchronous'; readonly via?: Via } = {}): Descent => {
  const { order, via } = options<{ order: SiteOrder | 'synchronous'; via: Via }>(o, 'descent: options', ['order', 'via'])
  return block.build({ type: 'descent', order: order ?? 'random', via: via ?? 'auto' }, 'descent')
}
