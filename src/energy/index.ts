/**
 * Energies: the `Energy` value, initialisation, evaluation, combinators and the catalogue (analytic and
 * neural), and rebuilding from descriptions. Grid evaluation is the `grid` namespace.
 *
 * @module
 */
export * from './energy.js'
export { init, parameterStream } from './init.js'
export { energyAt, gradientAt, energyAndGradientAt, gradientOnlyTape, gradientTape, type Points, type AtOptions } from './points.js'
export * from './analytic.js'
export * from './combinators.js'
export * from './neural.js'
export { fromDescription } from './description.js'
export { boltzmann, bipartite, gaussianBipartite, type BoltzmannOptions, type BipartiteOptions, type GaussianBipartiteOptions } from './discrete.js'
export * as structure from './structure.js'
