import t from 'tap'
import * as diagnostics from '../../src/diagnostics/index.js'
import { define } from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import { errorTable, rangeError, typeError } from '../errors.js'

const chains = [[0.1, -0.4, 0.3, 0.9], [0.2, 0.7, -0.6, 0.0]]
const quadratic = define({ shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
const snapshot = { step: 3, chains: 2, dimension: 2, positions: new Float64Array(4), energies: new Float64Array(2) }
const identity = (v: Float64Array) => v

// Every diagnostic of draws checks them the same way (checkDraws): one row of each kind of bad draws
// per function, so that one forgetting the check fails.
const badDraws = (name: string, f: (draws: never) => unknown) => [
  typeError(() => f(3 as never), `${name}: draws: expected a non-empty array of chains, got 3`),
  rangeError(() => f([[1, 2, 3]] as never), `${name}: draws[0]: expected at least 4 draws (two in each half of a split chain), got an array of length 3`),
]

t.test('every diagnostic names its bad argument with the right class and the message shape', async (t) => {
  await errorTable(
    t,
    diagnostics,
    {
      acceptanceRates: [
        typeError(() => diagnostics.acceptanceRates('[[1]]' as never), 'acceptanceRates: acceptedOverTime: expected an array of steps, got "[[1]]"'),
        rangeError(() => diagnostics.acceptanceRates([[1, 0], [1]]), 'acceptanceRates: acceptedOverTime[1]: has 1 value; the 2 chains of step 0 need 2'),
        rangeError(() => diagnostics.acceptanceRates([[1, 1.5]]), 'acceptanceRates: acceptedOverTime[0][1]: expected a probability in [0, 1], got 1.5'),
      ],
      adwin: [
        rangeError(() => diagnostics.adwin({ delta: 0 }), 'adwin: delta: expected a number in (0, 1), got 0'),
        rangeError(() => diagnostics.adwin({ clock: 0 }), 'adwin: clock: expected an integer ≥ 1, got 0'),
        rangeError(() => diagnostics.adwin({ window: 5 } as never), "adwin: options: unknown option 'window' (options: delta, clock, maxBuckets, minWindow, range)"),
        rangeError(() => diagnostics.adwin().update(diagnostics.adwin().init(), NaN), 'adwin: value: expected a finite number, got NaN'),
      ],
      anomalyScores: [
        typeError(() => diagnostics.anomalyScores(3 as never, [[1]]), 'anomalyScores: energy: expected an Energy value (built by energy.define or the catalogue), got 3'),
        rangeError(() => diagnostics.anomalyScores(quadratic, [[1, NaN]]), 'anomalyScores: points: point 0, value 1: expected a finite number, got NaN'),
        rangeError(() => diagnostics.anomalyScores(quadratic, [[1, 2, 3]]), 'anomalyScores: points[0]: has 3 values; configurations of shape [2] need 2'),
        rangeError(() => diagnostics.anomalyScores(quadratic, [[1, 2]], {}, { kind: 'rbm' as never }), 'anomalyScores: kind: expected one of "energy", "jem", got "rbm"'),
      ],
      auprc: [
        typeError(() => diagnostics.auprc('x' as never, [0]), 'auprc: scores: expected an array or typed array of numbers, got "x"'),
        rangeError(() => diagnostics.auprc([1, 2], [0, 0]), 'auprc: labels: expected at least one positive (a 1), got "0 positives and 2 negatives"'),
      ],
      auroc: [
        rangeError(() => diagnostics.auroc([1, 2], [1]), 'auroc: labels: has 1 value; the 2 scores need 2'),
        rangeError(() => diagnostics.auroc([1, 2], [1, 2] as never), 'auroc: labels[1]: expected a label 0 or 1 (or false, true), got 2'),
        rangeError(() => diagnostics.auroc([1, 2], [1, 1]), 'auroc: labels: expected both classes (a 1 and a 0), got "2 positives and 0 negatives"'),
      ],
      autocorrelation: badDraws('autocorrelation', diagnostics.autocorrelation),
      calibrate: [
        rangeError(() => diagnostics.calibrate([1]), 'calibrate: scores: expected at least two scores, got an array of length 1'),
        rangeError(() => diagnostics.calibrate([2, 2, 2]), 'calibrate: scores: expected scores that vary below the clip, got an array of length 3'),
        rangeError(() => diagnostics.calibrate([1, 2], 1.5), 'calibrate: clip: expected a probability in [0, 1], got 1.5'),
      ],
      checkSnapshot: [
        typeError(() => diagnostics.checkSnapshot('probe', null as never), 'probe: snapshot: expected an object, got null'),
        rangeError(() => diagnostics.checkSnapshot('probe', { ...snapshot, dimension: 0 }), 'probe: snapshot at step 3: dimension: expected an integer ≥ 1, got 0'),
        rangeError(() => diagnostics.checkSnapshot('probe', { ...snapshot, positions: new Float64Array(3) }), 'probe: snapshot at step 3: positions: has 3 values; 2 chains × 2 dimensions need 4'),
      ],
      detectDrifts: [
        typeError(() => diagnostics.detectDrifts(3 as never, [1]), 'detectDrifts: detector: expected an object, got 3'),
        rangeError(() => diagnostics.detectDrifts(diagnostics.adwin(), [1, NaN]), 'detectDrifts: values[1]: expected a finite number, got NaN'),
      ],
      effectiveTemperature: [
        typeError(() => diagnostics.effectiveTemperature('0.1' as never, 10), 'effectiveTemperature: stepSize: expected a positive number, got "0.1"'),
        rangeError(() => diagnostics.effectiveTemperature(0.1, NaN), 'effectiveTemperature: curvature: expected a finite number, got NaN'),
        rangeError(() => diagnostics.effectiveTemperature(0.1, 10, -1), 'effectiveTemperature: temperature: expected a number ≥ 0, got -1'),
      ],
      energyGap: [
        typeError(() => diagnostics.energyGap(1 as never, [1]), 'energyGap: dataEnergies: expected an array or typed array of numbers, got 1'),
        rangeError(() => diagnostics.energyGap([1], []), 'energyGap: sampleEnergies: expected at least one energy, got an array of length 0'),
      ],
      energyTraces: [
        typeError(() => diagnostics.energyTraces(undefined as never), 'energyTraces: energiesOverTime: expected an array of steps, got undefined'),
        rangeError(() => diagnostics.energyTraces([]), 'energyTraces: energiesOverTime: expected at least one step, got an array of length 0'),
      ],
      essBasic: [
        ...badDraws('essBasic', diagnostics.essBasic),
        typeError(() => diagnostics.essBasic(chains, { split: 1 as never }), 'essBasic: options.split: expected true or false, got 1'),
        rangeError(() => diagnostics.essBasic(chains, { spilt: false } as never), "essBasic: options: unknown option 'spilt' (options: split)"),
      ],
      essBulk: badDraws('essBulk', diagnostics.essBulk),
      essMean: badDraws('essMean', diagnostics.essMean),
      essMedian: badDraws('essMedian', diagnostics.essMedian),
      essQuantile: [
        ...badDraws('essQuantile', (d) => diagnostics.essQuantile(d, 0.5)),
        rangeError(() => diagnostics.essQuantile(chains, 1.5), 'essQuantile: prob: expected a probability in [0, 1], got 1.5'),
      ],
      essSd: badDraws('essSd', diagnostics.essSd),
      essTail: badDraws('essTail', diagnostics.essTail),
      gradientNorms: [
        typeError(() => diagnostics.gradientNorms(new Float64Array(4), '2' as never), 'gradientNorms: dimension: expected an integer ≥ 1, got "2"'),
        rangeError(() => diagnostics.gradientNorms(new Float64Array(5), 2), 'gradientNorms: gradients: expected a multiple of 2 values (chains of dimension 2), got a Float64Array of length 5'),
      ],
      hessianVectorProduct: [
        typeError(() => diagnostics.hessianVectorProduct({} as never, {}, [0, 0]), 'hessianVectorProduct: energy: expected an Energy value (built by energy.define or the catalogue), got an object with keys (none)'),
        rangeError(() => diagnostics.hessianVectorProduct(quadratic, {}, [0, 0, 0]), "hessianVectorProduct: x: has 3 values; configurations of energy 'custom' need 2"),
        rangeError(() => diagnostics.hessianVectorProduct(quadratic, {}, [0, 0])(new Float64Array(1)), "hessianVectorProduct: v: has 1 value; configurations of energy 'custom' need 2"),
      ],
      langevinStability: [
        rangeError(() => diagnostics.langevinStability(0, 10), 'langevinStability: stepSize: expected a positive number, got 0'),
        rangeError(() => diagnostics.langevinStability(0.1, 10, { warnAt: -1 }), 'langevinStability: options.warnAt: expected a positive number, got -1'),
        rangeError(() => diagnostics.langevinStability(0.1, 10, { warn: 1 } as never), "langevinStability: options: unknown option 'warn' (options: temperature, warnAt)"),
      ],
      largestCurvature: [
        rangeError(() => diagnostics.largestCurvature(quadratic, {}, [0]), "hessianVectorProduct: x: has 1 value; configurations of energy 'custom' need 2"),
        rangeError(() => diagnostics.largestCurvature(quadratic, {}, [0, 0], { maxIterations: 0 }), 'largestEigenvalue: options.maxIterations: expected an integer ≥ 1, got 0'),
      ],
      largestEigenvalue: [
        typeError(() => diagnostics.largestEigenvalue(3 as never, 2), 'largestEigenvalue: hessianVectorProduct: expected a function, got 3'),
        rangeError(() => diagnostics.largestEigenvalue(identity, 0), 'largestEigenvalue: dimension: expected an integer ≥ 1, got 0'),
        rangeError(() => diagnostics.largestEigenvalue(() => new Float64Array(2), 3), 'largestEigenvalue: hessianVectorProduct(v) at iteration 1: has 2 values; vectors of the dimension need 3'),
        rangeError(() => diagnostics.largestEigenvalue((v) => v.map(() => Infinity), 2), 'largestEigenvalue: hessianVectorProduct(v)[0] at iteration 1: expected a finite number, got Infinity'),
      ],
      mcseMean: badDraws('mcseMean', diagnostics.mcseMean),
      mcseMedian: badDraws('mcseMedian', diagnostics.mcseMedian),
      mcseQuantile: [
        ...badDraws('mcseQuantile', (d) => diagnostics.mcseQuantile(d, 0.5)),
        typeError(() => diagnostics.mcseQuantile(chains, '0.5' as never), 'mcseQuantile: prob: expected a probability in [0, 1], got "0.5"'),
      ],
      mcseSd: badDraws('mcseSd', diagnostics.mcseSd),
      meanGradientNorm: [
        typeError(() => diagnostics.meanGradientNorm([3] as never), 'meanGradientNorm: normsOverTime[0]: expected an array or typed array of numbers, got 3'),
        rangeError(() => diagnostics.meanGradientNorm([[]]), 'meanGradientNorm: normsOverTime: expected at least one gradient norm, got an array of length 1'),
      ],
      nonFiniteChains: [
        rangeError(() => diagnostics.nonFiniteChains(new Float64Array(3), 2), 'nonFiniteChains: positions: expected a multiple of 2 values (chains of dimension 2), got a Float64Array of length 3'),
        rangeError(() => diagnostics.nonFiniteChains(new Float64Array(4), 2, [1]), 'nonFiniteChains: energies: has 1 value; 2 chains need 2'),
      ],
      pageHinkley: [
        rangeError(() => diagnostics.pageHinkley({ threshold: 0 }), 'pageHinkley: threshold: expected a positive number, got 0'),
        rangeError(() => diagnostics.pageHinkley({ alpha: 1.5 }), 'pageHinkley: alpha: expected a number in (0, 1], got 1.5'),
        rangeError(() => diagnostics.pageHinkley({ direction: 'sideways' as never }), 'pageHinkley: direction: expected one of "up", "down", "both", got "sideways"'),
        rangeError(() => diagnostics.pageHinkley().update(diagnostics.pageHinkley().init(), Infinity), 'pageHinkley: value: expected a finite number, got Infinity'),
      ],
      quantile: [
        rangeError(() => diagnostics.quantile([], 0.5), 'quantile: values: expected at least one value, got an array of length 0'),
        rangeError(() => diagnostics.quantile([1], 2), 'quantile: prob: expected a probability in [0, 1], got 2'),
      ],
      rhat: badDraws('rhat', diagnostics.rhat),
      rhatBasic: [
        ...badDraws('rhatBasic', diagnostics.rhatBasic),
        rangeError(() => diagnostics.rhatBasic([chains[0]], { split: false }), 'rhatBasic: draws: expected at least 2 chains when split is false, got an array of length 1'),
      ],
      summary: [
        typeError(() => diagnostics.summary(3 as never, { chains: 1, names: ['a'] }), 'summary: draws: expected an array or typed array of numbers, got 3'),
        rangeError(() => diagnostics.summary(new Float64Array(8), { chains: 3, names: ['a'] }), 'summary: draws: expected a multiple of 3 chains × 1 dimensions numbers, got a Float64Array of length 8'),
        rangeError(() => diagnostics.summary(new Float64Array(8), { chains: 1, names: ['a'], quantiles: [2] }), 'summary: quantiles[0]: expected a probability in [0, 1], got 2'),
        rangeError(() => diagnostics.summary(new Float64Array(8), { chains: 0, names: ['a'] }), 'summary: chains: expected an integer ≥ 1, got 0'),
      ],
      summaryRow: [
        ...badDraws('summaryRow', (d) => diagnostics.summaryRow('x', d)),
        rangeError(() => diagnostics.summaryRow('x', chains, [0.5, -1]), 'summaryRow: quantiles[1]: expected a probability in [0, 1], got -1'),
      ],
      stagnantChains: [
        rangeError(() => diagnostics.stagnantChains([new Float64Array(2)], 1), 'stagnantChains: positionsOverTime: expected at least 2 steps (to see movement), got an array of length 1'),
        rangeError(() => diagnostics.stagnantChains([new Float64Array(2), new Float64Array(2)], 1, -1), 'stagnantChains: tolerance: expected a number ≥ 0, got -1'),
        rangeError(() => diagnostics.stagnantChains([new Float64Array(2), new Float64Array(4)], 2), 'stagnantChains: positionsOverTime[1]: has 4 values; the 1 chains × 2 dimensions of step 0 need 2'),
      ],
    },
    {
      betaQuantile: "NaN outside its domain, as R's qbeta: a quantile function, not an argument check",
      betaRegularized: "NaN outside its domain, as R's pbeta",
      logGamma: 'NaN outside its domain, as Math.log',
      normalQuantile: "NaN outside [0, 1], as R's qnorm",
    },
  )
})
