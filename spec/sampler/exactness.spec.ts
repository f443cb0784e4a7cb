/**
 * Exactness by enumeration: every discrete kernel's transition matrix on small spaces, computed from its
 * definition, leaves the Boltzmann distribution invariant (πP = π) and, where the kernel is reversible,
 * satisfies detailed balance, to 1e-12, over random small energies (fast-check); and the kernels as
 * implemented, run one step from every state, move as those matrices say (a χ² test on the counts, and
 * no move the matrix forbids).
 */
import fc from 'fast-check'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import { lattice } from '../../src/energy/ising.js'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon } from '../../src/sampler/native.js'
import * as testing from '../../src/testing/index.js'
import { boltzmann, chiSquare, detailedBalanceError, exactTransitions, finiteSpace, reversible, rowSumError, stationarityError, transitionCounts } from '../../src/testing/index.js'

// Random Boltzmann machines of 2 … 5 units, RBMs' joint energies, 2 × 2 Ising lattices (the kit's arbitraries).
const dense = testing.boltzmannMachines()
const bipartite = testing.bipartiteModels()
const ising = testing.isingLattices()
const temperature = fc.double({ min: 0.4, max: 3, noNaN: true })

// The kernels that apply to an energy, at temperature T.
const kernelsFor = (e: energy.Energy, T: number): sampler.Kernel[] => {
  const s = e.structure
  const flips = ['random', 'sequential'] as const
  const out: sampler.Kernel[] = flips.flatMap((order) => [sampler.heatBath({ temperature: T, order }), sampler.metropolisFlips({ temperature: T, order })])
  if (s?.kind === 'lattice') out.push(sampler.heatBath({ temperature: T, order: 'checkerboard' }), sampler.metropolisFlips({ temperature: T, order: 'checkerboard' }))
  if (s?.kind !== 'dense') out.push(sampler.gibbs({ temperature: T }))
  if (e.domain === 'spins') out.push(sampler.wolff({ temperature: T }))
  return out
}

t.test('every discrete kernel leaves π ∝ exp(−E/T) invariant to 1e-12, and the reversible ones satisfy detailed balance', async (t) => {
  let checked = 0
  fc.assert(
    fc.property(fc.oneof(dense, bipartite, ising), temperature, (e, T) => {
      const space = finiteSpace(e)
      const pi = boltzmann(space, T)
      for (const k of kernelsFor(e, T)) {
        const P = exactTransitions(space, k)
        const what = `${k.type} ${'order' in k ? k.order : ''} on ${e.name} (${e.domain}, ${space.units} units) at T = ${T}`
        if (!(rowSumError(P, space.size) < 1e-12)) throw new Error(`${what}: rows sum to 1 ± ${rowSumError(P, space.size)}`)
        if (!(stationarityError(P, pi) < 1e-12)) throw new Error(`${what}: |πP − π| = ${stationarityError(P, pi)}`)
        if (reversible(k) && !(detailedBalanceError(P, pi) < 1e-12)) throw new Error(`${what}: detailed balance off by ${detailedBalanceError(P, pi)}`)
        checked++
      }
    }),
    { seed: 14, numRuns: 60 },
  )
  t.ok(checked > 300, `${checked} kernels on random energies`)
})

t.test('the checks see a broken kernel: a heat bath at T/2 is not stationary at T, a sequential sweep not reversible', async (t) => {
  const e = energy.boltzmann({ weights: [[0, 0.7, -0.4], [0.7, 0, 0.9], [-0.4, 0.9, 0]], bias: [0.2, -0.5, 0.1] })
  const space = finiteSpace(e)
  const pi = boltzmann(space, 1.7)
  t.ok(stationarityError(exactTransitions(space, sampler.heatBath({ temperature: 0.85 })), pi) > 1e-3)
  t.ok(detailedBalanceError(exactTransitions(space, sampler.heatBath({ temperature: 1.7, order: 'sequential' })), pi) > 1e-3)
})

t.test('zero-temperature descent never raises the energy, and its fixed points are single-flip minima', async (t) => {
  fc.assert(
    fc.property(fc.oneof(dense, bipartite, ising), fc.constantFrom('random' as const, 'sequential' as const, 'synchronous' as const), (e, order) => {
      const space = finiteSpace(e)
      const n = space.size
      const P = exactTransitions(space, sampler.descent({ order }))
      for (let i = 0; i < n; i++) {
        if (order === 'synchronous') continue
        for (let j = 0; j < n; j++) {
          if (P[i * n + j] > 0 && space.energies[j] > space.energies[i]) throw new Error(`${order} descent raised E from ${space.energies[i]} to ${space.energies[j]}`)
        }
        // A state is fixed exactly when no single flip lowers its energy.
        const lower = Array.from({ length: space.units }, (_v, u) => space.energies[i ^ (1 << u)] < space.energies[i]).some(Boolean)
        if ((P[i * n + i] === 1) === lower) throw new Error(`${order} descent: state ${i} ${lower ? 'fixed though a flip lowers E' : 'moves though no flip lowers E'}`)
      }
    }),
    { seed: 15, numRuns: 40 },
  )
  t.pass('no asynchronous update raised the energy; the fixed points are the single-flip minima')
})

// The implementation against the definition: one step from each of the 2^D states, `replicas` chains
// each. Pearson's χ² over the allowed cells has mean df and sd √(2·df): it must stay below df + 4·√(2·df).
const backends = samplerAddon().addon === undefined ? (['reference'] as const) : (['reference', 'native'] as const)
const implemented: [string, energy.Energy, sampler.Kernel][] = (() => {
  const bm = energy.boltzmann({ weights: [[0, 0.6, -0.9, 0.3], [0.6, 0, 0.5, -0.2], [-0.9, 0.5, 0, 0.8], [0.3, -0.2, 0.8, 0]], bias: [0.3, -0.4, 0.1, 0.5] })
  // (no unit's gain is 0 in any state: descent's tie would hang on the rounding of E's differences)
  const bits = energy.boltzmann({ weights: [[0, 1.1, -0.7], [1.1, 0, 0.4], [-0.7, 0.4, 0]], bias: [-0.5, 0.2, 0.35], domain: 'binary' })
  const rbm = energy.bipartite({ weights: [[0.8, -1.2], [0.5, 0.9]], visibleBias: [0.2, -0.3], hiddenBias: [-0.1, 0.4] })
  const square = lattice({ size: 2, coupling: 0.45, field: 0.2 })
  const T = 1.6
  return [
    ['heat bath, random order, local fields', bm, sampler.heatBath({ temperature: T })],
    ['heat bath, sequential, energy differences', bits, sampler.heatBath({ temperature: T, order: 'sequential', via: 'differences' })],
    ['Metropolis flips, random order, energy differences', bm, sampler.metropolisFlips({ temperature: T, via: 'differences' })],
    ['Metropolis flips, sequential, local fields', bits, sampler.metropolisFlips({ temperature: T, order: 'sequential' })],
    ['Metropolis flips, checkerboard', square, sampler.metropolisFlips({ temperature: T, order: 'checkerboard' })],
    ['heat bath, checkerboard', square, sampler.heatBath({ temperature: T, order: 'checkerboard' })],
    ['block Gibbs h | v then v | h', rbm, sampler.gibbs({ temperature: T })],
    ['block Gibbs v | h alone', rbm, sampler.gibbs({ temperature: T, classes: ['visible'] })],
    ['Wolff on a dense spin model', bm, sampler.wolff({ temperature: T })],
    ['Wolff on a lattice with a field', square, sampler.wolff({ temperature: T })],
    ['descent, random order', bm, sampler.descent()],
    ['descent, synchronous', bits, sampler.descent({ order: 'synchronous' })],
  ]
})()

for (const backend of backends) {
  t.test(`the kernels as implemented (${backend}) move as their exact matrices say`, async (t) => {
    const replicas = 2000
    for (const [name, e, k] of implemented) {
      const space = finiteSpace(e)
      const P = exactTransitions(space, k)
      const counts = await transitionCounts(e, k, space, { replicas, seed: 77, backend })
      const { statistic, df, impossible } = chiSquare(counts, P, space.size, replicas)
      t.equal(impossible, 0, `${name}: no move the matrix forbids`)
      t.ok(statistic <= df + 4 * Math.sqrt(2 * df), `${name}: χ² = ${statistic.toFixed(1)} on ${df} degrees of freedom`)
    }
  })
}
