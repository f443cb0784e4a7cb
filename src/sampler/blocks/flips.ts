/**
 * The instructions of the discrete blocks (heatBath, metropolisFlips, gibbs, descent), shared by them as
 * step-size.ts is by kick, move and leapfrog (the sweep blocks' constructor is sweep.ts's): single-unit
 * updates in random or sequential order from local fields (`flipSites`), updates of a whole colour class
 * at once (`flipBlock`: a checkerboard half, an RBM layer, or every unit synchronously), and single-unit
 * updates from energy differences for any discrete energy (`flipDifferences`).
 *
 * Every update decides a unit's new value from its **gain** g = E(s with the unit low) − E(s with it
 * high), the energy released by setting it high: g = fᵢ·(high − low) from the local field, or the
 * difference of two evaluations. The rules, identical in native/sampler_units.h:
 *
 * - heat bath (Glauber): high with probability 1 / (1 + exp(−g/T)), the unit's conditional;
 * - Metropolis: flip with probability min(1, exp(−ΔE/T)), ΔE = −g going up and g going down;
 * - descent (zero temperature): high if g > 0, low if g < 0, unchanged at g = 0.
 *
 * Draw layout of one update sweep (D updates): in random order update k takes its unit from uniform
 * draw + 2k (unit ⌊u·D⌋) and decides with draw + 2k + 1; in sequential order update k (unit k) decides
 * with draw + k; descent decides without a draw. A colour class's units decide with draw + their rank.
 *
 * @module
 */
import { exp } from '../../rng/math.js'
import { classUnits, localField, unitValues, type DiscreteDomain, type Structure } from '../../energy/structure.js'
import { rangeError } from '../../check/index.js'
import { defineInstruction, type Flattener, type Target } from '../block.js'
import type { ReferenceStep } from '../reference.js'
import { scheduleAt, type Schedule } from '../schedule.js'

/** How an update decides a unit's value. */
export type FlipRule = 'heatBath' | 'metropolis' | 'descent'

/** The order of single-unit updates within a sweep. */
export type SiteOrder = 'random' | 'sequential'

/** Where a discrete block reads the units' fields: the local fields of a structure, or energy differences. */
export type Via = 'auto' | 'fields' | 'differences'

/** The units a fields-based instruction updates: their domain, the structure, and its parameters' feeds (−1: none). */
export interface Units {
  readonly domain: DiscreteDomain
  readonly structure: Structure
  readonly feeds: { readonly weights: number; readonly bias: number; readonly hiddenBias: number }
}

/** Single-unit updates from local fields: D of them a step. */
export interface FlipSitesInstruction {
  readonly op: 'flipSites'
  readonly rule: FlipRule
  readonly order: SiteOrder
  readonly temperature: Schedule
  readonly draw: number
  readonly units: Units
}

/** Every unit of colour class `block` (0, 1; 2 is every unit, synchronously) updated from the same fields. */
export interface FlipBlockInstruction {
  readonly op: 'flipBlock'
  readonly rule: FlipRule
  readonly block: number
  readonly temperature: Schedule
  readonly draw: number
  readonly units: Units
}

/** Single-unit updates from energy differences (one evaluation of every chain per update): D of them a step. */
export interface FlipDifferencesInstruction {
  readonly op: 'flipDifferences'
  readonly rule: FlipRule
  readonly order: SiteOrder
  readonly temperature: Schedule
  readonly draw: number
  readonly domain: DiscreteDomain
}

declare module '../block.js' {
  interface Instructions {
    flipSites: FlipSitesInstruction
    flipBlock: FlipBlockInstruction
    flipDifferences: FlipDifferencesInstruction
  }
}

/**
 * A unit's new value under a rule, from its gain g = E(low) − E(high), its value s, the temperature and
 * a uniform u (unused by descent).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { decide } from './flips.js'
 * assert.equal(decide('heatBath', 2, -1, -1, 1, 1, 0.5), 1)     // 1/(1 + e⁻²) ≈ 0.88 > 0.5
 * assert.equal(decide('metropolis', 2, 1, -1, 1, 1, 0.2), 1)    // going down costs 2: kept, as 0.2 > e⁻² ≈ 0.135
 * assert.equal(decide('metropolis', 2, 1, -1, 1, 1, 0.1), -1)   // flipped, as 0.1 < e⁻²
 * assert.equal(decide('descent', -0.5, 1, 0, 1, 0, 0), 0)
 */
export const decide = (rule: FlipRule, g: number, s: number, low: number, high: number, T: number, u: number): number => {
  if (rule === 'heatBath') return u < 1 / (1 + exp(-(g / T))) ? high : low
  if (rule === 'metropolis') {
    const dE = s === low ? -g : g
    return dE <= 0 || u < exp(-(dE / T)) ? low + high - s : s
  }
  return g > 0 ? high : g < 0 ? low : s
}

/**
 * The unit a uniform picks among D: ⌊u·D⌋ (below D even where u·D rounds up).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { unitOf } from './flips.js'
 * assert.equal(unitOf(0.5, 4), 2)
 */
export const unitOf = (u: number, D: number): number => Math.min(D - 1, Math.floor(u * D))

/** Uniforms a sweep of D single-unit updates takes: a unit and a decision per update, as each needs. */
export const sweepDraws = (rule: FlipRule, order: SiteOrder, D: number): number => D * ((order === 'random' ? 1 : 0) + (rule === 'descent' ? 0 : 1))

/**
 * The units a fields-based block updates, or the error saying why this energy has none.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { unitsOf } from './flips.js'
 * import { targetOf } from '../program.js'
 * import * as energy from '../../energy/index.js'
 * assert.deepEqual(unitsOf(targetOf(energy.boltzmann({ weights: [[0, 1], [1, 0]] })), 'heatBath').feeds, { weights: 1, bias: 2, hiddenBias: -1 })
 */
export const unitsOf = (target: Target | undefined, type: string): Units => {
  if (target?.structure === undefined || target.domain === 'real' || target.domain === 'mixed') {
    throw rangeError(`${type}: via 'fields'`, "an energy with a quadratic structure (a lattice, a Boltzmann machine, a bipartite model); other discrete energies use via 'differences'", target === undefined ? 'no energy' : `energy '${target.name}' without one`)
  }
  const s = target.structure
  const feed = (name: string | undefined): number => (name === undefined ? -1 : target.feeds[name])
  return {
    domain: target.domain,
    structure: s,
    feeds: s.kind === 'lattice' ? { weights: -1, bias: -1, hiddenBias: -1 } : s.kind === 'dense' ? { weights: feed(s.weights), bias: feed(s.bias), hiddenBias: -1 } : { weights: feed(s.weights), bias: feed(s.visibleBias), hiddenBias: feed(s.hiddenBias) },
  }
}

/**
 * Whether a block reads local fields: 'fields' and 'differences' as asked, 'auto' by whether the energy
 * has a structure.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { usesFields } from './flips.js'
 * assert.equal(usesFields('auto', { name: 'x', domain: 'binary', feeds: {} }), false)
 */
export const usesFields = (via: Via, target: Target | undefined): boolean => (via === 'auto' ? target?.structure !== undefined : via === 'fields')

/** The discrete domain of the energy (flatten has already refused real ones). */
const domainOf = (f: Flattener): DiscreteDomain => (f.target?.domain === 'binary' ? 'binary' : 'spins')

/**
 * Flattens D single-unit updates: from local fields or from energy differences, as `via` says.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { heatBath } from './heat-bath.js'
 * import { flatten, targetOf } from '../program.js'
 * import * as energy from '../../energy/index.js'
 * const e = energy.boltzmann({ weights: [[0, 1], [1, 0]] })
 * assert.equal(flatten(heatBath({ temperature: 2 }), 2, targetOf(e)).instructions[0].op, 'flipSites')
 */
export const pushSweep = (f: Flattener, o: { readonly type: string; readonly rule: FlipRule; readonly order: SiteOrder; readonly temperature: Schedule; readonly via: Via }): void => {
  const draw = f.draws(sweepDraws(o.rule, o.order, f.dimension))
  if (o.rule === 'metropolis') f.countsAcceptance()
  if (usesFields(o.via, f.target)) {
    f.push({ op: 'flipSites', rule: o.rule, order: o.order, temperature: o.temperature, draw, units: unitsOf(f.target, o.type) })
    return
  }
  f.needsEnergy()
  f.push({ op: 'flipDifferences', rule: o.rule, order: o.order, temperature: o.temperature, draw, domain: domainOf(f) })
}

/** Flattens updates of colour classes, in order, from local fields. */
export const pushBlocks = (f: Flattener, o: { readonly type: string; readonly rule: FlipRule; readonly blocks: readonly number[]; readonly temperature: Schedule }): void => {
  const units = unitsOf(f.target, o.type)
  if (o.rule === 'metropolis') f.countsAcceptance()
  for (const block of o.blocks) {
    const draw = f.draws(o.rule === 'descent' ? 0 : classUnits(units.structure, f.dimension, block).length)
    f.push({ op: 'flipBlock', rule: o.rule, block, temperature: o.temperature, draw, units })
  }
}

/** The record fields of the units a fields-based instruction updates. */
export const unitFields = {
  domain: { choice: ['binary', 'spins'] },
  structure: { choice: ['lattice', 'dense', 'bipartite'] },
  rows: 'number',
  columns: 'number',
  coupling: 'number',
  field: 'number',
  scale: 'number',
  weights: 'number',
  bias: 'number',
  hiddenBias: 'number',
} as const

/**
 * A structure's numbers in a record: a lattice's sides (rows and columns of W otherwise), its coupling
 * and field, the scale, and the feeds of its parameters.
 */
export const encodeUnits = ({ domain, structure: s, feeds }: Units) => ({
  domain,
  structure: s.kind,
  rows: s.kind === 'lattice' ? s.rows : s.kind === 'bipartite' ? s.visible : -1,
  columns: s.kind === 'lattice' ? s.columns : s.kind === 'bipartite' ? s.hidden : -1,
  coupling: s.kind === 'lattice' ? s.coupling : 0,
  field: s.kind === 'lattice' ? s.field : 0,
  scale: s.scale,
  ...feeds,
})

const ruleField = { choice: ['heatBath', 'metropolis', 'descent'] } as const
const orderField = { choice: ['random', 'sequential'] } as const

// The temperature of a rule at step t (descent has none: its schedule is unused).
const temperatureAt = (rule: FlipRule, T: Schedule, t: number): number => (rule === 'descent' ? 0 : scheduleAt(T, t))

// Counts one Metropolis decision of chain c.
const count = (r: ReferenceStep, c: number, flipped: boolean): void => {
  r.state.proposed[c] += 1
  if (flipped) r.state.accepted[c] += 1
}

defineInstruction({
  op: 'flipSites',
  fields: { rule: ruleField, order: orderField, temperature: 'schedule', draw: 'number', ...unitFields },
  encode: (ins: FlipSitesInstruction) => ({ rule: ins.rule, order: ins.order, temperature: ins.temperature, draw: ins.draw, ...encodeUnits(ins.units) }),
  reference: (ins: FlipSitesInstruction, r) => {
    const D = r.dimension
    const T = temperatureAt(ins.rule, ins.temperature, r.t)
    const [low, high] = unitValues(ins.units.domain)
    const random = ins.order === 'random'
    const stride = (random ? 1 : 0) + (ins.rule === 'descent' ? 0 : 1)
    const x = r.state.position
    r.rows((from, _to, c) => {
      const u = r.uniforms(c, ins.draw, D * stride)
      for (let k = 0; k < D; k++) {
        const i = from + (random ? unitOf(u[k * stride], D) : k)
        const g = localField(ins.units.structure, r.params, x, from, i - from) * (high - low)
        const s = x[i]
        x[i] = decide(ins.rule, g, s, low, high, T, u[k * stride + stride - 1])
        if (ins.rule === 'metropolis') count(r, c, x[i] !== s)
      }
    })
    r.moved()
  },
})

defineInstruction({
  op: 'flipBlock',
  fields: { rule: ruleField, block: 'number', temperature: 'schedule', draw: 'number', ...unitFields },
  encode: (ins: FlipBlockInstruction) => ({ rule: ins.rule, block: ins.block, temperature: ins.temperature, draw: ins.draw, ...encodeUnits(ins.units) }),
  reference: (ins: FlipBlockInstruction, r) => {
    const T = temperatureAt(ins.rule, ins.temperature, r.t)
    const [low, high] = unitValues(ins.units.domain)
    const sites = classUnits(ins.units.structure, r.dimension, ins.block)
    const x = r.state.position
    const gains = new Float64Array(sites.length)
    r.rows((from, _to, c) => {
      const u = ins.rule === 'descent' ? gains : r.uniforms(c, ins.draw, sites.length)
      // Every gain first: within a colour class no unit moves another's field, and a synchronous update
      // (block 2) needs them all from the state before it.
      sites.forEach((i, k) => {
        gains[k] = localField(ins.units.structure, r.params, x, from, i) * (high - low)
      })
      sites.forEach((i, k) => {
        const s = x[from + i]
        x[from + i] = decide(ins.rule, gains[k], s, low, high, T, u[k])
        if (ins.rule === 'metropolis') count(r, c, x[from + i] !== s)
      })
    })
    r.moved()
  },
})

defineInstruction({
  op: 'flipDifferences',
  fields: { rule: ruleField, order: orderField, temperature: 'schedule', draw: 'number', domain: { choice: ['binary', 'spins'] } },
  encode: (ins: FlipDifferencesInstruction) => ({ rule: ins.rule, order: ins.order, temperature: ins.temperature, draw: ins.draw, domain: ins.domain }),
  reference: (ins: FlipDifferencesInstruction, r) => {
    const D = r.dimension
    const T = temperatureAt(ins.rule, ins.temperature, r.t)
    const [low, high] = unitValues(ins.domain)
    const random = ins.order === 'random'
    const stride = (random ? 1 : 0) + (ins.rule === 'descent' ? 0 : 1)
    const { position: x, energy: E, gradient: g } = r.state
    const { energy: E0, gradient: g0 } = r.saved
    const unit = new Int32Array(r.state.chains)
    for (let k = 0; k < D; k++) {
      r.refresh()
      // Every chain tries its unit flipped; the evaluation is judged at the decision, as a proposal's.
      r.rows((from, to, c) => {
        unit[c] = from + (random ? unitOf(r.uniform(c, ins.draw + k * stride), D) : k)
        E0[c] = E[c]
        g0.set(g.subarray(from, to), from)
        x[unit[c]] = low + high - x[unit[c]]
      })
      r.moved()
      r.inProposal = true
      r.refresh()
      r.inProposal = false
      r.rows((from, to, c) => {
        const i = unit[c]
        const tried = x[i]
        const s = low + high - tried
        const gain = s === low ? E0[c] - E[c] : E[c] - E0[c]
        const chosen = decide(ins.rule, gain, s, low, high, T, ins.rule === 'descent' ? 0 : r.uniform(c, ins.draw + k * stride + stride - 1))
        if (ins.rule === 'metropolis') count(r, c, chosen === tried)
        if (chosen === tried) {
          if (!r.finiteChain(c)) r.state.alive[c] = 0
          return
        }
        x[i] = s
        E[c] = E0[c]
        g.set(g0.subarray(from, to), from)
      })
    }
  },
})
