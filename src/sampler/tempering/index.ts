/**
 * Replica exchange (parallel tempering): `temper(energy, kernelAt, options)` runs a kernel on a ladder of
 * temperatures with swaps between neighbouring rungs, the ladder adapted toward equal swap rates during
 * warmup. See docs/samplers.md, "Replica exchange".
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as tempering from './index.js'
 * assert.deepEqual(tempering.geometricLadder(3, 9), [1, 3, 9])
 *
 * @module
 */
export { temper, runTemper, warmupPhases } from './temper.js'
export { checkTemper, type TemperOptions, type CheckedTemper } from './options.js'
export { geometricLadder, checkLadder, equalisedLadder, barrierOf, type LadderLike } from './ladder.js'
export { swapAcceptance, swapRound, emptyTally, startReplicas, type SwapTally, type Replicas } from './swap.js'
export { type TemperResult, type RungStatistics, lowSwapRate } from './result.js'
