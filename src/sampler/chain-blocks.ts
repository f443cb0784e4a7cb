/**
 * Blocks of chains: a run works through its chains a block at a time, each block evaluated by a tape
 * compiled for that many chains, so the step's working set (the tape's buffers, a proposal's saved state)
 * is bounded whatever the number of chains. A chain's arithmetic and its random stream never depend on
 * its block, so the results do not depend on the block size.
 *
 * @module
 */
import type { Energy } from '../energy/energy.js'
import { gradientTape } from '../energy/points.js'

/** The numbers a block's tape may hold in its buffers (16 MB in float64). */
export const workspaceNumbers = 2 ** 21

/** One block: chains begin … end − 1. */
export interface ChainBlock {
  readonly begin: number
  readonly end: number
}

const perChain = new WeakMap<Energy, number>()

/**
 * The numbers the energy-and-gradient tape holds per chain: what its buffers grow by from one chain to
 * two. (Its buffers for one chain would count the parameters, which a block holds once, as every chain's:
 * an MLP with a 784×512 layer got blocks of one chain, and products with one row.)
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { numbersPerChain } from './chain-blocks.js'
 * import * as energy from '../energy/index.js'
 * assert.ok(numbersPerChain(energy.gaussian({ mean: [0, 0] })) < 50)
 */
export const numbersPerChain = (energy: Energy): number => {
  const known = perChain.get(energy)
  if (known !== undefined) return known
  const numbers = (batch: number) => gradientTape(energy, batch).slots.reduce((s, k) => s + k, 0)
  const n = Math.max(1, numbers(2) - numbers(1))
  perChain.set(energy, n)
  return n
}

/**
 * The default block size: as many chains as fit `workspaceNumbers` numbers of tape buffers, at least 1,
 * at most all the chains.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { defaultChainBlock } from './chain-blocks.js'
 * import * as energy from '../energy/index.js'
 * assert.equal(defaultChainBlock(energy.gaussian({ mean: [0, 0] }), 100), 100)
 * assert.ok(defaultChainBlock(energy.gaussian({ mean: [0, 0] }), 1e7) < 1e7)
 */
export const defaultChainBlock = (energy: Energy, chains: number): number => Math.min(chains, Math.max(1, Math.floor(workspaceNumbers / numbersPerChain(energy))))

/**
 * The blocks of `chains` chains of `size` each, the last one shorter.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { chainBlocks } from './chain-blocks.js'
 * assert.deepEqual(chainBlocks(5, 2), [{ begin: 0, end: 2 }, { begin: 2, end: 4 }, { begin: 4, end: 5 }])
 */
export const chainBlocks = (chains: number, size: number): ChainBlock[] =>
  Array.from({ length: Math.ceil(chains / size) }, (_v, i) => ({ begin: i * size, end: Math.min(chains, (i + 1) * size) }))
