/**
 * Data sets: the toy distributions of the field, and (later) pattern sets and loaders.
 *
 * @packageDocumentation
 */

export { toy, toyNames, type ToyName, eightGaussiansCentres, eightGaussiansLaw } from './toy.js'
export { toyDensity, toyDensityNames } from './density.js'
export { sensors, type SensorOptions, type SensorStream, type SensorDrift } from './sensors.js'
export { barsAndStripes } from './bars-and-stripes.js'
export { textImages, type TextImagesOptions } from './text-images.js'
