/**
 * A kernel flattened into a straight list of instructions with fixed random-draw offsets: the form both
 * runners interpret, the TypeScript reference and the native loop alike. Each block flattens itself
 * (its `flatten` in the registry); this module holds the program being built.
 *
 * Draw layout. Every chain has its own Philox stream (stream = chain index) under the run's seed. Step t
 * uses draw indices t·drawsPerStep … (t + 1)·drawsPerStep − 1 of that stream; an instruction that draws
 * owns a fixed range starting at its `draw` offset: `noise` and `momentum` take normals for coordinates
 * j = 0 … D − 1 at index t·drawsPerStep + draw + j, `accept` takes one uniform at t·drawsPerStep + draw.
 * Every range starts at an even offset and has even length (D rounded up; 2 for a uniform), so a Philox
 * block (two draws) never serves both a normal and a uniform. Blocks under `every` keep their ranges on
 * the steps they skip, and `repeat` gives each repetition its own range.
 *
 * @module
 */
import { rangeError } from '../check/index.js'
import type { Energy } from '../energy/energy.js'
import type { Domain } from '../energy/structure.js'
import { blockOf, blockTypes, instructionOf, type Flattener, type Instruction, type Kernel, type Target } from './block.js'
import { metricNumbers, type Metric, type MetricSlot } from './metric.js'

export type { Instruction, Target } from './block.js'

/** A flattened kernel for configurations of `dimension` numbers. */
export interface SamplerProgram {
  readonly instructions: readonly Instruction[]
  readonly dimension: number
  /** Draws each chain's stream advances by per step (even). */
  readonly drawsPerStep: number
  /** Whether the program has a Metropolis test (it counts proposals and acceptances, and reports acceptance). */
  readonly metropolis: boolean
  /** Whether it needs E at every evaluation (a Metropolis test, an energy-difference flip), not only ∇E. */
  readonly needsEnergy: boolean
  /** The mass matrices of its Hamiltonian blocks, each [Σ, F] at its slot's offset (src/sampler/metric.ts). */
  readonly metric: Float64Array
  /** Whether it builds NUTS trees, so runs report their depths, leapfrog steps, divergences and maximum-depth hits. */
  readonly trees: boolean
}

/**
 * What blocks know of an energy: its name, domain, structure, and the tape feed of each parameter (x is
 * feed 0; the parameters follow in sorted order, as energy.program lists them).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { targetOf } from './program.js'
 * import * as energy from '../energy/index.js'
 * const t = targetOf(energy.boltzmann({ weights: [[0, 1], [1, 0]] }))
 * assert.deepEqual([t.domain, t.feeds], ['spins', { W: 1, b: 2 }])
 */
export const targetOf = (e: Energy): Target => ({
  name: e.name,
  domain: e.domain,
  ...(e.structure === undefined ? {} : { structure: e.structure }),
  feeds: Object.fromEntries(Object.keys(e.params).sort().map((name, i) => [name, i + 1])),
})

const blockDomains = (type: string): 'any' | readonly Domain[] => blockOf(type)?.domains ?? ['real']

// What the blocks of a domain do, for the error that refuses the others.
const doing = (domain: Domain): string =>
  domain === 'real' ? 'moves real coordinates' : domain === 'mixed' ? 'draws Gaussian visible and binary hidden units' : 'flips binary units or spins'

/** The refusal of a block on an energy whose domain it does not sample, naming the blocks that do. */
const wrongDomain = (where: string, type: string, target: Target): RangeError => {
  const fits = blockTypes().filter((t) => {
    const d = blockDomains(t)
    return d !== 'any' && d.includes(target.domain)
  })
  return rangeError(`${where} (${type})`, `a block that ${doing(target.domain)} for energy '${target.name}' of domain '${target.domain}' (${fits.join(', ')})`, type)
}

/** The most instructions a program may have (repeats are unrolled). */
export const maximumInstructions = 100_000

/**
 * Flattens a (checked) kernel for configurations of `dimension` numbers, for the energy `target` when
 * given: a block that does not sample the energy's domain (a gradient step on spins, a flip on real
 * numbers) is refused, naming the block, the domain and the blocks that fit (`where` begins the message).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { flatten, targetOf } from './program.js'
 * import { mala, ula } from './builtins.js'
 * import * as energy from '../energy/index.js'
 * // 4 normals (3 rounded up to even) and 2 for the uniform
 * assert.equal(flatten(mala({ stepSize: 0.1 }), 3).drawsPerStep, 6)
 * const spins = energy.boltzmann({ weights: [[0, 1], [1, 0]] })
 * assert.throws(() => flatten(ula({ stepSize: 0.1 }), 2, targetOf(spins), 'sample: kernel'), { message: /^sample: kernel \(drift\): expected a block that flips binary units or spins for energy 'boltzmann' of domain 'spins' \(heatBath, .*\), got "drift"$/ })
 */
export const flatten = (kernel: Kernel, dimension: number, target?: Target, where = 'flatten: kernel'): SamplerProgram => {
  const state: Flattening = { dimension, target, where, out: [], draws: 0, metropolis: false, needsEnergy: false, trees: false, inProposal: false, metrics: new Map(), metricLength: 0 }
  walk(state, kernel)
  const { out, draws, metropolis, needsEnergy, trees } = state
  return { instructions: out, dimension, drawsPerStep: draws, metropolis, needsEnergy, metric: packedMetric(state), trees }
}

// A flattening under way: the kernel's instructions so far, its draws per step, what its blocks need, and
// the metrics met (equal ones share an entry).
interface Flattening {
  readonly dimension: number
  readonly target: Target | undefined
  readonly where: string
  readonly out: Instruction[]
  draws: number
  metropolis: boolean
  needsEnergy: boolean
  trees: boolean
  inProposal: boolean
  readonly metrics: Map<Metric, MetricSlot>
  metricLength: number
}

// One block: refused on an energy whose domain it does not sample, else flattened by its definition.
const walk = (state: Flattening, k: Kernel): void => {
  const def = blockOf(k.type)
  if (def === undefined) throw new Error(`sampler: flatten met an unregistered block '${k.type}' (check the kernel first)`)
  const { target, where } = state
  const domains = def.domains ?? ['real']
  if (domains !== 'any' && !domains.includes(target?.domain ?? 'real')) {
    if (target === undefined) throw rangeError(`${where} (${k.type})`, 'the energy it samples (flatten(kernel, dimension, targetOf(energy)))', 'no energy')
    throw wrongDomain(where, k.type, target)
  }
  def.flatten(k as never, flattener(state))
}

// An instruction appended; what its op requires (E, a Metropolis count, NUTS counters) is noted.
const push = (state: Flattening, ins: Instruction): number => {
  if (state.out.length >= maximumInstructions) throw new RangeError(`flatten: expected a kernel of at most ${maximumInstructions} instructions (repeat unrolls), got more`)
  const requires = instructionOf(ins.op).requires
  if (requires?.energy === true) state.needsEnergy = true
  if (requires?.acceptance === true) state.metropolis = true
  if (requires?.trees === true) state.trees = true
  return state.out.push(ins) - 1
}

// The metric's slot in the program's metric array (null for the identity); equal metrics share one.
const metricSlot = (state: Flattening, m: Metric | undefined): MetricSlot | null => {
  if (m === undefined || m.kind === 'identity') return null
  const known = state.metrics.get(m) ?? [...state.metrics].find(([k]) => k.kind === m.kind && k.inverse.length === m.inverse.length && k.inverse.every((v, i) => v === m.inverse[i]))?.[1]
  if (known !== undefined) return known
  const numbers = metricNumbers(m, state.dimension, `${state.where} (metric)`)
  const n = numbers.length / 2
  const slot = { kind: m.kind, at: state.metricLength, inverse: numbers.subarray(0, n), factor: numbers.subarray(n) }
  state.metrics.set(m, slot)
  state.metricLength += numbers.length
  return slot
}

// What a block's flatten sees of the flattening.
const flattener = (state: Flattening): Flattener => ({
  dimension: state.dimension,
  target: state.target,
  needsEnergy: () => {
    state.needsEnergy = true
  },
  countsAcceptance: () => {
    state.metropolis = true
  },
  get inProposal() {
    return state.inProposal
  },
  get length() {
    return state.out.length
  },
  push: (ins) => push(state, ins as Instruction),
  set: (index, ins) => {
    state.out[index] = ins as Instruction
  },
  from: (index) => state.out.slice(index),
  draws: (count) => {
    const at = state.draws
    state.draws += count + (count % 2)
    return at
  },
  walk: (k) => walk(state, k),
  proposal: (k) => {
    state.metropolis = true
    state.needsEnergy = true
    state.inProposal = true
    walk(state, k)
    state.inProposal = false
  },
  metric: (m) => metricSlot(state, m),
})

// The metrics' inverse and factor arrays laid end to end, each at its slot's offset.
const packedMetric = (state: Flattening): Float64Array => {
  const metric = new Float64Array(state.metricLength)
  for (const slot of state.metrics.values()) {
    metric.set(slot.inverse, slot.at)
    metric.set(slot.factor, slot.at + slot.inverse.length)
  }
  return metric
}
