/**
 * Data sets: the toy distributions of the field, and (later) pattern sets and loaders.
 *
 * @packageDocumentation
 */

export { toy, toyNames, type ToyName } from './toy.js'
