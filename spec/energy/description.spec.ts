import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as ir from '../../src/ir/index.js'
import * as energy from '../../src/energy/index.js'

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
    t.same(energy.evaluate(again, p, params), energy.evaluate(e, p, params), `${name}: same energies`)
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
