/**
 * Forward against reverse KL, fitting one Gaussian (full precision) to two well-separated modes on a
 * grid: KL(p‖q), what maximum likelihood minimises, covers both modes (its optimum matches p's moments:
 * mean between the modes, variance along their axis that of p on the grid, beyond half their distance
 * squared), while
 * KL(q‖p) settles in one mode (mean within 0.1 of its centre).
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'
import * as train from '../../src/train/index.js'
import { fullGaussian, inverse } from './fixtures.js'

const spec = { bounds: [[-6, 6], [-6, 6]] as [number, number][], n: 80 }
const target = grid.tabulate(energy.gmm({ means: [[-2, 0], [2, 0]], sigma: 0.5 }), spec)
const start = { A: [1, 0, 0, 1], mu: [0.5, 0.3] }
const fitted = (direction: 'forward' | 'reverse') => train.gridKL(fullGaussian(2), target, { direction, optimizer: train.adam({ lr: 0.05 }), steps: 600, params: start })
const secondMoment = (g: grid.Grid, axis: number) => {
  let s = 0
  for (let k = 0; k < g.density.length; k++) s += g.density[k] * g.centres[axis][axis === 0 ? Math.floor(k / g.n) : k % g.n] ** 2
  return s * g.cellVolume
}
const covariance = (A: Float64Array) => inverse([[A[0], (A[1] + A[2]) / 2], [(A[1] + A[2]) / 2, A[3]]])

t.test('the forward KL covers both modes: mean between them, variance beyond their spread', async (t) => {
  const { params, losses } = fitted('forward')
  const S = covariance(params.A)
  t.ok(Math.hypot(params.mu[0], params.mu[1]) < 0.05, `mean ${[...params.mu]}`)
  t.ok(S[0][0] > 4, `variance along the modes' axis ${S[0][0]} (moment matching: 4.25)`)
  // On the grid q is a truncated Gaussian, so it matches p's second moments there (4 + σ² less what the
  // bounds cut), not S's.
  const q = grid.tabulate(fullGaussian(2), { ...spec, params: { A: params.A, mu: params.mu } })
  for (const axis of [0, 1]) {
    const [vp, vq] = [secondMoment(target, axis), secondMoment(q, axis)]
    t.ok(Math.abs(vp - vq) < 1e-4, `E[x${axis}²]: model ${vq} vs target ${vp}`)
  }
  t.ok(losses[losses.length - 1] < losses[0], 'the divergence fell')
})

t.test('the reverse KL sits in one mode: mean within 0.1 of its centre', async (t) => {
  const { params } = fitted('reverse')
  const S = covariance(params.A)
  t.ok(Math.abs(Math.abs(params.mu[0]) - 2) < 0.1 && Math.abs(params.mu[1]) < 0.1, `mean ${[...params.mu]}`)
  t.ok(S[0][0] < 1, `variance along the axis ${S[0][0]}: one mode's, not both`)
})

t.test('gridKL refuses what it cannot fit', async (t) => {
  const holes = grid.histogram([[0, 0], [1, 1]], spec)
  t.throws(() => train.gridKL(fullGaussian(2), holes, { direction: 'reverse', optimizer: train.sgd({ lr: 0.1 }), steps: 1 }), { message: /train.gridKL: target: expected a density > 0 on every cell for the reverse KL, got "0 at cell 0"/ })
  t.throws(() => train.gridKL(energy.quadratic({ center: [0] }), target, { direction: 'forward', optimizer: train.sgd({ lr: 0.1 }), steps: 1 }), { message: /train.gridKL: energy 'quadratic': expected shape \[2\] for a grid of 2 axes/ })
  t.throws(() => train.gridKL(fullGaussian(2), target, { direction: 'sideways' as 'forward', optimizer: train.sgd({ lr: 0.1 }), steps: 1 }), { message: 'train.gridKL: direction: expected one of "forward", "reverse", got "sideways"' })
  // A histogram target with empty cells is fine for the forward KL: they add nothing.
  t.ok(train.gridKL(fullGaussian(2), holes, { direction: 'forward', optimizer: train.sgd({ lr: 0.01 }), steps: 2 }).losses.every(Number.isFinite))
})
