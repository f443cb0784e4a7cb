/**
 * Chain diagnostics: convergence (R-hat, ESS, MCSE, autocorrelation, exact to R's posterior package)
 * and the health of EBM chains (energy gap, stagnation, non-finite chains, acceptance, gradient norms,
 * the effective temperature of unadjusted Langevin).
 *
 * @module
 */
export type { Draws } from './draws.js'
export { autocorrelation } from './autocorrelation.js'
export { rhat, rhatBasic } from './rhat.js'
export { essBasic, essBulk, essMean, essMedian, essQuantile, essSd, essTail } from './ess.js'
export { mcseMean, mcseMedian, mcseQuantile, mcseSd } from './mcse.js'
export { normalQuantile } from './normal.js'
export { betaQuantile, betaRegularized, logGamma } from './beta.js'
export type { ChainSnapshot } from './snapshot.js'
export { checkSnapshot } from './snapshot.js'
export type { SplitOptions } from './draws.js'
export { energyGap } from './energy-gap.js'
export { energyTraces } from './energy-trace.js'
export { gradientNorms, meanGradientNorm } from './gradient-norm.js'
export { stagnantChains } from './stagnation.js'
export { nonFiniteChains } from './non-finite.js'
export { acceptanceRates } from './acceptance.js'
export { largestEigenvalue, type Eigenpair, type PowerIterationOptions } from './power-iteration.js'
export { effectiveTemperature, langevinStability, type LangevinStability } from './effective-temperature.js'
export { hessianVectorProduct, largestCurvature } from './hessian-vector-product.js'
export { auroc, auprc, type Label } from './roc.js'
export { quantile } from './quantile.js'
export { detectDrifts, type Drift, type DriftAt, type DriftDetector } from './drift.js'
export { pageHinkley, type PageHinkleyOptions, type PageHinkleyState } from './page-hinkley.js'
export { adwin, type AdwinOptions, type AdwinState, type AdwinRow } from './adwin.js'
export { anomalyScores, scoreKinds, type ScoreKind, type AnomalyScores, type AnomalyScoreOptions } from './anomaly-score.js'
export { calibrate, type Calibration } from './calibrate.js'
export { summary, summaryRow, defaultQuantiles, type SummaryRow, type SummaryOptions } from './summary.js'
