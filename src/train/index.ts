/**
 * Training energy-based models: objectives (contrastive with its regularisers, score matching in three
 * forms, NCE), negatives (short-run, CD-k, persistent chains in a replay buffer), optimizers (SGD,
 * momentum, Adam, AdamW) as pure transitions, the training step, and `fit`. See docs/training.md.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as train from './index.js'
 * assert.equal(train.sgd({ lr: 0.1 }).kind, 'sgd')
 *
 * @module
 */
export { sgd, type Sgd, type SgdOptions } from './sgd.js'
export { momentum, type Momentum, type MomentumOptions } from './momentum.js'
export { adam, type Adam, type AdamOptions } from './adam.js'
export { adamw, type AdamW } from './adamw.js'
export { type OptimizerState, type CommonOptions } from './optimizer.js'
export { applyOptimizer, initOptimizer, checkOptimizer, globalNorm, type Optimizer, type OptimizerStep } from './optimize.js'
