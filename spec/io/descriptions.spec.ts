/**
 * Saved RBMs and Hopfield networks load without their constructors: io.load rebuilds them from the
 * file's description, which is decoded field by field first (a bad field is named).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as hopfield from '../../src/hopfield/index.js'
import * as io from '../../src/io/index.js'
import * as rbm from '../../src/rbm/index.js'

const dir = mkdtempSync(join(tmpdir(), 'heatbath-descriptions-'))

const saved: [string, energy.Energy, number[][]][] = [
  ['rbm.bernoulli', rbm.bernoulli({ visible: 3, hidden: 2, seed: 2 }), [[1, 0, 1], [0, 0, 1]]],
  ['rbm.gaussianBernoulli', rbm.gaussianBernoulli({ visible: 2, hidden: 4, sigma: 0.5, seed: 3 }), [[0.3, -1.2], [2, 0.5]]],
  ['hopfield', hopfield.store([[1, -1, 1, -1], [1, 1, -1, -1]], { rule: 'storkey' }), [[1, -1, 1, 1], [-1, 1, 1, -1]]],
  ['hopfield.modern', hopfield.modern([[1, 0.5], [-2, 1], [0.25, 3]], { beta: 2 }), [[0.5, 0.5], [-1, 2]]],
]

t.test('io.load rebuilds a saved RBM or Hopfield network from its description: the same energy, the same parameters', async (t) => {
  for (const [name, e, points] of saved) {
    const params = Object.fromEntries(Object.entries(energy.init(e, 9)).map(([k, v]) => [k, v.map((x, i) => x + 0.01 * i)]))
    const file = join(dir, `${name}.safetensors`)
    await io.save(file, e, params)
    const loaded = await io.load(file)
    t.equal(loaded.energy.name, e.name, `${name}: the name`)
    t.same(loaded.energy.description, e.description, `${name}: the description`)
    t.equal(loaded.energy.domain, e.domain, `${name}: the domain`)
    t.same(loaded.params, params, `${name}: the parameters`)
    t.same(energy.energyAt(loaded.energy, points, loaded.params), energy.energyAt(e, points, params), `${name}: the same energies`)
  }
})

// A file whose description was edited (the checksum recomputed, as a writer of bad files would).
const forged = (e: energy.Energy, description: energy.Json): Uint8Array => io.encodeParameters({ ...e, description }, energy.init(e))

t.test('a saved description with a bad field is refused naming the field', async (t) => {
  const e = rbm.bernoulli({ visible: 3, hidden: 2 })
  const d = e.description as Record<string, energy.Json>
  const load = (description: energy.Json) => () => io.decodeParameters(forged(e, description), { source: 'model.safetensors' })
  t.throws(load({ ...d, visible: 0 }), { name: 'RangeError', message: 'load: model.safetensors: energy: visible: expected a positive integer, got 0' })
  t.throws(load({ ...d, units: 'gaussian' }), { name: 'RangeError', message: 'load: model.safetensors: energy: units: expected "bernoulli", got "gaussian"' })
  t.throws(load({ ...d, sigma: 2 }), { name: 'RangeError', message: 'load: model.safetensors: energy: sigma: expected 1, got 2' })
  t.throws(load({ ...d, hidden: undefined } as never), { name: 'RangeError', message: 'load: model.safetensors: energy: hidden: expected a positive integer, got nothing' })
  const g = rbm.gaussianBernoulli({ visible: 2, hidden: 2 })
  t.throws(() => io.decodeParameters(forged(g, { ...(g.description as Record<string, energy.Json>), sigma: -0.5 })), { name: 'RangeError', message: 'load: parameters: energy: sigma: expected a positive number, got -0.5' })
  const h = hopfield.store([[1, -1]])
  t.throws(() => io.decodeParameters(forged(h, { name: 'hopfield', rule: 'hebb', patterns: [[1, 0.5]] })), { name: 'RangeError', message: 'load: parameters: energy: patterns[0][1]: expected a spin (−1 or +1), got 0.5' })
  t.throws(() => io.decodeParameters(forged(h, { name: 'hopfield', rule: 'oja', patterns: [[1, -1]] })), { name: 'RangeError', message: 'load: parameters: energy: rule: expected "hebb" or "storkey", got "oja"' })
  const m = hopfield.modern([[1, 2]])
  t.throws(() => io.decodeParameters(forged(m, { ...(m.description as Record<string, energy.Json>), beta: 0 })), { name: 'RangeError', message: 'load: parameters: energy: beta: expected a positive number, got 0' })
})
