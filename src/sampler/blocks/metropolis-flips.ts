/**
 * Single-unit Metropolis flips at temperature T: each update proposes flipping a unit and accepts with
 * probability min(1, exp(−ΔE/T)). One step is a sweep of D updates (random order: reversible; sequential;
 * or a lattice's checkerboard). Runs report the fraction of flips accepted.
 *
 * @module
 */
import { sweepBlock, type SweepBlock } from './sweep.js'

declare module '../block.js' {
  interface Blocks {
    metropolisFlips: SweepBlock<'metropolisFlips'>
  }
}

/**
 * Metropolis flip sweeps at temperature T over binary units or spins (local fields or energy
 * differences, as for `heatBath`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { metropolisFlips } from './metropolis-flips.js'
 * assert.equal(metropolisFlips({ temperature: 1.5, order: 'sequential' }).type, 'metropolisFlips')
 */
export const metropolisFlips = sweepBlock('metropolisFlips', 'metropolis')
