/**
 * The kit's arbitraries: every registered block has one, every kernel drawn is valid (through a JSON round
 * trip) and runs deterministically, exact kernels keep random targets, and counterexamples shrink small.
 */
import fc from 'fast-check'
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'
import * as testing from '../../src/testing/index.js'

t.test('every registered block has an arbitrary: for real coordinates in kernels(), for discrete units in discreteKernels()', async (t) => {
  const real = [...sampler.blockTypes({ domain: 'real' })].sort()
  t.same([...testing.kernelBlockTypes()].sort(), real, 'a new block needs an arbitrary in src/testing/arbitraries.ts')
  const seen = new Set(fc.sample(testing.kernels(), { seed: 1, numRuns: 300 }).map((k) => k.type))
  t.same([...seen].sort(), real)
  const discrete = [...new Set([...sampler.blockTypes({ domain: 'spins' }), ...sampler.blockTypes({ domain: 'binary' })])].sort()
  t.same([...testing.discreteBlockTypes()].sort(), discrete, 'a new discrete block needs an arbitrary in src/testing/arbitraries-discrete.ts')
  const square = fc.sample(testing.isingLattices(), { seed: 1, numRuns: 1 })[0]
  t.same([...new Set(fc.sample(testing.discreteKernels(square, 1.3), { seed: 1, numRuns: 300 }).map((k) => k.type))].sort(), discrete)
  t.same([...new Set([...real, ...discrete])].sort(), [...sampler.blockTypes()].sort(), 'every registered block is real or discrete')
})

t.test('discrete kernels drawn for random discrete energies run deterministically; the exact ones keep π to 1e-12', async (t) => {
  await fc.assert(
    fc.asyncProperty(testing.discreteEnergies(), testing.temperatures(), testing.seeds(), fc.integer({ min: 0, max: 1000 }), async (e, T, seed, pick) => {
      const [any] = fc.sample(testing.discreteKernels(e, T), { seed: pick, numRuns: 1 })
      const run = () => sampler.sample(e, any, { chains: 3, steps: 3, seed, backend: 'reference' })
      const [a, b] = [(await run()).positions, (await run()).positions]
      if (!a.every((v, i) => v === b[i])) throw new Error(`${JSON.stringify(any)} on ${e.name}: two runs of seed ${seed} differ`)
      const [exact] = fc.sample(testing.exactDiscreteKernels(e, T), { seed: pick, numRuns: 1 })
      const space = testing.finiteSpace(e)
      const error = testing.stationarityError(testing.exactTransitions(space, exact), testing.boltzmann(space, T))
      if (!(error < 1e-12)) throw new Error(`${JSON.stringify(exact)} on ${e.name}: |πP − π| = ${error}`)
    }),
    { seed: 7, numRuns: 40 },
  )
  t.pass('40 random discrete energies and kernels')
})

t.test("kernels drawn for random Gaussian–Bernoulli joints (domain 'mixed') are block Gibbs in compositions, deterministic, and native = reference", async (t) => {
  await fc.assert(
    fc.asyncProperty(testing.gaussianBipartiteModels(), testing.temperatures(), testing.seeds(), fc.integer({ min: 0, max: 1000 }), async (e, T, seed, pick) => {
      const [k] = fc.sample(testing.discreteKernels(e, T), { seed: pick, numRuns: 1 })
      if (!JSON.stringify(k).includes('"gibbs"')) throw new Error(`${JSON.stringify(k)}: no gibbs block`)
      testing.assertPassed(await testing.checkDeterminism(e, k, { seed, chains: 3, steps: 3, backend: 'reference' }))
      testing.assertPassed(await testing.checkParity(e, k, { seed, chains: 3, steps: 3 }))
    }),
    { seed: 8, numRuns: 30 },
  )
  t.pass('30 random Gaussian–Bernoulli joints and kernels')
})

t.test('exact discrete kernels as implemented pass checkInvariance (10 cases at a false-alarm rate of 0.1% each)', async (t) => {
  await fc.assert(
    fc.asyncProperty(testing.discreteEnergies(), testing.temperatures(), testing.seeds(), fc.integer({ min: 0, max: 1000 }), async (e, T, seed, pick) => {
      const [kernel] = fc.sample(testing.exactDiscreteKernels(e, T), { seed: pick, numRuns: 1 })
      // 1999 draws of the null (not the default 9999 at this level): exact all the same, five times cheaper
      testing.assertPassed(await testing.checkInvariance(e, kernel, { seed, replicas: 200, falseAlarm: 0.001, simulations: 1999, backend: 'reference' }))
    }),
    { seed: 8, numRuns: 10 },
  )
  t.pass('10 random discrete energies and kernels')
})

t.test('a discrete counterexample shrinks to the fewest units and zero couplings', async (t) => {
  // fails from 3 units on: shrinks to 3 units, every coupling and field 0
  const out = fc.check(fc.property(testing.boltzmannMachines(), (e) => e.shape[0] < 3), { seed: 9 })
  const [e] = out.counterexample ?? []
  t.equal(e?.shape[0], 3)
  t.same(e?.description, { name: 'boltzmann', weights: [[0, 0, 0], [0, 0, 0], [0, 0, 0]], bias: [0, 0, 0], domain: 'spins' })
})

t.test('every kernel drawn survives a JSON round trip through checkKernel and runs deterministically', async (t) => {
  const target = testing.gaussianTarget({ mean: [0, 0], temperature: 0.8 })
  await fc.assert(
    fc.asyncProperty(testing.kernels(), testing.seeds(), async (k, seed) => {
      t.strictSame(sampler.checkKernel(JSON.parse(JSON.stringify(k)), 'kernel'), k)
      testing.assertPassed(await testing.checkDeterminism(target, k, { seed, chains: 4, steps: 4, backend: 'reference' }))
    }),
    { seed: 2, numRuns: 40 },
  )
})

t.test('exact kernels keep random targets (10 cases at a false-alarm rate of 0.1% each)', async (t) => {
  const property = fc.asyncProperty(testing.targets(), testing.seeds(), fc.integer({ min: 0, max: 1000 }), async (target, seed, pick) => {
    const [kernel] = fc.sample(testing.exactKernels(target.temperature), { seed: pick, numRuns: 1 })
    testing.assertPassed(await testing.checkStationarity(target, kernel, { seed, chains: 300, falseAlarm: 0.001, permutations: 1999, jointSize: 100 }))
  })
  await fc.assert(property, { seed: 3, numRuns: 10 })
  t.pass('10 random targets and exact kernels')
})

t.test('target arbitraries draw finite exact draws of their dimension', async (t) => {
  fc.assert(
    fc.property(testing.targets({ dimension: { min: 1, max: 3 } }), testing.seeds(), (target, seed) => {
      const xs = target.draw(5, seed, 0)
      return xs.length === 5 * target.dimension && xs.every(Number.isFinite) && target.dimension >= 1 && target.dimension <= 3
    }),
    { seed: 4, numRuns: 60 },
  )
  t.ok(fc.sample(testing.spdMatrices(3), { seed: 5, numRuns: 20 }).every((P) => P.every((row, i) => row.every((v, j) => Math.abs(v - P[j][i]) < 1e-12))), 'symmetric')
})

t.test('a counterexample shrinks to the smallest dimension and round numbers', async (t) => {
  // a property that fails from D = 2 on: fast-check shrinks to D = 2, the mean to zeros, T to its lowest
  const out = fc.check(fc.property(testing.gaussianTargets(), (target) => target.dimension < 2), { seed: 6 })
  t.equal(out.failed, true)
  const [target] = out.counterexample ?? []
  t.equal(target?.dimension, 2)
  t.same((target?.energy.description as { mean: number[] }).mean, [0, 0])
  t.equal(target?.temperature, 0.3)
})
