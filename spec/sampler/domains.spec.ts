/**
 * Domains: a kernel is refused on an energy whose domain its blocks do not sample, naming the block and
 * the domain; initial states and couplings are checked against the energy; structures against its size.
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import { lattice } from '../../src/energy/ising.js'
import * as sampler from '../../src/sampler/index.js'

const spins = energy.boltzmann({ weights: [[0, 0.5], [0.5, 0]], bias: [0.1, -0.2] })
const bits = energy.bipartite({ weights: [[0.3, -0.4]] })
const square = lattice({ size: 4, coupling: 0.9 })
const run = (e: energy.Energy, k: sampler.Kernel, o: Partial<sampler.SampleOptions> = {}) => sampler.sample(e, k, { chains: 2, steps: 1, seed: 3, backend: 'reference', ...o })

t.test('a gradient kernel on spins, and a flip kernel on real numbers, are refused naming the block and the domain', async (t) => {
  await t.rejects(run(spins, sampler.ula({ stepSize: 0.1 })), { name: 'RangeError', message: /^sample: kernel \(drift\): expected a block that flips binary units or spins for energy 'boltzmann' of domain 'spins' \(heatBath, metropolisFlips, gibbs, descent, wolff\), got "drift"$/ })
  await t.rejects(run(bits, sampler.hmc({ stepSize: 0.1, leapfrogSteps: 3 })), { name: 'RangeError', message: /^sample: kernel \(\w+\): expected a block that flips binary units or spins for energy 'bipartite' of domain 'binary'/ })
  await t.rejects(run(energy.doubleWell(), sampler.heatBath({ temperature: 2 })), { name: 'RangeError', message: /^sample: kernel \(heatBath\): expected a block that moves real coordinates for energy 'doubleWell' of domain 'real' \(drift, .*\), got "heatBath"$/ })
  await t.rejects(run(energy.doubleWell(), sampler.sequence(sampler.drift({ stepSize: 0.1 }), sampler.wolff())), { name: 'RangeError', message: /^sample: kernel \(wolff\)/ })
})

t.test('blocks that need a structure, spins or a lattice say so', async (t) => {
  await t.rejects(run(bits, sampler.wolff({ temperature: 1.5 })), { message: /^sample: kernel \(wolff\): expected a block that flips binary units or spins for energy 'bipartite' of domain 'binary' \(heatBath, metropolisFlips, gibbs, descent\)/ })
  await t.rejects(run(spins, sampler.gibbs()), { name: 'RangeError', message: "gibbs: energy: expected a bipartite model or a lattice of even sides (whose units fall into two classes of non-interacting units), got \"energy 'boltzmann'\"" })
  await t.rejects(run(bits, sampler.gibbs({ classes: ['even'] })), { name: 'RangeError', message: 'gibbs: classes[0]: expected one of the energy\'s colour classes (visible, hidden), got "even"' })
  await t.rejects(run(lattice({ size: 3 }), sampler.metropolisFlips({ order: 'checkerboard' })), { name: 'RangeError', message: /^metropolisFlips: order 'checkerboard': expected a lattice of even sides .*, got "a 3 × 3 lattice"$/ })
  await t.rejects(run(square, sampler.heatBath({ order: 'checkerboard', via: 'differences' })), { name: 'RangeError', message: /^heatBath: via: expected 'fields' or 'auto' with order 'checkerboard'/ })
  const plain = energy.define({ name: 'xor', shape: [2], domain: 'binary', build: (x) => ir.square(ir.sub(ir.sum(x, 1), 1)) })
  await t.rejects(run(plain, sampler.heatBath({ via: 'fields' })), { name: 'RangeError', message: /^heatBath: via 'fields': expected an energy with a quadratic structure .*, got "energy 'xor' without one"$/ })
  t.ok((await run(plain, sampler.heatBath({ temperature: 0.7 }))).positions.every((v) => v === 0 || v === 1), 'energy differences for an energy without a structure')
})

t.test('initial states outside the domain, and couplings that are not symmetric, are refused', async (t) => {
  await t.rejects(run(spins, sampler.heatBath(), { init: [1, -1, 1, 0] }), { name: 'RangeError', message: "sample: init[3]: expected a spin (−1 or +1) for energy 'boltzmann' (domain 'spins'), got 0" })
  await t.rejects(run(bits, sampler.gibbs(), { init: [1, 0, 1, -1, 0, 1] }), { name: 'RangeError', message: "sample: init[3]: expected a binary unit (0 or 1) for energy 'bipartite' (domain 'binary'), got -1" })
  await t.rejects(run(spins, sampler.heatBath(), { init: [1, NaN, 1, 1] }), { name: 'RangeError', message: /^sample: init\[1\]: expected a (finite )?number, got NaN|^sample: init\[1\]: expected a spin/ })
  await t.rejects(run(spins, sampler.heatBath(), { params: { W: [0, 0.5, 0.4, 0], b: [0, 0] } }), { name: 'RangeError', message: 'sample: params.W[1][0]: expected a symmetric matrix with a zero diagonal ([0][1] is 0.5), got 0.4' })
  const defaults = await run(square, sampler.heatBath({ temperature: 0.01 }), { chains: 1 })
  t.ok(defaults.positions.every((v) => v === 1), 'spins start all up by default (and stay there when cold)')
})

t.test('a runner refuses a state or couplings written out of the domain between runs', async (t) => {
  const r = sampler.runner(spins, sampler.heatBath({ temperature: 1.3 }), { chains: 2, backend: 'reference' })
  await r.run({ seed: 1, from: 0, to: 1 })
  r.state.position[2] = 0.5
  await t.rejects(r.run({ seed: 1, from: 1, to: 2 }), { name: 'RangeError', message: "run: state.position[2]: expected a spin (−1 or +1) for energy 'boltzmann' (domain 'spins'), got 0.5" })
  r.state.position[2] = 1
  r.params.W[1] = 2
  await t.rejects(r.run({ seed: 1, from: 1, to: 2 }), { name: 'RangeError', message: 'run: params.W[1][0]: expected a symmetric matrix with a zero diagonal ([0][1] is 2), got 0.5' })
  const fresh = sampler.runner(spins, sampler.heatBath({ temperature: 1.3 }), { chains: 2, backend: 'reference' })
  await fresh.run({ seed: 1, from: 0, to: 1 })
  fresh.params.W[1] = 2
  for (const time of ['once', 'and again at the next run: a refused change is not forgotten']) {
    await t.rejects(fresh.run({ seed: 1, from: 1, to: 2 }), { name: 'RangeError', message: /^run: params.W\[1\]\[0\]: expected a symmetric matrix/ }, time)
  }
})

t.test('a structure is checked against the energy it describes', async (t) => {
  const build = (x: ir.Expr) => ir.sum(x, 1)
  t.throws(() => energy.define({ name: 'bad', shape: [3], domain: 'spins', structure: { kind: 'lattice', rows: 2, columns: 2, coupling: 1, field: 0 } as never, build }), { name: 'RangeError', message: "energy.define('bad'): structure (units): expected 3 units (the energy's size), got 4" })
  t.throws(() => energy.define({ name: 'bad', shape: [2], structure: { kind: 'dense', weights: 'W', bias: 'b' } as never, build }), { name: 'RangeError', message: /^energy.define\('bad'\): structure: expected an energy of domain 'binary', 'spins' or 'mixed'/ })
  t.throws(() => energy.define({ name: 'bad', shape: [2], domain: 'spins', params: { W: { shape: [2, 3], init: { kind: 'zeros' } }, b: { shape: [2], init: { kind: 'zeros' } } }, structure: { kind: 'dense', weights: 'W', bias: 'b' } as never, build }), { name: 'RangeError', message: "energy.define('bad'): structure.weights: expected a parameter of shape [2,2], got \"'W' of shape [2,3]\"" })
  t.throws(() => energy.define({ name: 'bad', shape: [2], domain: 'ternary' as never, build }), { name: 'RangeError', message: "energy.define('bad'): domain: expected one of \"real\", \"binary\", \"spins\", \"mixed\", got \"ternary\"" })
  t.throws(() => energy.sum(spins, energy.gaussian({ mean: [0, 0] })), { name: 'RangeError', message: "energy.sum: energies[1]: expected an energy of domain 'spins' (as energies[0]), got \"domain 'real'\"" })
  t.throws(() => energy.shift([1, 1])(spins), { name: 'RangeError', message: /^energy.shift: energy: expected an energy of domain 'real'/ })
  t.equal(energy.temper(2)(spins).structure?.scale, 0.5, 'temper divides the structure as it divides the energy')
})
