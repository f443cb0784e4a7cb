/**
 * The box [low, high]ᴰ of the blocks that keep chains in one (clamp, reflect): its check, shared.
 *
 * @module
 */
import { finite, rangeError } from '../../check/index.js'
import type { Where } from '../block.js'

/** A box: every coordinate in [low, high], low < high. */
export interface Box {
  readonly low: number
  readonly high: number
}

/**
 * Checks a box's bounds: finite, and low < high.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { box } from './box.js'
 * import { argumentsOf } from '../block.js'
 * assert.deepEqual(box({ low: 0, high: 1 }, argumentsOf('clamp')), { low: 0, high: 1 })
 * assert.throws(() => box({ low: 1, high: 0 }, argumentsOf('clamp')), { message: 'clamp: high: expected a number above low (1), got 0' })
 */
export const box = (k: Readonly<Record<string, unknown>>, where: Where): Box => {
  const low = finite(k.low, where.field('low'))
  const high = finite(k.high, where.field('high'))
  if (!(high > low)) throw rangeError(where.field('high'), `a number above low (${low})`, high)
  return { low, high }
}
