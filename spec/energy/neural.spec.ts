import t from 'tap'
import * as ir from '../../src/ir/index.js'
import * as energy from '../../src/energy/index.js'
import { richardson } from '../ir/numeric.js'

t.test('mlp has parameters W0, b0, W1, ... of the chained widths, initialised like PyTorch Linear', async (t) => {
  const e = energy.mlp({ widths: [2, 16, 8, 1], activation: 'silu', seed: 3 })
  t.same(Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, v.shape])), { W0: [2, 16], b0: [16], W1: [16, 8], b1: [8], W2: [8, 1], b2: [1] })
  const p = energy.init(e)
  for (const [name, fanIn] of [['W0', 2], ['b0', 2], ['W1', 16], ['b1', 16], ['W2', 8]] as const) {
    const bound = 1 / Math.sqrt(fanIn)
    t.ok(p[name].every((v) => Math.abs(v) < bound), `${name} lies in ±1/√${fanIn}`)
  }
  t.same(energy.init(e), p, 'the seed of the energy makes init deterministic')
  t.notSame(energy.init(e, 4).W0, p.W0, 'another seed gives other values')
})

t.test('init draws each parameter from its own stream, so adding one changes no other', async (t) => {
  const small = energy.mlp({ widths: [2, 4, 1], seed: 9 })
  const large = energy.mlp({ widths: [2, 4, 4, 1], seed: 9 })
  t.same(energy.init(large).W0, energy.init(small).W0)
  t.same(energy.init(large).b0, energy.init(small).b0)
  const s = energy.sum(small, small)
  const ps = energy.init(s, 9)
  t.notSame(ps['0.W0'], ps['1.W0'], 'equal parts of a sum get different values')
  t.throws(() => energy.init(energy.sum(small, small)), { name: 'RangeError', message: 'energy.init: seed: expected a seed: parameter \'0.W0\' of \'sum\' is drawn at random (energy.init(e, seed), or the energy\'s own seed), got undefined' })
  t.throws(() => energy.init(small, -1), { name: 'RangeError', message: 'energy.init: seed: expected an integer in [0, 2^53), got -1' })
  t.equal(energy.parameterStream('W0'), energy.parameterStream('W0'))
  t.not(energy.parameterStream('W0'), energy.parameterStream('W1'))
})

const finiteDifferenceError = (e: energy.Energy, points: number[][], params: energy.Params): number => {
  const g = energy.gradient(e, points, params)
  let worst = 0
  points.forEach((p, r) =>
    p.forEach((_v, i) => {
      const fd = richardson((s) => energy.evaluate(e, [p.map((v, j) => (j === i ? v + s : v))], params)[0])
      worst = Math.max(worst, Math.abs(g[r * p.length + i] - fd) / (Math.abs(fd) + 1))
    }),
  )
  return worst
}

t.test('mlp and classifier energies have IR gradients equal to finite differences', async (t) => {
  const points = [[0.3, -0.7], [-1.2, 0.4], [0.9, 1.1]]
  for (const activation of energy.activations) {
    for (const spectralNorm of [false, { steps: 5 }]) {
      const e = energy.mlp({ widths: [2, 8, 8, 1], activation, spectralNorm, seed: 1 })
      const err = finiteDifferenceError(e, points, energy.init(e))
      // Richardson with h = 1e-3: truncation ≈ 1e-12 relative for these smooth functions.
      t.ok(err < 1e-8, `${activation}, spectral norm ${JSON.stringify(spectralNorm)}: error ${err}`)
    }
  }
  const f = energy.network({ widths: [2, 8, 3], activation: 'tanh', seed: 2 })
  for (const e of [energy.classifier(f), energy.classifier(f, { label: 1 })]) {
    t.ok(finiteDifferenceError(e, points, energy.init(e)) < 1e-8, `${JSON.stringify(e.description)}`)
  }
})

t.test('classifier gives E(x) = −logsumexp_y f(x)[y] and E(x, y) = −f(x)[y]', async (t) => {
  const f = energy.network({ widths: [2, 8, 3], activation: 'softplus', seed: 5 })
  const points = [[0.3, -0.7], [-1.2, 0.4]]
  const params = energy.init(energy.classifier(f))
  const x = ir.input('x', [2, 2])
  const leaves = Object.fromEntries(Object.entries(f.params).map(([k, s]) => [k, ir.param(k, s.shape)]))
  const [logits] = ir.interpret([f.build(x, leaves)], { x: points.flat(), ...params })
  const marginal = energy.evaluate(energy.classifier(f), points, params)
  for (let i = 0; i < 2; i++) {
    const row = Array.from(logits.subarray(3 * i, 3 * i + 3))
    const top = Math.max(...row)
    t.ok(Math.abs(marginal[i] + top + Math.log(row.reduce((s, v) => s + Math.exp(v - top), 0))) < 1e-14)
    for (let y = 0; y < 3; y++) t.equal(energy.evaluate(energy.classifier(f, { label: y }), points, params)[i], -row[y])
  }
  t.throws(() => energy.classifier(f, { label: 3 }), { name: 'RangeError', message: 'energy.classifier: label: expected an integer in [0, 2], got 3' })
})

t.test('spectral normalisation divides each weight by its largest singular value', async (t) => {
  // W = diag(3, 1) rotated: singular values 3 and 1; 20 steps converge like (1/3)^40.
  const c = Math.cos(0.4)
  const s = Math.sin(0.4)
  const W = ir.constant([[3 * c, -s], [3 * s, c]])
  const [normalised] = ir.interpret([energy.spectralNormalise(W, 20)], {})
  const want = [c, -s / 3, s, c / 3]
  t.ok(want.every((v, i) => Math.abs(normalised[i] - v) < 1e-12), `${Array.from(normalised)}`)
})

t.test('bad neural options give errors that name the argument', async (t) => {
  t.throws(() => energy.mlp({ widths: [2, 16, 8, 3] }), { name: 'RangeError', message: 'energy.mlp: widths: expected a last width of 1 (an energy has one output; use energy.classifier for 3 logits), got 3' })
  t.throws(() => energy.mlp({ widths: [2] }), { name: 'RangeError', message: 'energy.mlp: widths: expected at least an input and an output width, got an array of length 1' })
  t.throws(() => energy.mlp({ widths: [2, 0, 1] }), { name: 'RangeError', message: 'energy.mlp: widths[1]: expected an integer ≥ 1, got 0' })
  t.throws(() => energy.mlp({ widths: [2, 1.5, 1] }), { name: 'RangeError', message: 'energy.mlp: widths[1]: expected an integer ≥ 1, got 1.5' })
  t.throws(() => energy.mlp({ widths: [2, 4, 1], activation: 'relu' as never }), { name: 'RangeError', message: 'energy.mlp: activation: expected one of "silu", "softplus", "tanh", got "relu"' })
  t.throws(() => energy.mlp({ widths: [2, 4, 1], spectralNorm: { steps: 0 } }), { name: 'RangeError', message: 'energy.mlp: spectralNorm.steps: expected an integer ≥ 1, got 0' })
})

t.test('spectrally normalised mlp has parameter gradients equal to finite differences', async (t) => {
  // The power iteration is IR, so ∂E/∂W flows through the estimate of σ_max as well.
  const e = energy.mlp({ widths: [2, 4, 1], activation: 'silu', spectralNorm: { steps: 8 }, seed: 6 })
  const prog = energy.program(e, 3)
  const wrt = prog.paramList
  const tape = ir.compile(ir.grad(ir.sum(prog.energy), wrt), [prog.x, ...wrt])
  const x = [0.3, -0.7, -1.2, 0.4, 0.9, 1.1]
  const params = energy.init(e)
  const grads = ir.evaluate(tape, { x, ...params })
  const names = wrt.map((w) => w.attrs.name as string)
  let worst = 0
  names.forEach((name, k) => {
    params[name].forEach((_v, i) => {
      const fd = richardson((s) => {
        const moved = params[name].slice()
        moved[i] += s
        return energy.evaluate(e, x, { ...params, [name]: moved }).reduce((a, b) => a + b, 0)
      })
      worst = Math.max(worst, Math.abs(grads[k][i] - fd) / (Math.abs(fd) + 1))
    })
  })
  t.ok(worst < 1e-8, `worst relative error ${worst}`)
})
