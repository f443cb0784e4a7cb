/**
 * Restricted Boltzmann machines: the free energy of the visible units as an energy
 * (`rbm.bernoulli`, `rbm.gaussianBernoulli`), exact log Z by enumeration, AIS, scikit-learn's
 * pseudo-log-likelihood and the reconstruction error; `rbm.fit`, fused PCD/CD training.
 *
 * @module
 */
export { bernoulli, gaussianBernoulli, hiddenProbabilities, visibleMeans, type RbmOptions, type RbmLayers } from './model.js'
export { logZ, maxEnumerated } from './log-z.js'
export { ais, aisSchedule, logMeanExp, type AisOptions, type AisResult } from './ais.js'
export { pseudoLikelihood, reconstructionError, type PseudoLikelihoodOptions } from './scores.js'
export { fit, type FitOptions, type FitResult, type EpochRecord } from './fit.js'
export { joint, gibbs, contrastiveDivergence, persistentChains, sampleVisible, type GibbsOptions, type SampleVisibleOptions } from './chains.js'
