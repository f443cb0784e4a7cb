/**
 * The counter-based random number generator: Philox4x32-10 keyed by a seed and counted by (stream,
 * block), with uniforms in (0, 1) and Box–Muller normals computed the same way, bit for bit, as the native
 * executor. See docs/rng.md.
 *
 * @packageDocumentation
 */

export { type Counter, type Key, mulhi32, philox4x32, philox4x32Into, philox4x32Words, keyFromSeed, counterFor } from './philox.js'
export { log, exp, sincos2pi } from './math.js'
export { uniformFromWords, uniform, uniforms } from './uniform.js'
export { boxMuller, normal, normals } from './normal.js'
export { permutation } from './permutation.js'
export { reservoirSlot } from './reservoir.js'
export { streamSeed } from './seed.js'
