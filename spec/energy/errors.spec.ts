import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'
import * as ir from '../../src/ir/index.js'
import { errorTable, rangeError, typeError } from '../errors.js'

const well = energy.doubleWell()
const plane = energy.gaussian({ mean: [0, 0] })
const notAnEnergy = { name: 'doubleWell' }
const notAnEnergyMessage = (where: string) => `${where}: expected an Energy value (built by energy.define or the catalogue), got an object with keys name`
// E = +∞ everywhere: exp(−E) is 0 at every cell, so there is no density to normalise.
const infinite = energy.define({ shape: [1], build: (x) => ir.add(ir.sum(x, 1), Infinity) })
const spec = { bounds: [[-2, 2]] as [number, number][], n: 10 }

t.test('every energy constructor, combinator and function names its bad argument with the right class and the message shape', async (t) => {
  await errorTable(
    t,
    energy,
    {
      checkEnergy: [typeError(() => energy.checkEnergy(notAnEnergy, 'sample: energy'), notAnEnergyMessage('sample: energy'))],
      define: [
        typeError(() => energy.define(null as never), 'energy.define: definition: expected an object, got null'),
        typeError(() => energy.define({ shape: [2], build: 'x' as never }), "energy.define('custom'): build: expected a function, got \"x\""),
        rangeError(() => energy.define({ name: 'w', shape: [2], params: { W: { shape: [2], init: { kind: 'gaussian' } as never } }, build: (x) => ir.sum(x, 1) }), 'energy.define(\'w\'): params.W.init.kind: expected one of "zeros", "constant", "normal", "uniform", "values", got "gaussian"'),
        rangeError(() => energy.define({ name: 'flat', shape: [2], build: (x) => x }), "energy 'flat': build(x, params): expected shape [2] (one energy per configuration), got [2,2]"),
      ],
      program: [
        typeError(() => energy.program(notAnEnergy as never, 2), notAnEnergyMessage('energy.program: energy')),
        rangeError(() => energy.program(well, -1), 'energy.program: batch: expected an integer ≥ 1, got -1'),
      ],
      init: [
        typeError(() => energy.init(notAnEnergy as never), notAnEnergyMessage('energy.init: energy')),
        rangeError(() => energy.init(energy.mlp({ widths: [2, 1] }), 2 ** 53), 'energy.init: seed: expected an integer in [0, 2^53), got 9007199254740992'),
        rangeError(() => energy.init(energy.mlp({ widths: [2, 1] })), "energy.init: seed: expected a seed: parameter 'W0' of 'mlp' is drawn at random (energy.init(e, seed), or the energy's own seed), got undefined"),
      ],
      parameterStream: [typeError(() => energy.parameterStream(0 as never), 'energy.parameterStream: name: expected a string, got 0')],
      energyAt: [
        typeError(() => energy.energyAt(notAnEnergy as never, [[0]]), notAnEnergyMessage('energy.energyAt: energy')),
        rangeError(() => energy.energyAt(plane, [[0, 0], [1]]), 'energy.energyAt: points[1]: has 1 value; configurations of shape [2] need 2'),
        rangeError(() => energy.energyAt(plane, [0, 0, 1]), 'energy.energyAt: points: expected whole configurations of shape [2] (2 values each), got an array of length 3'),
      ],
      gradientAt: [
        typeError(() => energy.gradientAt(well, 'x' as never), 'energy.gradientAt: points: expected an array or typed array of numbers, got "x"'),
        typeError(() => energy.gradientAt(well, [['x']] as never), 'energy.gradientAt: points[0][0]: expected a number, got "x"'),
      ],
      energyAndGradientAt: [
        rangeError(() => energy.energyAndGradientAt(plane, [0, 0, 1]), 'energy.energyAndGradientAt: points: expected whole configurations of shape [2] (2 values each), got an array of length 3'),
        rangeError(() => energy.energyAndGradientAt(plane, [[0, 0]], undefined, { backend: 'gpu' as never }), 'energy.energyAndGradientAt: options.backend: expected one of "reference", "native", "auto", got "gpu"'),
      ],
      gradientTape: [
        typeError(() => energy.gradientTape(3 as never, 4), notAnEnergyMessage('energy.gradientTape: energy').replace('an object with keys name', '3')),
        rangeError(() => energy.gradientTape(well, 0), 'energy.program: batch: expected an integer ≥ 1, got 0'),
      ],
      gradientOnlyTape: [typeError(() => energy.gradientOnlyTape(null as never, 4), notAnEnergyMessage('energy.gradientOnlyTape: energy').replace('an object with keys name', 'null'))],
      quadratic: [
        typeError(() => energy.quadratic(undefined as never), 'energy.quadratic: center: expected an array or typed array of numbers, got undefined'),
        rangeError(() => energy.quadratic({ centre: [0] } as never), "energy.quadratic: options: unknown option 'centre' (options: center)"),
      ],
      gaussian: [
        rangeError(() => energy.gaussian({ mean: [0, 0], precision: [[1, 2], [2, 1]] }), 'energy.gaussian: precision: expected a positive-definite matrix (its Cholesky factorisation fails), got an array of length 2'),
        rangeError(() => energy.gaussian({ mean: [0, 0], precision: [[1, 0.5], [0.4, 1]] }), 'energy.gaussian: precision: expected a symmetric matrix, got [1][0] = 0.4 but [0][1] = 0.5'),
        rangeError(() => energy.gaussian({ mean: [0, 0], precision: [[1, 0]] }), 'energy.gaussian: precision: expected 2 rows (the mean has 2 entries), got an array of length 1'),
      ],
      gmm: [
        typeError(() => energy.gmm({ means: [[0]], sigma: '1' as never }), 'energy.gmm: sigma: expected a positive number, got "1"'),
        rangeError(() => energy.gmm({ means: [[0], [1]], sigma: 1, weights: [1] }), 'energy.gmm: weights: has 1 value; the means need 2'),
      ],
      boltzmann: [
        rangeError(() => energy.boltzmann({ weights: [[0, 1], [2, 0]] }), 'energy.boltzmann: weights[1][0]: expected a symmetric matrix with a zero diagonal ([0][1] is 1), got 2'),
        rangeError(() => energy.boltzmann({ weights: [[0, 1], [1, 0]], domain: 'real' as never }), 'energy.boltzmann: domain: expected one of "spins", "binary", got "real"'),
      ],
      bipartite: [
        typeError(() => energy.bipartite({ weights: 'x' as never }), 'energy.bipartite: weights: expected a non-empty array of rows, got "x"'),
        rangeError(() => energy.bipartite({ weights: [[1, 2]], hiddenBias: [1] }), 'energy.bipartite: hiddenBias: expected 2 values, got 1'),
      ],
      gaussianBipartite: [
        typeError(() => energy.gaussianBipartite({ weights: 'x' as never }), 'energy.gaussianBipartite: weights: expected a non-empty array of rows, got "x"'),
        rangeError(() => energy.gaussianBipartite({ weights: [[1, 2]], sigma: 0 }), 'energy.gaussianBipartite: sigma: expected a positive number, got 0'),
      ],
      doubleWell: [rangeError(() => energy.doubleWell({ a: -1 }), 'energy.doubleWell: a: expected a positive number, got -1')],
      rosenbrock: [rangeError(() => energy.rosenbrock({ a: Infinity }), 'energy.rosenbrock: a: expected a finite number, got Infinity')],
      rastrigin: [rangeError(() => energy.rastrigin({ dim: 0 }), 'energy.rastrigin: dim: expected an integer ≥ 1, got 0')],
      funnel: [rangeError(() => energy.funnel({ dim: 1 }), 'energy.funnel: dim: expected an integer ≥ 2, got 1')],
      sum: [
        typeError(() => energy.sum(well, notAnEnergy as never), notAnEnergyMessage('energy.sum: energies[1]')),
        rangeError(() => energy.sum(well, plane), 'energy.sum: energies[1]: expected an energy of shape [1] (as energies[0]), got shape [2]'),
      ],
      productOfExperts: [rangeError(() => energy.productOfExperts(), 'energy.sum: energies: expected at least one energy, got an array of length 0')],
      mixture: [
        typeError(() => energy.mixture(well as never), 'energy.mixture: energies: expected an array of energies, got an object with keys kind, name, shape, params, build, …'),
        rangeError(() => energy.mixture([well, well], [1, -1]), 'energy.mixture: weights[1]: expected a positive number, got -1'),
      ],
      scale: [
        rangeError(() => energy.scale(0), 'energy.scale: factor: expected a positive number, got 0'),
        typeError(() => energy.scale(2)(notAnEnergy as never), notAnEnergyMessage('energy.scale: energy')),
      ],
      temper: [
        typeError(() => energy.temper('0.5' as never), 'energy.temper: T: expected a positive number, got "0.5"'),
        typeError(() => energy.temper(0.5)(notAnEnergy as never), notAnEnergyMessage('energy.temper: energy')),
      ],
      condition: [
        typeError(() => energy.condition(undefined as never), 'energy.condition: clamp: expected an object, got undefined'),
        rangeError(() => energy.condition({ indices: [0.5], values: [1] }), 'energy.condition: indices[0]: expected an integer ≥ 0, got 0.5'),
        rangeError(() => energy.condition({ indices: [0], values: [1] })(well), 'energy.condition: indices: expected fewer than 1 indices (clamping every coordinate leaves nothing to model), got an array of length 1'),
        rangeError(() => energy.condition({ indices: [0], values: [1] })(energy.define({ shape: [2, 2], build: (x) => ir.sum(x, [1, 2]) })), 'energy.condition: energy: expected an energy over vectors (shape [d]), got shape [2,2]'),
      ],
      shift: [
        rangeError(() => energy.shift([NaN]), 'energy.shift: offset[0]: expected a finite number, got NaN'),
        rangeError(() => energy.shift([1, 2])(well), 'energy.shift: offset: has 2 values; configurations of shape [1] need 1'),
      ],
      network: [
        typeError(() => energy.network({ widths: '2,1' as never }), 'energy.mlp: widths: expected an array of layer widths, got "2,1"'),
        typeError(() => energy.network({ widths: [2, 1], spectralNorm: 'yes' as never }), 'energy.mlp: spectralNorm: expected true, false or { steps }, got "yes"'),
        rangeError(() => energy.network({ widths: [2, 1], seed: -1 }), 'energy.mlp: seed: expected an integer in [0, 2^53), got -1'),
      ],
      mlp: [
        rangeError(() => energy.mlp({ widths: [2, 3] }), 'energy.mlp: widths: expected a last width of 1 (an energy has one output; use energy.classifier for 3 logits), got 3'),
        rangeError(() => energy.mlp({ widths: [2, 1], activation: 'relu' as never }), 'energy.mlp: activation: expected one of "silu", "softplus", "tanh", got "relu"'),
        rangeError(() => energy.mlp({ width: [2, 1] } as never), "energy.mlp: options: unknown option 'width' (options: widths, activation, seed, spectralNorm)"),
      ],
      classifier: [
        typeError(() => energy.classifier({ outputs: 3 } as never), 'energy.classifier: network.build: expected a function, got undefined'),
        rangeError(() => energy.classifier(energy.network({ widths: [2, 3] }), { label: -1 }), 'energy.classifier: label: expected an integer in [0, 2], got -1'),
      ],
      spectralNormalise: [
        typeError(() => energy.spectralNormalise([[1]] as never, 5), 'energy.spectralNormalise: W: expected an expression (a weight matrix), got an array of length 1'),
        rangeError(() => energy.spectralNormalise(ir.constant([1, 2]), 5), 'energy.spectralNormalise: W: expected a matrix (rank 2), got shape [2]'),
      ],
      fromDescription: [
        typeError(() => energy.fromDescription([] as never), "energy.fromDescription: description: expected an object with a string 'name', got an array of length 0"),
        typeError(() => energy.fromDescription({ name: 'sum', of: 3 }), 'energy.fromDescription: description.of: expected an array of descriptions, got 3'),
        rangeError(() => energy.fromDescription({ name: 'classifier', network: { name: 'resnet' } }), 'energy.fromDescription: description.network: expected an MLP\'s description (a classifier over a network of one\'s own cannot be rebuilt from JSON: pass the energy value), got an object with keys name'),
      ],
    },
    { isEnergy: 'a predicate: false for anything that is not an Energy' },
  )
})

t.test('every grid function names its bad argument with the right class and the message shape', async (t) => {
  const p = grid.tabulate(well, spec)
  await errorTable(t, grid, {
    tabulate: [
      typeError(() => grid.tabulate(well, { bounds: '[-2, 2]' as never, n: 10 }), 'grid.tabulate: bounds: expected [[lo, hi]] or [[x0, x1], [y0, y1]], got "[-2, 2]"'),
      rangeError(() => grid.tabulate(plane, { bounds: [[-2, 2], [-2, 2]], n: 5000 }), 'grid.tabulate: n: expected at most 2^24 cells in all (5000^2 is too many), got 5000'),
      rangeError(() => grid.tabulate(well, { bounds: [[-2, 2], [-2, 2]], n: 10 }), "grid.tabulate: energy: expected an energy of shape [2] (bounds of 2 axes), got 'doubleWell' of shape [1]"),
      rangeError(() => grid.tabulate(well, { bounds: [[0, NaN]], n: 10 }), 'grid.tabulate: bounds[0][1]: expected a finite number, got NaN'),
      rangeError(() => grid.tabulate(infinite, { bounds: [[-2, 2]], n: 10 }), 'grid.tabulate: log Z: expected a finite number on these bounds (exp(−E) over- or underflows everywhere: shift or temper the energy), got -Infinity'),
    ],
    histogram: [
      rangeError(() => grid.histogram([[0]], { ...spec, pseudocount: -1 }), 'grid.histogram: pseudocount: expected a number ≥ 0, got -1'),
      rangeError(() => grid.histogram([[NaN]], spec), 'grid.histogram: points: point 0, coordinate 0: expected a number, not NaN, got NaN'),
    ],
    kl: [
      typeError(() => grid.kl(p, {} as never), 'grid.kl: q: expected a grid (from grid.tabulate or grid.histogram), got an object with keys (none)'),
      rangeError(() => grid.kl(p, grid.tabulate(well, { ...spec, n: 11 })), 'grid.kl: q: expected the grid of p (bounds [[-2,2]], n = 10), got bounds [[-2,2]], n = 11'),
    ],
    tv: [typeError(() => grid.tv(null as never, p), 'grid.tv: p: expected a grid (from grid.tabulate or grid.histogram), got null')],
    entropy: [typeError(() => grid.entropy(3 as never), 'grid.entropy: p: expected a grid (from grid.tabulate or grid.histogram), got 3')],
    mass: [typeError(() => grid.mass(p, 'x > 0' as never), 'grid.mass: where: expected a function, got "x > 0"')],
    expectation: [
      typeError(() => grid.expectation(p, 'x' as never), 'grid.expectation: f: expected a function, got "x"'),
      typeError(() => grid.expectation([] as never, ([x]) => x), 'grid.expectation: p: expected a grid (from grid.tabulate or grid.histogram), got an array of length 0'),
    ],
  })
})
