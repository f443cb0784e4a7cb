/**
 * The 8gaussians toy's modes, for the examples that compare a model with them (a helper, not an example:
 * spec/examples.spec.ts runs only the files of examples/ itself). Its density is data.toyDensity('8gaussians').
 */
import { data } from '../../src/index.js'

/** The modes of 8gaussians: 4c/1.414 for the unit vectors c at multiples of 45°. */
export const eightGaussiansModes = data.eightGaussiansCentres.map(([x, y]) => [data.eightGaussiansLaw.radius * x, data.eightGaussiansLaw.radius * y])

/** The density of 8gaussians as an energy, −log p(x). */
export const eightGaussians = data.toyDensity('8gaussians')
