/**
 * Wolff's cluster update (Wolff 1989) for spins: from a uniformly drawn seed unit, a cluster grows across
 * every satisfied bond (Jᵢⱼ sᵢ sⱼ > 0) with probability 1 − exp(−2|Jᵢⱼ|/T), and the whole cluster flips.
 * The bonds' part of the energy change is exactly balanced by the growth probabilities, so with no field
 * every cluster is flipped; a field's part, ΔE_h = 2 Σ_{i ∈ C} hᵢ sᵢ, is accepted with probability
 * min(1, exp(−ΔE_h/T)) (runs report that acceptance). Near a critical point clusters span the lattice and
 * decorrelate it in a few steps where single flips need thousands. One step is one cluster.
 *
 * Draws: the seed unit from uniform draw, the field's test from draw + 1, and bond b (src/energy/structure.ts's
 * `forEachBond` numbers the directed bonds) from draw + 2 + b when the growth tests it. The cluster grows
 * depth first from a stack, neighbours in `forEachBond`'s order, the same in native/sampler_discrete.cc.
 *
 * @module
 */
import { options } from '../../check/index.js'
import { rangeError } from '../../check/index.js'
import { bondCount, forEachBond, unitBias } from '../../energy/structure.js'
import { exp } from '../../rng/math.js'
import { defineBlock, defineInstruction } from '../block.js'
import { positiveSchedule, scheduleAt, type Schedule, type ScheduleLike } from '../schedule.js'
import { encodeUnits, unitFields, unitOf, unitsOf, type Units } from './flips.js'

/** A Wolff block. */
export interface Wolff {
  readonly type: 'wolff'
  readonly temperature: Schedule
}

/** One cluster flip over the units of a structure. */
export interface WolffInstruction {
  readonly op: 'wolff'
  readonly temperature: Schedule
  readonly draw: number
  readonly units: Units
}

declare module '../block.js' {
  interface Blocks {
    wolff: Wolff
  }
  interface Instructions {
    wolff: WolffInstruction
  }
}

const block = defineBlock<Wolff>({
  type: 'wolff',
  check: (k, where) => Object.freeze({ type: 'wolff' as const, temperature: positiveSchedule(k.temperature, where.field('temperature')) }),
  flatten: (k, f) => {
    const units = unitsOf(f.target, 'wolff')
    if (units.domain !== 'spins') throw rangeError('wolff: energy', "an energy of domain 'spins' (a cluster flips s to −s)", `energy '${f.target?.name}' of domain '${units.domain}'`)
    f.countsAcceptance()
    f.push({ op: 'wolff', temperature: k.temperature, draw: f.draws(2 + bondCount(units.structure, f.dimension)), units })
  },
  domains: ['spins'],
})

defineInstruction({
  op: 'wolff',
  fields: { temperature: 'schedule', draw: 'number', ...unitFields },
  encode: (ins: WolffInstruction) => ({ temperature: ins.temperature, draw: ins.draw, ...encodeUnits(ins.units) }),
  reference: (ins: WolffInstruction, r) => {
    const D = r.dimension
    const T = scheduleAt(ins.temperature, r.t)
    const { structure } = ins.units
    const x = r.state.position
    const inCluster = new Uint8Array(D)
    const cluster: number[] = []
    r.rows((from, _to, c) => {
      inCluster.fill(0)
      cluster.length = 0
      const seed = unitOf(r.uniform(c, ins.draw), D)
      inCluster[seed] = 1
      cluster.push(seed)
      const stack = [seed]
      while (stack.length > 0) {
        const i = stack.pop() as number
        const si = x[from + i]
        forEachBond(structure, r.params, i, (j, J, bond) => {
          if (inCluster[j] || !(J * si * x[from + j] > 0)) return
          if (r.uniform(c, ins.draw + 2 + bond) < 1 - exp(-((2 * Math.abs(J)) / T))) {
            inCluster[j] = 1
            cluster.push(j)
            stack.push(j)
          }
        })
      }
      let dE = 0
      for (const i of cluster) dE += 2 * unitBias(structure, r.params, i) * x[from + i]
      r.state.proposed[c] += 1
      if (!(dE <= 0 || r.uniform(c, ins.draw + 1) < exp(-(dE / T)))) return
      r.state.accepted[c] += 1
      for (const i of cluster) x[from + i] = -x[from + i]
    })
    r.moved()
  },
})

/**
 * Wolff cluster updates at temperature T (default 1) for spin energies with a structure (an Ising lattice,
 * a Boltzmann machine over spins).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { wolff } from './wolff.js'
 * assert.deepEqual(wolff({ temperature: 2.269 }), { type: 'wolff', temperature: { kind: 'constant', value: 2.269 } })
 */
export const wolff = (o: { readonly temperature?: ScheduleLike } = {}): Wolff => {
  const { temperature } = options<{ temperature: ScheduleLike }>(o, 'wolff: options', ['temperature'])
  return block.build({ type: 'wolff', temperature: temperature ?? 1 }, 'wolff')
}
