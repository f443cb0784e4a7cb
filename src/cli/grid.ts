/**
 * A model's density on a 2-D grid, from energies evaluated on a backend: `grid.tabulate` runs the
 * reference executor, seconds for an MLP on a 200 × 200 grid; natively it takes milliseconds, so the demo
 * can measure the grid KL every few hundred steps.
 *
 * @module
 */
import * as grid from '../energy/grid.js'
import type { Energy, Params } from '../energy/index.js'
import { energiesOf, type EvaluateOptions } from './energies.js'

/** The cell centres of a grid as row-major points, cell (i, j) at entry i·n + j as grid.tabulate orders them. */
const cellsOf = (g: grid.Grid): Float64Array => {
  const { n, centres } = g
  const x = new Float64Array(n * n * 2)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) x.set([centres[0][i], centres[1][j]], 2 * (i * n + j))
  return x
}

/**
 * The density exp(−E)/Z of `energies` at the cells of `like` (a grid of the same bounds and n), normalised
 * on the grid as grid.tabulate does.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energy, grid } from 'heatbath'
 * import { densityOn } from './grid.js'
 * const like = grid.tabulate(energy.gaussian({ mean: [0.5, -0.5] }), { bounds: [[-4, 4], [-4, 4]], n: 40 })
 * const g = densityOn(like, like.energies!)
 * assert.ok(Math.abs(g.logZ! - like.logZ!) < 1e-12)
 * assert.ok(grid.kl(like, g) < 1e-12)
 */
export const densityOn = (like: grid.Grid, energies: Float64Array): grid.Grid => {
  let top = -Infinity
  for (const v of energies) top = Math.max(top, -v)
  let sum = 0
  for (const v of energies) sum += Math.exp(-v - top)
  const logZ = top + Math.log(sum) + Math.log(like.cellVolume)
  const logDensity = energies.map((v) => -v - logZ)
  return { bounds: like.bounds, n: like.n, centres: like.centres, cellVolume: like.cellVolume, logDensity, density: logDensity.map(Math.exp), logZ, energies }
}

/**
 * A function from parameters to the model's density on the cells of `like`, its energies evaluated on a
 * backend with the tape compiled once.
 */
export const densityOf = (e: Energy, like: grid.Grid, options: EvaluateOptions): ((params: Params) => grid.Grid) => {
  const cells = cellsOf(like)
  const energiesAt = energiesOf(e, options)
  return (params) => densityOn(like, energiesAt(cells, params))
}
