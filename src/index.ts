/**
 * heatbath: energy-based models as a functional, reactive pipeline.
 *
 * The package root assembles one namespace per concept.
 *
 * @packageDocumentation
 */
export const version = '0.1.0'
export * as diagnostics from './diagnostics/index.js'
export * as stream from './stream/index.js'
