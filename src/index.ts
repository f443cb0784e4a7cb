/**
 * heatbath: energy-based models as a functional, reactive pipeline.
 *
 * The package root assembles one namespace per concept.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { ir, energy, sampler, diagnostics } from 'heatbath'
 * const x = ir.input('x', [2])
 * assert.deepEqual(x.shape, [2])
 * assert.equal(typeof energy.doubleWell, 'function')
 * assert.equal(typeof sampler.mala, 'function')
 * assert.equal(typeof diagnostics.rhat, 'function')
 *
 * @packageDocumentation
 */
export * as ir from './backend/ir.js'

/** The package version. */
export const version = '0.1.0'
export * as energy from './energy/index.js'
export * as rng from './rng/index.js'
export * as data from './data/index.js'
export * as diagnostics from './diagnostics/index.js'
export * as stream from './stream/index.js'
export * as sampler from './sampler/index.js'
export { sample } from './sampler/index.js'
export { sample$ } from './stream/index.js'
export * as grid from './energy/grid.js'
export * as io from './io/index.js'
export * as train from './train/index.js'
export * as viz from './viz/index.js'
export * as ising from './diagnostics/ising.js'
export * as hopfield from './hopfield/index.js'
export * as rbm from './rbm/index.js'
