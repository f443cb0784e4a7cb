/**
 * Streams: the only layer that imports rxjs. Chain-health operators over snapshot streams, the training
 * operator, sources of live records that wait to be asked and acknowledge, and backpressure operators
 * that say whether they drop.
 *
 * @module
 */
export { rollingWindow } from './rolling-window.js'
export { rollingEnergyTraces, type EnergyTraceReport } from './energy-traces.js'
export { rollingEnergyGap, type EnergyGapReport } from './energy-gap.js'
export { rollingGradientNorm, type GradientNormReport } from './gradient-norm.js'
export { rollingStagnation, type StagnationReport } from './stagnation.js'
export { rollingNonFinite, type NonFiniteReport } from './non-finite.js'
export { rollingAcceptance, type AcceptanceReport } from './acceptance.js'
export { rollingLangevinStability, type LangevinStabilityReport, type LangevinStabilityOptions } from './langevin-stability.js'
export { sample$ } from './sample.js'
export { train, type Batch, type StreamTrainOptions, type StreamRecord } from './train.js'
export { trainOnSource, resumePosition, type SourceTrainOptions, type SourceStreamRecord } from './train-source.js'
export { pullBatches, isPullable, type Pullable } from './pull.js'
export { type OnlineRecord, type Scored, type CheckedRecord, type ScoreLike } from './record.js'
export { score, type ScoreOptions } from './score.js'
export { prequential, type PrequentialOptions, type PrequentialRecord } from './prequential.js'
export { rollingThreshold, type ThresholdOptions, type Thresholded } from './threshold.js'
export { rollingAuroc } from './rolling-auroc.js'
export { rollingAuprc } from './rolling-auprc.js'
export { type DriftEvent, type DriftInput } from './drift.js'
export { pageHinkley } from './page-hinkley.js'
export { adwin } from './adwin.js'
export * from './sources/index.js'
export { boundedConcatMap, type QueueOptions, type Step } from './bounded-concat-map.js'
export { dropOldest } from './drop-oldest.js'
export { reservoir } from './reservoir.js'
export { type Delivery } from './delivery.js'
