// The discrete blocks' native handlers against their reference steps: the same draws decide the same
// flips, so positions, kept draws and every snapshot's statistics (acceptance rates included) are equal
// bit for bit, for each rule, order and way of computing a unit's gain. (The exactness spec checks each
// backend against the kernels' exact matrices; this one checks that the two backends are one kernel.)
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import { lattice } from '../../src/energy/ising.js'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon } from '../../src/sampler/native.js'

const T = 1.7
const square = lattice({ size: 6, coupling: 0.45, field: 0.15 })
const spins = energy.boltzmann({
  weights: [
    [0, 0.6, -0.9, 0.3, 0.2],
    [0.6, 0, 0.5, -0.2, -0.4],
    [-0.9, 0.5, 0, 0.8, 0.1],
    [0.3, -0.2, 0.8, 0, 0.7],
    [0.2, -0.4, 0.1, 0.7, 0],
  ],
  bias: [0.3, -0.4, 0.1, 0.5, -0.2],
})
const bits = energy.boltzmann({ weights: [[0, 1.1, -0.7], [1.1, 0, 0.4], [-0.7, 0.4, 0]], bias: [-0.5, 0.2, 0.35], domain: 'binary' })
const rbm = energy.bipartite({ weights: [[0.8, -1.2, 0.3], [0.5, 0.9, -0.6]], visibleBias: [0.2, -0.3], hiddenBias: [-0.1, 0.4, 0.25] })

const cases: [string, energy.Energy, sampler.Kernel][] = [
  ['heat bath, random order', spins, sampler.heatBath({ temperature: T })],
  ['heat bath, sequential, energy differences', bits, sampler.heatBath({ temperature: T, order: 'sequential', via: 'differences' })],
  ['heat bath, checkerboard', square, sampler.heatBath({ temperature: T, order: 'checkerboard' })],
  ['Metropolis flips, random order, energy differences', spins, sampler.metropolisFlips({ temperature: T, via: 'differences' })],
  ['Metropolis flips, sequential', bits, sampler.metropolisFlips({ temperature: T, order: 'sequential' })],
  ['Metropolis flips, checkerboard', square, sampler.metropolisFlips({ temperature: T, order: 'checkerboard' })],
  ['block Gibbs', rbm, sampler.gibbs({ temperature: T })],
  ['Wolff on a lattice with a field', square, sampler.wolff({ temperature: T })],
  ['Wolff on a dense spin model', spins, sampler.wolff({ temperature: T })],
  ['descent, synchronous', bits, sampler.descent({ order: 'synchronous' })],
]

t.test('every discrete kernel gives the same bits on the native loop as on the reference', { skip: samplerAddon().addon === undefined && 'the native addon is not built' }, async (t) => {
  for (const [name, e, k] of cases) {
    const run = (backend: 'reference' | 'native') => sampler.sample(e, k, { chains: 24, steps: 15, seed: 31, backend, keep: 'draws', thin: 5 })
    const [reference, native] = [await run('reference'), await run('native')]
    t.strictSame(native.positions, reference.positions, `${name}: positions`)
    t.strictSame(native.draws, reference.draws, `${name}: kept draws`)
    t.strictSame(native.trace, reference.trace, `${name}: every snapshot's statistics`)
    t.strictSame(native.statistics, reference.statistics, `${name}: the run's statistics`)
  }
})
