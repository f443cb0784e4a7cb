import t from 'tap'
import * as rbm from '../../src/rbm/index.js'
import { init, quadratic } from '../../src/energy/index.js'
import { errorTable, rangeError, typeError } from '../errors.js'

const e = rbm.bernoulli({ visible: 3, hidden: 2, seed: 1 })
const p = init(e)
const g = rbm.gaussianBernoulli({ visible: 2, hidden: 2, seed: 1 })

t.test('every rbm function names its bad argument with the right class and the message shape', async (t) => {
  await errorTable(
    t,
    rbm,
    {
      bernoulli: [rangeError(() => rbm.bernoulli({ visible: 0, hidden: 2 }), 'rbm.bernoulli: visible: expected an integer ≥ 1, got 0')],
      gaussianBernoulli: [rangeError(() => rbm.gaussianBernoulli({ visible: 2, hidden: 2, sigma: -1 }), 'rbm.gaussianBernoulli: sigma: expected a positive number, got -1')],
      logZ: [
        rangeError(() => rbm.logZ(rbm.bernoulli({ visible: 25, hidden: 25 }), init(rbm.bernoulli({ visible: 25, hidden: 25 }), 1)), 'rbm.logZ: energy: expected an RBM with at most 24 units in its smaller layer (2^24 terms), got 25 visible and 25 hidden units'),
        typeError(() => rbm.logZ(quadratic({ center: [0] }), {}), /^rbm.logZ: energy: expected an RBM \(rbm.bernoulli or rbm.gaussianBernoulli\), got /),
        rangeError(() => rbm.logZ(e, { ...p, b: new Float64Array(3) }), 'rbm.logZ: params.b: expected a Float64Array of 2 values, got a Float64Array of length 3'),
      ],
      ais: [
        rangeError(() => rbm.ais(g, init(g), { seed: 1 }), 'rbm.ais: energy: expected a Bernoulli RBM (rbm.bernoulli), got "rbm.gaussianBernoulli"'),
        rangeError(() => rbm.ais(e, p, { seed: 1, steps: 2 }), 'rbm.aisSchedule: steps: expected an integer ≥ 3, got 2'),
      ],
      aisSchedule: [rangeError(() => rbm.aisSchedule(1.5), 'rbm.aisSchedule: steps: expected an integer ≥ 3, got 1.5')],
      pseudoLikelihood: [rangeError(() => rbm.pseudoLikelihood(e, p, [1, 0], { seed: 1 }), 'rbm.pseudoLikelihood: data: expected a multiple of 3 values (rows of 3 visible units), got 2')],
      reconstructionError: [rangeError(() => rbm.reconstructionError(e, p, [1, 0, 1, 1]), 'rbm.reconstructionError: data: expected a multiple of 3 values (rows of 3 visible units), got 4')],
      joint: [typeError(() => rbm.joint(quadratic({ center: [0] })), /^rbm.joint: energy: expected an RBM \(rbm.bernoulli or rbm.gaussianBernoulli\), got /)],
      gibbs: [rangeError(() => rbm.gibbs({ first: 'middle' as never }), 'rbm.gibbs: first: expected one of "hidden", "visible", got "middle"')],
      contrastiveDivergence: [rangeError(() => rbm.contrastiveDivergence(e, { k: 0 }), 'rbm.contrastiveDivergence: k: expected an integer ≥ 1, got 0')],
      persistentChains: [rangeError(() => rbm.persistentChains(e, { chains: 0 }), 'train.joint: chains: expected an integer ≥ 1, got 0')],
      sampleVisible: [rangeError(() => rbm.sampleVisible(e, p, { chains: 0, steps: 1, seed: 1 }), 'rbm.sampleVisible: chains: expected an integer ≥ 1, got 0')],
      fit: [
        rangeError(() => rbm.fit(e, [0, 0.5, 2], { epochs: 1, seed: 1 }), 'rbm.fit: data[2]: expected a value in [0, 1], got 2'),
        rangeError(() => rbm.fit(e, [0, 1], { epochs: 1, seed: 1 }), 'rbm.fit: data: expected a multiple of 3 values (rows of 3 visible units), got 2'),
        rangeError(() => rbm.fit(g, [0, 1, 0], { epochs: 1, seed: 1 }), 'rbm.fit: model: expected a Bernoulli RBM (rbm.bernoulli), got "rbm.gaussianBernoulli"'),
        typeError(() => rbm.fit(e, [0, 1, 0], { epochs: 1, seed: 1, onEpoch: 3 as never }), 'rbm.fit: onEpoch: expected a function, got 3'),
        typeError(() => rbm.fit(e, [0, 1, 0], { epochs: 1, seed: 1, signal: {} as never }), 'rbm.fit: signal: expected an AbortSignal, got an object with keys (none)'),
      ],
      // The energy given for its layers made an empty result (it has no layer sizes); parameters are as the callers checked them.
      hiddenProbabilities: [
        typeError(() => rbm.hiddenProbabilities(e as never, p, new Float64Array(3)), 'rbm.hiddenProbabilities: layers.visible: expected an integer ≥ 1, got undefined'),
        rangeError(() => rbm.hiddenProbabilities({ units: 'bernoulli', visible: 3, hidden: 2, sigma: 1 }, p, new Float64Array(4)), 'rbm.hiddenProbabilities: v: expected whole rows of 3 visible units, got a Float64Array of length 4'),
      ],
      visibleMeans: [typeError(() => rbm.visibleMeans({ units: 'bernoulli', visible: 3, hidden: 2, sigma: 1 }, p, [0, 1] as never), 'rbm.visibleMeans: h: expected a Float64Array, got an array of length 2')],
    },
    {
      logMeanExp: 'total on arrays of numbers (an empty array gives NaN, as a mean of nothing)',
    },
  )
})
