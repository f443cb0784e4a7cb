/**
 * heatbath/testing: the kit heatbath tests its own samplers with, for users who compose their own.
 * Checkers return a {@link Report} (statistic, p-value or bound, sizes, verdict, and a message that says
 * how to reproduce a failure); arbitraries are fast-check's (a peer dependency). See docs/testing.md.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as testing from './index.js'
 * assert.equal(typeof testing.checkStationarity, 'function')
 *
 * @module
 */
export { type Report, type Sizes, assertPassed, combined, testReport, boundReport, skippedReport, reproduce } from './report.js'
export { type Target, type ExactDraws, type TargetOptions, target, isTarget, checkTarget, gaussianTarget, ulaLaw, mixtureTarget, doubleWellTarget, tiltedGaussianTarget } from './target.js'
export { type TwoSample, ksTwoSample, energyDistance, kolmogorovTail } from './two-sample.js'
export { type RunAt, streams } from './chains.js'
export { type StationarityOptions, checkStationarity } from './stationarity.js'
export { type RepeatOptions, type ParityOptions, checkDeterminism, checkParity } from './determinism.js'
export { type ProposalOptions, checkReversibility, checkVolumePreservation } from './proposal.js'
export { type ForwardJacobians, forwardJacobians, walkedInstructions } from './jacobian.js'
export { type MetropolisRatioOptions, type LogProposalDensity, checkMetropolisRatio } from './metropolis-ratio.js'
export { type GewekeModel, type GewekeFunction, type GewekeOptions, gewekeTest } from './geweke.js'
export { seeds, chainCounts, temperatures, spdMatrices, gaussianTargets, mixtureTargets, doubleWellTargets, mlpTargets, targets, exactKernels, kernels, kernelBlockTypes, type TargetSizes } from './arbitraries.js'
export { type FiniteSpace, type Matrix, maxUnits, finiteSpace, boltzmann, stationarityError, detailedBalanceError, rowSumError } from './finite-space.js'
export { exactTransitions, hasExactTransitions, reversible } from './exact-transitions.js'
export { chiSquare, chiSquareTail } from './chi-square.js'
export { type FiniteOptions, transitionCounts, checkInvariance, checkDetailedBalance } from './finite.js'
export { type IrreducibilityOptions, type Graph, checkIrreducibility, graphStructure } from './irreducibility.js'
export { boltzmannMachines, bipartiteModels, gaussianBipartiteModels, isingLattices, discreteEnergies, exactDiscreteKernels, discreteKernels, discreteBlockTypes } from './arbitraries-discrete.js'
