/**
 * Blocks one after the other, optionally named (the built-ins carry their names).
 *
 * @module
 */
import { string, typeError } from '../../check/index.js'
import { checkKernel, defineBlock, type Kernel } from '../block.js'

/** A sequence of blocks, with a name or null. */
export interface Sequence {
  readonly type: 'sequence'
  readonly name: string | null
  readonly blocks: readonly Kernel[]
}

declare module '../block.js' {
  interface Blocks {
    sequence: Sequence
  }
}

const block = defineBlock<Sequence>({
  type: 'sequence',
  check: (k, where, { inProposal }) => {
    if (!Array.isArray(k.blocks)) throw typeError(where.field('blocks'), 'an array of kernels', k.blocks)
    return Object.freeze({
      type: 'sequence' as const,
      name: k.name === null || k.name === undefined ? null : string(k.name, where.field('name')),
      blocks: Object.freeze(k.blocks.map((b: unknown, i) => checkKernel(b, where.field(`blocks[${i}]`), { inProposal }))),
    })
  },
  flatten: (k, f) => k.blocks.forEach(f.walk),
  leaves: (k) => k.blocks,
  domains: 'any',
})

/**
 * A named sequence (as `sequence`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { named, drift, noise } from '../kernel.js'
 * const ula = named('ula', [drift({ stepSize: 0.1 }), noise({ stepSize: 0.1 })])
 * assert.equal(ula.name, 'ula')
 * assert.throws(() => named('x', [drift({ stepSize: 0.1 }), 3 as never]), { message: /^sequence: blocks\[1\]: expected a sampler kernel/ })
 */
export const named = (name: string | null, blocks: readonly Kernel[]): Sequence => block.build({ type: 'sequence', name, blocks }, 'sequence')

/**
 * Blocks one after the other.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sequence, drift, noise } from '../kernel.js'
 * const ula = sequence(drift({ stepSize: 0.1 }), noise({ stepSize: 0.1 }))
 * assert.deepEqual(ula.blocks.map((b) => b.type), ['drift', 'noise'])
 */
export const sequence = (...blocks: readonly Kernel[]): Sequence => named(null, blocks)
