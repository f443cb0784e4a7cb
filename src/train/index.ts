/**
 * Training energy-based models: objectives (contrastive with its regularisers, score matching in three
 * forms, NCE), negatives (short-run, CD-k, persistent chains in a replay buffer), optimizers (SGD,
 * momentum, Adam, AdamW) as pure transitions, the training step, and `fit`. See docs/training.md.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as train from './index.js'
 * assert.equal(train.contrastive({ energyL2: 0.1 }).kind, 'contrastive')
 *
 * @module
 */
export { contrastive, contrastiveGraph, type Contrastive, type ContrastiveOptions } from './contrastive.js'
export { scoreMatching, scoreMatchingGraph, type ScoreMatching, type ScoreMatchingOptions } from './score-matching.js'
export { nce, nceGraph, fitNoise, type Nce, type NceOptions } from './nce.js'
export { type ObjectiveGraph, type Sizes, type RandomInput } from './objective.js'
export { lossProgram, evaluateLoss, checkObjective, checkExecution, fixedInputs, type Objective, type LossProgram, type LossValues, type LossInputs, type ExecutionOptions } from './loss.js'
export { shortRun, contrastiveDivergence, persistent, drawn, joint, stateLength, checkNegatives, chainInit, type Negatives, type ChainInit, type DrawRequest, type ShortRunOptions, type ContrastiveDivergenceOptions, type PersistentOptions, type DrawnOptions, type JointOptions } from './negatives.js'
export { initNegatives, negativePhase, drawInit, type NegativeState, type NegativeDraw, type BufferStatistics } from './negative-phase.js'
export { sgd, type Sgd, type SgdOptions } from './sgd.js'
export { momentum, type Momentum, type MomentumOptions } from './momentum.js'
export { adam, type Adam, type AdamOptions } from './adam.js'
export { adamw, type AdamW } from './adamw.js'
export { type OptimizerState, type CommonOptions } from './optimizer.js'
export { applyOptimizer, initOptimizer, checkOptimizer, globalNorm, type Optimizer, type OptimizerStep } from './optimize.js'
export { trainer, type Trainer, type TrainerOptions, type TrainState, type StepRecord } from './step.js'
export { fit, type FitOptions, type FitResult } from './fit.js'
export { type TrainingOptions, type CheckpointOptions, type TrainRecord } from './run.js'
export { type Key } from './random.js'
export { online, type OnlineLearner, type OnlineOptions, type OnlineState, type DriftReaction } from './online.js'
export { type Memory, type MemoryOptions } from './memory.js'
export { gridKL, type GridKLOptions, type GridKLResult } from './grid-kl.js'
export { longRunProbe, probeKernel, type LongRunProbeOptions, type LongRunProbe, type LongRun } from './probe.js'
export { type EnergySummary, type HistogramKL } from './probe-summary.js'
