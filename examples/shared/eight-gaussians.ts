/**
 * The 8gaussians toy's own density, for the examples that compare a model with it (a helper, not an
 * example: spec/examples.spec.ts runs only the files of examples/ itself).
 */
import { energy } from '../../src/index.js'

/** The modes of 8gaussians: 4c/1.414 for the unit vectors c at multiples of 45°, each of σ = 0.5/1.414. */
export const eightGaussiansModes = Array.from({ length: 8 }, (_v, k) => [Math.cos((k * Math.PI) / 4), Math.sin((k * Math.PI) / 4)].map((c) => (4 * c) / 1.414))

/** The density of 8gaussians as an energy, −log p(x). */
export const eightGaussians = energy.gmm({ means: eightGaussiansModes, sigma: 0.5 / 1.414 })
