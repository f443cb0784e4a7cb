/**
 * Sampler kernels as data: a few blocks that update the state of every chain, and combinators that put
 * them together. A kernel is one step of a sampler; running it `steps` times is `sample`'s job.
 *
 * The state of a chain is its position x, a momentum p (zero until a block sets it), the energy E(x) and
 * gradient ∇E(x) (computed when a block needs them and the position has moved), and while a Metropolis
 * proposal is under way, the state before the move and the log proposal density of the forward move.
 *
 * Every kernel is plain, immutable, JSON-serialisable data; the reference runner and the native loop
 * both interpret the same value.
 *
 * @module
 */
import { type Schedule, type ScheduleLike, toSchedule } from './schedule.js'

/** How large the Gaussian noise of a `noise` block is: σ given directly, or σ = √(2·h·T). */
export type NoiseScale =
  | { readonly kind: 'scale'; readonly scale: Schedule }
  | { readonly kind: 'langevin'; readonly stepSize: Schedule; readonly temperature: Schedule }

/** How a Metropolis block corrects its proposal (decided from the proposal's blocks). */
export type Correction = 'symmetric' | 'langevin' | 'hamiltonian'

/** A sampler kernel: one block, or blocks combined. */
export type Kernel =
  | { readonly type: 'drift'; readonly stepSize: Schedule; readonly clip: number | null }
  | { readonly type: 'noise'; readonly scale: NoiseScale }
  | { readonly type: 'clamp'; readonly low: number; readonly high: number }
  | { readonly type: 'momentum'; readonly friction: number | null; readonly stepSize: Schedule; readonly temperature: Schedule }
  | { readonly type: 'kick'; readonly stepSize: Schedule }
  | { readonly type: 'move'; readonly stepSize: Schedule }
  | { readonly type: 'leapfrog'; readonly stepSize: Schedule }
  | { readonly type: 'metropolis'; readonly temperature: Schedule; readonly correction: Correction; readonly proposal: Kernel }
  | { readonly type: 'sequence'; readonly name: string | null; readonly blocks: readonly Kernel[] }
  | { readonly type: 'repeat'; readonly times: number; readonly block: Kernel }
  | { readonly type: 'every'; readonly period: number; readonly block: Kernel }

const types = new Set(['drift', 'noise', 'clamp', 'momentum', 'kick', 'move', 'leapfrog', 'metropolis', 'sequence', 'repeat', 'every'])

/**
 * True for a value that looks like a kernel (an object with a known block type); `checkKernel` checks
 * it through.
 *
 * @example
 * import { isKernel, drift } from './kernel.js'
 * isKernel(drift({ stepSize: 0.1 })) // true
 */
export const isKernel = (v: unknown): v is Kernel => typeof v === 'object' && v !== null && types.has((v as Kernel).type)

const positiveNumber = (v: unknown, where: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new RangeError(`${where}: expected a positive number, got ${String(v)}`)
  return v
}

const positiveInteger = (v: unknown, where: string): number => {
  if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= 1)) throw new RangeError(`${where}: expected a positive integer, got ${String(v)}`)
  return v
}

/**
 * The gradient drift x ← x − h·∇E(x), with the gradient optionally clipped to [−clip, clip] in every
 * coordinate (as in the short-run samplers of IGEBM).
 *
 * @example
 * import { drift } from './kernel.js'
 * const d = drift({ stepSize: 0.01, clip: 0.03 })
 */
export const drift = (o: { readonly stepSize: ScheduleLike; readonly clip?: number | null }): Kernel =>
  Object.freeze({
    type: 'drift' as const,
    stepSize: toSchedule(o?.stepSize, 'drift: stepSize', true),
    clip: o.clip === undefined || o.clip === null ? null : positiveNumber(o.clip, 'drift: clip'),
  })

/**
 * Gaussian noise x ← x + σ·ξ, ξ ~ N(0, I): with σ = √(2·h·T) given a step size h and temperature T
 * (Langevin dynamics), or with σ = `scale` set directly (the decoupled noise of the EBM literature).
 *
 * @example
 * import { noise } from './kernel.js'
 * const langevin = noise({ stepSize: 0.1, temperature: 1 }) // σ = √0.2
 * const decoupled = noise({ scale: 0.005 })
 */
export const noise = (o: { readonly scale: ScheduleLike } | { readonly stepSize: ScheduleLike; readonly temperature?: ScheduleLike }): Kernel => {
  if (typeof o !== 'object' || o === null) throw new TypeError('noise: expected { scale } or { stepSize, temperature }')
  if ('scale' in o) {
    if ('stepSize' in o) throw new RangeError('noise: give either scale, or stepSize and temperature, not both')
    return Object.freeze({ type: 'noise' as const, scale: Object.freeze({ kind: 'scale' as const, scale: toSchedule(o.scale, 'noise: scale', false) }) })
  }
  return Object.freeze({
    type: 'noise' as const,
    scale: Object.freeze({
      kind: 'langevin' as const,
      stepSize: toSchedule(o.stepSize, 'noise: stepSize', true),
      temperature: toSchedule(o.temperature ?? 1, 'noise: temperature', false),
    }),
  })
}

/**
 * Box clamping x ← min(max(x, low), high) in every coordinate (images in [0, 1] or [−1, 1]).
 *
 * @example
 * import { clamp } from './kernel.js'
 * const box = clamp({ low: -1, high: 1 })
 */
export const clamp = (o: { readonly low: number; readonly high: number }): Kernel => {
  const { low, high } = o ?? {}
  if (typeof low !== 'number' || typeof high !== 'number' || Number.isNaN(low) || Number.isNaN(high) || !(low < high)) {
    throw new RangeError(`clamp: expected low < high, got low ${String(low)} and high ${String(high)}`)
  }
  return Object.freeze({ type: 'clamp' as const, low, high })
}

/**
 * Momentum refresh with friction γ over a step h at temperature T: p ← a·p + √(T(1 − a²))·ξ with
 * a = exp(−γ·h), the exact Ornstein–Uhlenbeck step, which leaves N(0, T·I) invariant. Without a friction
 * it is a full refresh p ~ N(0, T·I), as in HMC.
 *
 * @example
 * import { momentum } from './kernel.js'
 * const full = momentum({ temperature: 1 })
 * const partial = momentum({ friction: 0.5, stepSize: 0.1 })
 */
export const momentum = (o: { readonly friction?: number; readonly stepSize?: ScheduleLike; readonly temperature?: ScheduleLike } = {}): Kernel => {
  const friction = o.friction === undefined ? null : positiveNumber(o.friction, 'momentum: friction')
  if (friction !== null && o.stepSize === undefined) throw new RangeError('momentum: a friction needs a stepSize (a = exp(−friction·stepSize))')
  return Object.freeze({
    type: 'momentum' as const,
    friction,
    stepSize: toSchedule(o.stepSize ?? 1, 'momentum: stepSize', true),
    temperature: toSchedule(o.temperature ?? 1, 'momentum: temperature', false),
  })
}

const stepBlock =
  <T extends 'kick' | 'move' | 'leapfrog'>(type: T) =>
  (o: { readonly stepSize: ScheduleLike }): Kernel =>
    Object.freeze({ type, stepSize: toSchedule(o?.stepSize, `${type}: stepSize`, true) }) as Kernel

/**
 * A momentum kick p ← p − h·∇E(x).
 *
 * @example
 * import { kick } from './kernel.js'
 * const k = kick({ stepSize: 0.1 })
 */
export const kick = stepBlock('kick')

/**
 * A position move x ← x + h·p.
 *
 * @example
 * import { move } from './kernel.js'
 * const m = move({ stepSize: 0.1 })
 */
export const move = stepBlock('move')

/**
 * One leapfrog step: p ← p − (h/2)·∇E(x); x ← x + h·p; p ← p − (h/2)·∇E(x). Volume-preserving and
 * reversible, the proposal of HMC.
 *
 * @example
 * import { leapfrog } from './kernel.js'
 * const l = leapfrog({ stepSize: 0.2 })
 */
export const leapfrog = stepBlock('leapfrog')

/**
 * Blocks one after the other; `name` labels the result (built-ins carry their names).
 *
 * @example
 * import { drift, noise, sequence } from './kernel.js'
 * const ula = sequence(drift({ stepSize: 0.1 }), noise({ stepSize: 0.1 }))
 */
export const sequence = (...blocks: readonly Kernel[]): Kernel => named(null, blocks)

/**
 * A named sequence (as `sequence`).
 *
 * @example
 * import { drift, named, noise } from './kernel.js'
 * const ula = named('ula', [drift({ stepSize: 0.1 }), noise({ stepSize: 0.1 })])
 */
export const named = (name: string | null, blocks: readonly Kernel[]): Kernel => {
  blocks.forEach((b, i) => {
    if (!isKernel(b)) throw new TypeError(`sequence: block ${i} is not a sampler kernel`)
  })
  return Object.freeze({ type: 'sequence' as const, name, blocks: Object.freeze([...blocks]) })
}

/**
 * Runs a block `times` times within one step (data-last, for `pipe`).
 *
 * @example
 * import { leapfrog, repeat } from './kernel.js'
 * const trajectory = repeat(10)(leapfrog({ stepSize: 0.1 })) // or pipe(leapfrog(…), repeat(10))
 */
export const repeat =
  (times: number) =>
  (block: Kernel): Kernel => {
    positiveInteger(times, 'repeat: times')
    if (!isKernel(block)) throw new TypeError('repeat: the block is not a sampler kernel')
    return Object.freeze({ type: 'repeat' as const, times, block })
  }

/**
 * Runs a block only on every `period`-th step (steps period − 1, 2·period − 1, …); on other steps it does
 * nothing. Its random draws are reserved on every step, so the draws of other blocks never shift.
 *
 * @example
 * import { every, drift } from './kernel.js'
 * const occasional = every(10)(drift({ stepSize: 0.1 }))
 */
export const every =
  (period: number) =>
  (block: Kernel): Kernel => {
    positiveInteger(period, 'every: period')
    if (!isKernel(block)) throw new TypeError('every: the block is not a sampler kernel')
    return Object.freeze({ type: 'every' as const, period, block })
  }

/** The blocks of a proposal with nested sequences and repeats spelled out. */
const leaves = (k: Kernel): Kernel[] => {
  if (k.type === 'sequence') return k.blocks.flatMap(leaves)
  if (k.type === 'repeat') return Array.from({ length: k.times }, () => leaves(k.block)).flat()
  return [k]
}

/**
 * The correction a Metropolis block applies to a proposal, or an error saying why the proposal's density
 * is not known exactly. Known proposals: a single `noise` (a symmetric random walk), `drift` then `noise`
 * (the Langevin proposal, whose density both ways is Gaussian), and leapfrog steps (volume-preserving and
 * reversible, corrected with the kinetic energy).
 *
 * @example
 * import { correctionOf, drift, noise, sequence } from './kernel.js'
 * correctionOf(sequence(drift({ stepSize: 0.1 }), noise({ stepSize: 0.1 }))) // 'langevin'
 */
export const correctionOf = (proposal: Kernel): Correction => {
  const blocks = leaves(proposal)
  const kinds = blocks.map((b) => b.type)
  if (kinds.length === 1 && kinds[0] === 'noise') return 'symmetric'
  if (kinds.length === 2 && kinds[0] === 'drift' && kinds[1] === 'noise') return 'langevin'
  if (kinds.length > 0 && kinds.every((k) => k === 'leapfrog')) return 'hamiltonian'
  throw new RangeError(
    `metropolis: the proposal is [${kinds.join(', ')}]; a Metropolis block needs a proposal whose density is exact: ` +
      '[noise] (random walk), [drift, noise] (Langevin) or leapfrog steps (Hamiltonian)',
  )
}

/**
 * A Metropolis–Hastings accept/reject of the move made by `proposal`, targeting exp(−E/T): the state
 * before the move is kept, the proposal runs, and the move is accepted with probability
 * min(1, exp(−ΔE/T) · q(x|x′)/q(x′|x)) for a Langevin proposal (both Gaussian densities computed
 * exactly), min(1, exp(−ΔE/T)) for a random walk, and min(1, exp(−(ΔE + ΔK)/T)) with K = ‖p‖²/2 for
 * leapfrog steps. A rejected chain returns to its state before the move (a Hamiltonian one with its
 * momentum negated, which keeps partial momentum refresh exact).
 *
 * @example
 * import { drift, metropolis, noise, sequence } from './kernel.js'
 * const mala = metropolis({ temperature: 1 })(sequence(drift({ stepSize: 0.1 }), noise({ stepSize: 0.1 })))
 */
export const metropolis =
  (o: { readonly temperature?: ScheduleLike } = {}) =>
  (proposal: Kernel): Kernel => {
    if (!isKernel(proposal)) throw new TypeError('metropolis: the proposal is not a sampler kernel')
    return Object.freeze({
      type: 'metropolis' as const,
      temperature: toSchedule(o.temperature ?? 1, 'metropolis: temperature', true),
      correction: correctionOf(proposal),
      proposal,
    })
  }

/**
 * Checks a kernel through (every block, every schedule), as a value from outside may be any JSON; the
 * error names the path of the bad block. Returns the kernel.
 *
 * @example
 * import { checkKernel, drift } from './kernel.js'
 * checkKernel(drift({ stepSize: 0.1 }), 'kernel')
 */
export const checkKernel = (k: unknown, path: string, inProposal = false): Kernel => {
  if (!isKernel(k)) {
    throw new TypeError(`${path}: expected a sampler kernel (built by sampler.ula, sampler.mala, … or the blocks), got ${k === null ? 'null' : typeof k === 'object' ? `an object with keys ${Object.keys(k as object).join(', ') || '(none)'}` : typeof k}`)
  }
  const at = `${path} (${k.type})`
  switch (k.type) {
    case 'drift':
      toSchedule(k.stepSize, `${at}.stepSize`, true)
      if (k.clip !== null) positiveNumber(k.clip, `${at}.clip`)
      return k
    case 'noise':
      if (k.scale?.kind === 'scale') toSchedule(k.scale.scale, `${at}.scale`, false)
      else if (k.scale?.kind === 'langevin') {
        toSchedule(k.scale.stepSize, `${at}.stepSize`, true)
        toSchedule(k.scale.temperature, `${at}.temperature`, false)
      } else throw new TypeError(`${at}.scale: expected { kind: 'scale' } or { kind: 'langevin' }`)
      return k
    case 'clamp':
      clamp(k)
      return k
    case 'momentum':
      if (k.friction !== null) positiveNumber(k.friction, `${at}.friction`)
      toSchedule(k.stepSize, `${at}.stepSize`, true)
      toSchedule(k.temperature, `${at}.temperature`, false)
      return k
    case 'kick':
    case 'move':
    case 'leapfrog':
      toSchedule(k.stepSize, `${at}.stepSize`, true)
      return k
    case 'metropolis': {
      if (inProposal) throw new RangeError(`${at}: a Metropolis block cannot sit inside another one's proposal`)
      toSchedule(k.temperature, `${at}.temperature`, true)
      checkKernel(k.proposal, `${at}.proposal`, true)
      const c = correctionOf(k.proposal)
      if (c !== k.correction) throw new RangeError(`${at}.correction: is '${String(k.correction)}'; the proposal needs '${c}'`)
      return k
    }
    case 'sequence':
      if (!Array.isArray(k.blocks)) throw new TypeError(`${at}.blocks: expected an array of kernels`)
      k.blocks.forEach((b, i) => checkKernel(b, `${at}.blocks[${i}]`, inProposal))
      return k
    case 'repeat':
      positiveInteger(k.times, `${at}.times`)
      checkKernel(k.block, `${at}.block`, inProposal)
      return k
    case 'every':
      if (inProposal) throw new RangeError(`${at}: 'every' cannot sit inside a Metropolis proposal`)
      positiveInteger(k.period, `${at}.period`)
      checkKernel(k.block, `${at}.block`, inProposal)
      return k
  }
}
