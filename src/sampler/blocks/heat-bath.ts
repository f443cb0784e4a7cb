/**
 * Single-unit heat bath (Glauber dynamics) at temperature T: each update sets a unit to its conditional
 * distribution given the others, high with probability 1 / (1 + exp(−g/T)) where g = E(low) − E(high).
 * One step is a sweep of D updates, in random order (reversible), in sequential order, or on a lattice as
 * a checkerboard (the even units at once, then the odd ones: each half is a set of non-interacting units).
 *
 * @module
 */
import { sweepBlock, type SweepBlock } from './sweep.js'

declare module '../block.js' {
  interface Blocks {
    heatBath: SweepBlock<'heatBath'>
  }
}

/**
 * Heat-bath sweeps at temperature T over binary units or spins, from local fields when the energy has a
 * structure (O(degree) a unit) and from energy differences otherwise (one evaluation a unit).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { heatBath } from './heat-bath.js'
 * assert.equal(heatBath({ temperature: 2.269, order: 'checkerboard' }).order, 'checkerboard')
 * assert.throws(() => heatBath({ temperature: 0 }), { message: 'heatBath: temperature: expected a positive number, got 0' })
 */
export const heatBath = sweepBlock('heatBath', 'heatBath')
