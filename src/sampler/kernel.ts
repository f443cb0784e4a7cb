/**
 * Sampler kernels as data: blocks that update the state of every chain, and combinators that put them
 * together. A kernel is one step of a sampler; running it `steps` times is `sample`'s job.
 *
 * The state of a chain is its position x, a momentum p (zero until a block sets it), the energy E(x) and
 * gradient ∇E(x) (computed when a block needs them and the position has moved), and while a Metropolis
 * proposal is under way, the state before the move and the log proposal density of the forward move.
 *
 * Every kernel is plain, immutable, JSON-serialisable data; the reference runner and the native loop
 * both interpret the same value. Each block lives in its own file under blocks/, registered in the
 * tables of block.ts.
 *
 * @module
 */
export { type Kernel, type Instruction, isKernel, checkKernel, blockTypes } from './block.js'
export * from './blocks/index.js'
