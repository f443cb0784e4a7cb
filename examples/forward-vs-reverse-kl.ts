/**
 * Forward against reverse KL: one Gaussian q (free mean, diagonal variance) fitted to a target p with two
 * modes, by minimising each divergence exactly on a grid with train.gridKL.
 *
 * - forward, KL(p ‖ q): what maximum likelihood minimises. It punishes q for missing mass of p, so q spreads
 *   over both modes: mode covering (its mean and variance are p's, as far as the grid allows).
 * - reverse, KL(q ‖ p): what variational inference minimises. It punishes q for mass where p has none, so
 *   q settles in one mode, whichever is nearer its start: mode seeking.
 *
 * Run: npm run example examples/forward-vs-reverse-kl.ts
 */
import { energy, grid, ir, train } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const steps = quick ? 150 : 400

// q: a Gaussian with mean mu and diagonal precision exp(l).
const diagonal = energy.define({
  name: 'diagonalGaussian',
  shape: [2],
  params: { mu: { shape: [2], init: { kind: 'zeros' } }, l: { shape: [2], init: { kind: 'zeros' } } },
  build: (x, p) => ir.mul(ir.sum(ir.mul(ir.square(ir.sub(x, p.mu)), ir.exp(p.l)), 1), 0.5),
})
const spec = { bounds: [[-6, 6], [-6, 6]] as [number, number][], n: 80 }
const modes = [[-2, 0], [2, 0]]
const target = grid.evaluate(energy.gmm({ means: modes, sigma: 0.5 }), spec)

const moments = (g: grid.Grid) => {
  const m = [0, 1].map((a) => grid.expectation(g, (x) => x[a]))
  return { mean: m, variance: [0, 1].map((a) => grid.expectation(g, (x) => (x[a] - m[a]) ** 2)) }
}
const pair = (v: readonly number[]) => `(${v.map((x) => x.toFixed(3).padStart(6)).join(', ')})`

const p = moments(target)
console.log(`target p: modes at ${modes.map((m) => `(${m.join(', ')})`).join(' and ')}, σ = 0.5 each, on a ${spec.n} × ${spec.n} grid over [−6, 6]²`)
console.log(`p's mean ${pair(p.mean)}, variance ${pair(p.variance)}`)
console.log(`q = N(μ, diag(e^−l)) fitted by Adam (lr 0.05), ${steps} steps on the exact divergence and its gradient`)
console.log('fit                  from          mean μ             variance           KL(p‖q)   KL(q‖p)')
for (const [direction, start] of [['forward', [0.5, 0.3]], ['reverse', [0.5, 0.3]], ['reverse', [-0.5, 0.3]]] as const) {
  const { params } = train.gridKL(diagonal, target, { direction, optimizer: train.adam({ lr: 0.05 }), steps, params: { mu: start, l: [0, 0] } })
  const q = grid.evaluate(diagonal, { ...spec, params })
  const { mean, variance } = moments(q)
  console.log(`${direction.padEnd(8)} ${direction === 'forward' ? 'KL(p‖q)' : 'KL(q‖p)'}  ${pair(start)}  ${pair(mean)}  ${pair(variance)}  ${grid.kl(target, q).toFixed(3).padStart(7)}   ${grid.kl(q, target).toFixed(3).padStart(7)}`)
}
console.log('(q\'s mean and variance on the grid, where it is cut at the bounds as p is.) The forward fit has p\'s mean and')
console.log('variance: it covers both modes and the empty middle between them. Each reverse fit sits in the mode nearer')
console.log(`its start with that mode's variance σ² = 0.25; q equal to one of two equal, separated modes has KL(q‖p) = log 2 = ${Math.log(2).toFixed(3)}`)
