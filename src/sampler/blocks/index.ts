/**
 * Every block of the sampler. Each file registers its block (and the instructions it flattens into) when
 * imported; this file imports all of them, so a new block is one file here and one line below.
 *
 * @module
 */
export { drift, clipped, type Drift, type DriftInstruction } from './drift.js'
export { noise, noiseScaleAt, type Noise, type NoiseScale, type NoiseInstruction } from './noise.js'
export { clamp, type Clamp, type ClampInstruction } from './clamp.js'
export { reflect, folded, type Reflect, type ReflectInstruction } from './reflect.js'
export { momentum, type Momentum, type MomentumInstruction } from './momentum.js'
export { kick } from './kick.js'
export { move } from './move.js'
export { leapfrog } from './leapfrog.js'
export { type StepSizeBlock, type StepSizeInstruction } from './step-size.js'
export { sequence, named, type Sequence } from './sequence.js'
export { repeat, type Repeat } from './repeat.js'
export { every, type Every, type SkipInstruction } from './every.js'
export { metropolis, correctionOf, type Metropolis, type Correction, type ProposeInstruction, type AcceptInstruction } from './metropolis.js'
export { heatBath } from './heat-bath.js'
export { metropolisFlips } from './metropolis-flips.js'
export { gibbs, type Gibbs, type ColourClass } from './gibbs.js'
export { descent, type Descent } from './descent.js'
export { wolff, type Wolff, type WolffInstruction } from './wolff.js'
export { decide, type FlipRule, type SiteOrder, type Via, type Units, type FlipSitesInstruction, type FlipBlockInstruction, type FlipDifferencesInstruction } from './flips.js'
export { type SweepBlock, type SweepOptions } from './sweep.js'
export { nuts, treeWarnings, type Nuts, type NutsInstruction } from './nuts.js'
