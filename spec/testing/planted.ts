/**
 * Planted bugs for the kit's specs, each a user-defined block (registered here, never in src/) that
 * flattens into the package's own instructions, so it runs on either runner: the bug is in what the
 * block asks for, as it would be in a user's block.
 *
 * - `malaWithoutReverse`: MALA whose accept test treats the Langevin proposal as symmetric (the reverse
 *   proposal density q(x | x′) left out of the ratio).
 * - `hmcWrongHalfStep`: HMC whose leapfrog ends with a full kick instead of a half one
 *   (kick(h/2), move(h), kick(h)): neither reversible nor energy-conserving to second order.
 * - `hmcWrongMomentumVariance`: HMC whose momentum refresh draws p ~ N(0, T²·I) (σ for σ²) instead of
 *   N(0, T·I).
 * - `ulaNoiseTooLarge`: ULA whose noise is √2 too large: σ = √(4hT).
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as sampler from '../../src/sampler/index.js'
import { constant, type Schedule } from '../../src/sampler/schedule.js'

interface Planted {
  readonly type: string
  readonly stepSize: number
  readonly temperature: number
  readonly leapfrogSteps: number
}

const define = (type: string, flatten: (k: Planted, f: sampler.Flattener) => void): ((o: Omit<Planted, 'type' | 'leapfrogSteps'> & { readonly leapfrogSteps?: number }) => sampler.Kernel) => {
  sampler.defineBlock<Planted>({
    type,
    check: (k) => Object.freeze({ type, stepSize: Number(k.stepSize), temperature: Number(k.temperature), leapfrogSteps: Number(k.leapfrogSteps) }),
    flatten,
  })
  return (o) => sampler.checkKernel({ type, leapfrogSteps: 1, ...o }, type)
}

const at = (v: number): Schedule => constant(v)

const accept = (f: sampler.Flattener, correction: sampler.Correction, T: number, langevin?: { readonly h: number }): void => {
  f.push({
    op: 'accept',
    correction,
    temperature: at(T),
    draw: f.draws(1),
    drift: langevin === undefined ? null : { stepSize: at(langevin.h), clip: null },
    noise: langevin === undefined ? null : { kind: 'langevin', stepSize: at(langevin.h), temperature: at(T) },
  })
}

/** MALA without the reverse proposal density: the Langevin move accepted by exp(−ΔE/T) alone. */
export const malaWithoutReverse = define('planted: mala without reverse density', (k, f) => {
  f.push({ op: 'propose' })
  f.proposal(sampler.sequence(sampler.drift({ stepSize: k.stepSize }), sampler.noise({ stepSize: k.stepSize, temperature: k.temperature })))
  accept(f, 'symmetric', k.temperature)
})

/** HMC with a wrong last half-step: kick(h/2), move(h), kick(h), Metropolis on the Hamiltonian. */
export const hmcWrongHalfStep = define('planted: hmc wrong half-step', (k, f) => {
  f.walk(sampler.momentum({ temperature: k.temperature }))
  f.push({ op: 'propose' })
  const step = sampler.sequence(sampler.kick({ stepSize: k.stepSize / 2 }), sampler.move({ stepSize: k.stepSize }), sampler.kick({ stepSize: k.stepSize }))
  f.proposal(pipe(step, sampler.repeat(k.leapfrogSteps)))
  accept(f, 'hamiltonian', k.temperature)
})

/** The leapfrog step the bug above uses, alone: a deterministic proposal for checkReversibility. */
export const wrongHalfStepLeapfrog = (h: number): sampler.Kernel => sampler.sequence(sampler.kick({ stepSize: h / 2 }), sampler.move({ stepSize: h }), sampler.kick({ stepSize: h }))

/** HMC whose momentum refresh has variance T² instead of T (the temperature used as a standard deviation). */
export const hmcWrongMomentumVariance = define('planted: hmc momentum variance', (k, f) => {
  f.walk(sampler.momentum({ temperature: k.temperature * k.temperature }))
  f.walk(pipe(sampler.leapfrog({ stepSize: k.stepSize }), sampler.repeat(k.leapfrogSteps), sampler.metropolis({ temperature: k.temperature })))
})

/** ULA whose noise is √2 too large: x ← x − h∇E + √(4hT)ξ. */
export const ulaNoiseTooLarge = define('planted: ula noise too large', (k, f) => {
  f.walk(sampler.drift({ stepSize: k.stepSize }))
  f.walk(sampler.noise({ scale: Math.sqrt(4 * k.stepSize * k.temperature) }))
})
