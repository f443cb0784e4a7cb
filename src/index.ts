/**
 * heatbath: energy-based models as a functional, reactive pipeline.
 *
 * The package root assembles one namespace per concept.
 *
 * @packageDocumentation
 */
export const version = '0.1.0'
export * as rng from './rng/index.js'
export * as data from './data/index.js'
