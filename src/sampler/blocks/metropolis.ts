/**
 * A Metropolis–Hastings accept/reject of the move made by a proposal, targeting exp(−E/T). It flattens
 * into `propose` (save the state), the proposal's instructions, and `accept` (the test, and on a
 * rejection the saved state back).
 *
 * The proposal's density must be known exactly; `correctionOf` recognises three kinds: a random walk
 * (`noise`, optionally followed by blocks that keep it symmetric, such as `reflect`), the Langevin move
 * (`drift` then `noise`, both Gaussian densities computed), and leapfrog steps (volume-preserving and
 * reversible, corrected with the kinetic energy).
 *
 * @module
 */
import { options, rangeError } from '../../check/index.js'
import { blockOf, blockTypes, checkKernel, defineBlock, defineInstruction, type Kernel } from '../block.js'
import * as rng from '../../rng/index.js'
import type { ReferenceStep } from '../reference.js'
import { constant, positiveSchedule, scheduleAt, type Schedule, type ScheduleLike } from '../schedule.js'
import { encodeMetric, kinetic, metricFields, type MetricSlot } from '../metric.js'
import { clipped } from './drift.js'
import { noiseScaleAt, type NoiseScale } from './noise.js'

/** How a Metropolis block corrects its proposal (decided from the proposal's blocks). */
export type Correction = 'symmetric' | 'langevin' | 'hamiltonian'

/** A Metropolis block. */
export interface Metropolis {
  readonly type: 'metropolis'
  readonly temperature: Schedule
  readonly correction: Correction
  readonly proposal: Kernel
}

/** Saves the state before a proposal. */
export interface ProposeInstruction {
  readonly op: 'propose'
}

/** The accept/reject test after a proposal, with the offset of its uniform. */
export interface AcceptInstruction {
  readonly op: 'accept'
  readonly correction: Correction
  readonly temperature: Schedule
  readonly draw: number
  /** The Langevin proposal's drift and noise, whose reverse density the test computes (null otherwise). */
  readonly drift: { readonly stepSize: Schedule; readonly clip: number | null } | null
  readonly noise: NoiseScale | null
  /** The leapfrog steps' mass matrix, whose kinetic energy pᵀM⁻¹p/2 a Hamiltonian test computes (null: the identity). */
  readonly metric: MetricSlot | null
}

declare module '../block.js' {
  interface Blocks {
    metropolis: Metropolis
  }
  interface Instructions {
    propose: ProposeInstruction
    accept: AcceptInstruction
  }
}

/** The blocks a proposal runs, with sequences and repeats spelled out. */
const leaves = (k: Kernel): Kernel[] => {
  const spell = blockOf(k.type)?.leaves
  return spell === undefined ? [k] : spell(k as never).flatMap(leaves)
}

const corrections: readonly { readonly correction: Correction; readonly matches: (types: readonly string[]) => boolean }[] = [
  { correction: 'symmetric', matches: (types) => types[0] === 'noise' && types.slice(1).every((t) => blockOf(t)?.keepsSymmetry === true) },
  { correction: 'langevin', matches: (types) => types.length === 2 && types[0] === 'drift' && types[1] === 'noise' },
  { correction: 'hamiltonian', matches: (types) => types.length > 0 && types.every((t) => t === 'leapfrog') },
]

/**
 * The correction a Metropolis block applies to a proposal, or an error saying why the proposal's density
 * is not known exactly. Known proposals: `noise` (a symmetric random walk), optionally followed by blocks
 * that keep it symmetric (`reflect`); `drift` then `noise` (the Langevin proposal, whose density both ways
 * is Gaussian); leapfrog steps (volume-preserving and reversible, corrected with the kinetic energy).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { correctionOf, drift, noise, clamp, sequence } from '../kernel.js'
 * assert.equal(correctionOf(sequence(drift({ stepSize: 0.1 }), noise({ stepSize: 0.1 }))), 'langevin')
 * assert.throws(() => correctionOf(sequence(noise({ scale: 1 }), clamp({ low: 0, high: 1 }))), { message: /got \[noise, clamp\]$/ })
 */
export const correctionOf = (proposal: Kernel, where = 'metropolis: proposal'): Correction => {
  const types = leaves(proposal).map((b) => b.type)
  const found = corrections.find((c) => c.matches(types))
  if (found !== undefined) return found.correction
  const symmetric = blockTypes().filter((t) => blockOf(t)?.keepsSymmetry === true)
  throw new RangeError(
    `${where}: expected a proposal whose density is exact: [noise] (a random walk), optionally followed by ${symmetric.join(' or ')}; ` +
      `[drift, noise] (Langevin); or leapfrog steps (Hamiltonian), got [${types.join(', ')}]`,
  )
}

const definition = defineBlock<Metropolis>({
  type: 'metropolis',
  check: (k, where, { inProposal }) => {
    if (inProposal) throw new RangeError(`${where.at}: expected no Metropolis block inside another one's proposal, got one`)
    const proposal = checkKernel(k.proposal, where.field('proposal'), { inProposal: true })
    const correction = correctionOf(proposal, where.field('proposal'))
    if (k.correction !== undefined && k.correction !== correction) {
      throw rangeError(where.field('correction'), `'${correction}' (what the proposal needs)`, k.correction)
    }
    return Object.freeze({ type: 'metropolis' as const, temperature: positiveSchedule(k.temperature, where.field('temperature')), correction, proposal })
  },
  flatten: (k, f) => {
    f.push({ op: 'propose' })
    const first = f.length
    f.proposal(k.proposal)
    const moves = f.from(first)
    const langevin = k.correction === 'langevin'
    const driftStep = moves.find((i) => i.op === 'drift')
    const noiseStep = moves.find((i) => i.op === 'noise')
    const metrics = new Set(moves.flatMap((i) => (i.op === 'leapfrog' ? [i.metric] : [])))
    if (metrics.size > 1) throw new RangeError('metropolis: proposal: expected leapfrog steps of one mass matrix, got several')
    f.push({
      op: 'accept',
      correction: k.correction,
      temperature: k.temperature,
      draw: f.draws(1),
      drift: langevin && driftStep?.op === 'drift' ? { stepSize: driftStep.stepSize, clip: driftStep.clip } : null,
      noise: langevin && noiseStep?.op === 'noise' ? noiseStep.scale : null,
      metric: [...metrics][0] ?? null,
    })
  },
})

defineInstruction({
  op: 'propose',
  fields: {},
  requires: { energy: true, acceptance: true },
  encode: () => ({}),
  reference: (_ins: ProposeInstruction, r) => {
    r.refresh()
    const { state, saved } = r
    saved.position.set(state.position)
    saved.momentum.set(state.momentum)
    saved.gradient.set(state.gradient)
    saved.energy.set(state.energy)
    saved.logForward.fill(0)
    r.inProposal = true
  },
})

// log α of each chain: −ΔE/T, plus log q(x0 | x′) − log q(x′ | x0) for a Langevin proposal (the
// normalising constants are equal both ways) or −ΔK/T for a Hamiltonian one.
const logAcceptance = (ins: AcceptInstruction, r: ReferenceStep): ((c: number, from: number, to: number) => number) => {
  const { position: x, momentum: p, gradient: g, energy: E } = r.state
  const { position: x0, momentum: p0, energy: E0, logForward } = r.saved
  const T = scheduleAt(ins.temperature, r.t)
  const h = ins.drift === null ? 0 : scheduleAt(ins.drift.stepSize, r.t)
  const clip = ins.drift === null ? null : ins.drift.clip
  const sigma = ins.noise === null ? 1 : noiseScaleAt(ins.noise, r.t)
  return (c, from, to) => {
    let logAlpha = -(E[c] - E0[c]) / T
    if (ins.correction === 'langevin') {
      let squares = 0
      for (let j = from; j < to; j++) {
        const d = x0[j] - (x[j] - h * clipped(g[j], clip))
        squares += d * d
      }
      logAlpha += -squares / (2 * sigma * sigma) - logForward[c]
    } else if (ins.correction === 'hamiltonian' && (ins.metric ?? null) === null) {
      let dK = 0
      for (let j = from; j < to; j++) dK += 0.5 * (p[j] * p[j] - p0[j] * p0[j])
      logAlpha -= dK / T
    } else if (ins.correction === 'hamiltonian') {
      logAlpha -= (kinetic(ins.metric, p, from, to - from) - kinetic(ins.metric, p0, from, to - from)) / T
    }
    return logAlpha
  }
}

defineInstruction({
  op: 'accept',
  requires: { energy: true, acceptance: true },
  fields: { draw: 'number', correction: { choice: ['symmetric', 'langevin', 'hamiltonian'] }, temperature: 'schedule', driftStepSize: 'schedule', clip: 'number', noise: 'noise', ...metricFields },
  encode: (ins: AcceptInstruction) => ({
    draw: ins.draw,
    correction: ins.correction,
    temperature: ins.temperature,
    // unused unless the correction is Langevin: a constant 0, no clip, σ = 0
    driftStepSize: ins.drift?.stepSize ?? constant(0),
    clip: ins.drift?.clip ?? 0,
    noise: ins.noise ?? { kind: 'scale', scale: constant(0) },
    ...encodeMetric(ins.metric),
  }),
  reference: (ins: AcceptInstruction, r) => {
    r.refresh()
    r.inProposal = false
    const { state, saved } = r
    const { position: x, momentum: p, gradient: g, energy: E } = state
    const logAlpha = logAcceptance(ins, r)
    const flip = ins.correction === 'hamiltonian' ? -1 : 1
    r.rows((from, to, c) => {
      const a = logAlpha(c, from, to)
      state.proposed[c] += 1
      // A NaN ratio (a non-finite proposal) compares false: rejected.
      if (rng.log(r.uniform(c, ins.draw)) < a) {
        state.accepted[c] += 1
        if (!r.finiteChain(c)) state.alive[c] = 0
      } else {
        E[c] = saved.energy[c]
        for (let j = from; j < to; j++) {
          x[j] = saved.position[j]
          g[j] = saved.gradient[j]
          p[j] = flip * saved.momentum[j]
        }
      }
    })
  },
})

/**
 * A Metropolis–Hastings accept/reject of the move made by `proposal`, targeting exp(−E/T): the state
 * before the move is kept, the proposal runs, and the move is accepted with probability
 * min(1, exp(−ΔE/T) · q(x|x′)/q(x′|x)) for a Langevin proposal (both Gaussian densities computed
 * exactly), min(1, exp(−ΔE/T)) for a random walk, and min(1, exp(−(ΔE + ΔK)/T)) with K = pᵀM⁻¹p/2 for
 * leapfrog steps (M their mass matrix). A rejected chain returns to its state before the move (a Hamiltonian one with its
 * momentum negated, which keeps partial momentum refresh exact). Data-last, for `pipe`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { drift, metropolis, noise, sequence } from '../kernel.js'
 * const mala = metropolis({ temperature: 1 })(sequence(drift({ stepSize: 0.1 }), noise({ stepSize: 0.1 })))
 * assert.equal(mala.correction, 'langevin')
 */
export const metropolis =
  (o: { readonly temperature?: ScheduleLike } = {}) =>
  (proposal: Kernel): Metropolis =>
    definition.build({ type: 'metropolis', temperature: options<{ temperature: ScheduleLike }>(o, 'metropolis: options', ['temperature']).temperature ?? 1, proposal }, 'metropolis')
