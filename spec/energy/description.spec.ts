import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as ir from '../../src/ir/index.js'
import * as energy from '../../src/energy/index.js'
import * as rbm from '../../src/rbm/index.js'
import * as hopfield from '../../src/hopfield/index.js'

const cases: [string, energy.Energy][] = [
  ['quadratic', energy.quadratic({ center: [1, 2] })],
  ['gaussian', energy.gaussian({ mean: [0, 1], precision: [[2, 0.3], [0.3, 1]] })],
  ['gmm', energy.gmm({ means: [[0, 0], [1, 1]], sigma: 0.5, weights: [1, 3] })],
  ['doubleWell', energy.doubleWell({ a: 2, dim: 2 })],
  ['rosenbrock', energy.rosenbrock({ b: 5 })],
  ['rastrigin', energy.rastrigin({ A: 3 })],
  ['funnel', energy.funnel({ dim: 2 })],
  ['mlp', energy.mlp({ widths: [2, 4, 1], activation: 'tanh', spectralNorm: true, seed: 1 })],
  ['classifier', energy.classifier(energy.network({ widths: [2, 4, 3], seed: 2 }), { label: 1 })],
  ['rbm.bernoulli', rbm.bernoulli({ visible: 2, hidden: 3, seed: 4, std: 0.5 })],
  ['rbm.gaussianBernoulli', rbm.gaussianBernoulli({ visible: 2, hidden: 3, sigma: 0.7, seed: 5, std: 0.3 })],
  ['gaussianBipartite', energy.gaussianBipartite({ weights: [[0.5]], visibleBias: [1], hiddenBias: [-1], sigma: 1.5 })],
  ['hopfield (Storkey)', hopfield.store([[1, -1], [1, 1]], { rule: 'storkey' })],
  ['hopfield.modern', hopfield.modern([[1, 0.5], [-2, 1], [0.25, 3]], { beta: 2 })],
  ['combinators', energy.mixture([pipe(energy.sum(energy.doubleWell({ dim: 2 }), energy.rastrigin()), energy.temper(2), energy.scale(0.5)), pipe(energy.gaussian({ mean: [0, 0, 1] }), energy.condition({ indices: [1], values: [0.5] }), energy.shift([1, 1]))], [1, 2])],
]

t.test('fromDescription rebuilds catalogue energies and combinations from JSON', async (t) => {
  const points = [[0.3, -0.7], [1.2, 0.4]]
  for (const [name, e] of cases) {
    const again = energy.fromDescription(JSON.parse(JSON.stringify(e.description)))
    t.same(again.description, e.description, `${name}: same description`)
    t.same(Object.keys(again.params).sort(), Object.keys(e.params).sort(), `${name}: same parameters`)
    t.same(again.seed, e.seed, `${name}: same seed`)
    const params = energy.init(e, 1)
    const p = points.map((r) => r.slice(0, ir.size(e.shape)))
    t.same(energy.energyAt(again, p, params), energy.energyAt(e, p, params), `${name}: same energies`)
  }
})

t.test('fromDescription says why an energy cannot be rebuilt', async (t) => {
  const custom = energy.define({ shape: [1], build: (x) => ir.sum(ir.square(x), 1) })
  t.throws(() => energy.fromDescription(custom.description), { name: 'RangeError', message: 'energy.fromDescription: description.name: expected the name of a catalogue energy or combinator (energies written with energy.define cannot be rebuilt from JSON: pass the energy value), got "custom"' })
  t.throws(() => energy.fromDescription({ name: 'temper', T: 1, of: { name: 'nope' } }), { name: 'RangeError', message: 'energy.fromDescription: description.of.name: expected the name of a catalogue energy or combinator (energies written with energy.define cannot be rebuilt from JSON: pass the energy value), got "nope"' })
  t.throws(() => energy.fromDescription({ name: 'temper', T: -1, of: { name: 'doubleWell' } }), { name: 'RangeError', message: 'energy.temper: T: expected a positive number, got -1' })
  t.throws(() => energy.fromDescription({ name: 'gaussian', mean: [0, null] }), { name: 'TypeError', message: 'energy.gaussian: mean[1]: expected a number, got null' })
  t.throws(() => energy.fromDescription(3), { name: 'TypeError', message: 'energy.fromDescription: description: expected an object with a string \'name\', got 3' })
})

t.test('a rebuilt RBM draws the same initial parameters (its seed and std are in its description); a rebuilt modern Hopfield network starts from zeros', async (t) => {
  const e = rbm.gaussianBernoulli({ visible: 3, hidden: 2, sigma: 0.5, seed: 7, std: 0.2 })
  t.same(energy.init(energy.fromDescription(JSON.parse(JSON.stringify(e.description)))), energy.init(e))
  const m = hopfield.modern([[1, 2]], { beta: 0.5 })
  t.same([...energy.init(energy.fromDescription(JSON.parse(JSON.stringify(m.description)))).X], [0, 0])
  const h = hopfield.store([[1, -1, 1], [-1, -1, 1]])
  t.same(energy.init(energy.fromDescription(JSON.parse(JSON.stringify(h.description)))), energy.init(h), 'a classic one is its patterns: its couplings again')
})

t.test("fromDescription names a bad RBM or Hopfield description's field", async (t) => {
  t.throws(() => energy.fromDescription({ name: 'rbm.bernoulli', units: 'gaussianBernoulli', visible: 2, hidden: 2 }), { name: 'RangeError', message: 'energy.fromDescription: description.units: expected "bernoulli" (as the name rbm.bernoulli says), got "gaussianBernoulli"' })
  t.throws(() => energy.fromDescription({ name: 'rbm.bernoulli', visible: 2, hidden: 2, sigma: 2 }), { name: 'RangeError', message: "energy.fromDescription: description.sigma: expected 1 (a Bernoulli RBM's visible units have no σ), got 2" })
  t.throws(() => energy.fromDescription({ name: 'rbm.gaussianBernoulli', visible: 2, hidden: 2, sigma: -1 }), { name: 'RangeError', message: 'rbm.gaussianBernoulli: sigma: expected a positive number, got -1' })
  t.throws(() => energy.fromDescription({ name: 'hopfield', rule: 'oja', patterns: [[1, -1]] }), { name: 'RangeError', message: 'hopfield.store: rule: expected one of "hebb", "storkey", got "oja"' })
  t.throws(() => energy.fromDescription({ name: 'hopfield', rule: 'hebb', patterns: [[1, 0]] }), { name: 'RangeError', message: 'hopfield.store: patterns[0][1]: expected a spin (−1 or +1), got 0' })
  t.throws(() => energy.fromDescription({ name: 'hopfield.modern', beta: 1, count: 0, dimension: 2, largestSquaredNorm: 1 }), { name: 'RangeError', message: 'energy.fromDescription: description.count: expected an integer ≥ 1, got 0' })
})
