/**
 * Energies: the `Energy` value, combinators and the catalogue.
 *
 * @module
 */
export * from './energy.js'
