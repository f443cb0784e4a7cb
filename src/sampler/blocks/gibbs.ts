/**
 * Block Gibbs sampling over the colour classes of a structure: every unit of a class drawn at once from
 * its conditional given the rest (within a class no two units interact, so the joint conditional
 * factorises). For a bipartite model (the joint energy of an RBM) the classes are its layers, and one step
 * of the default order is h ~ p(h | v), then v ~ p(v | h); for a lattice of even sides they are the
 * checkerboard's even and odd units.
 *
 * On a Gaussian–Bernoulli RBM's joint energy (domain 'mixed', `energy.gaussianBipartite`:
 * E = scale · (‖v − a‖²/(2σ²) − (v/σ)ᵀWh − bᵀh)) the visible layer is real: v | h ~ N(a + σWh, σ²T/scale)
 * per unit, and h | v is Bernoulli with p(hⱼ = 1) = sigmoid(scale · (bⱼ + (Wᵀv)ⱼ/σ)/T). Draw layout of the
 * `gaussianGibbs` instruction (src/sampler/blocks/gibbs.ts and native/sampler_discrete.cc alike): the
 * visible layer takes D normals from its draw (D = visible + hidden, the noise block's layout), unit i
 * the i-th; the hidden layer takes one uniform per unit, unit j draw + j, and is high when that uniform is
 * below its probability. Sums run over i (or j) in increasing order.
 *
 * @module
 */
import { array, oneOf, options, rangeError } from '../../check/index.js'
import { colourClasses, type BipartiteStructure, type Structure } from '../../energy/structure.js'
import { defineBlock, defineInstruction, type Flattener, type Target } from '../block.js'
import { positiveSchedule, scheduleAt, type Schedule, type ScheduleLike } from '../schedule.js'
import { decide, pushBlocks, unitsOf } from './flips.js'

/** A colour class by name: a bipartite model's layers, a lattice's checkerboard halves. */
export type ColourClass = 'visible' | 'hidden' | 'even' | 'odd'

/** A block Gibbs block: its temperature and the colour classes it draws, in order (null: the structure's default). */
export interface Gibbs {
  readonly type: 'gibbs'
  readonly temperature: Schedule
  readonly classes: readonly ColourClass[] | null
}

/** One layer of a Gaussian–Bernoulli joint drawn given the other: block 0 the visible (Gaussian) layer, 1 the hidden. */
export interface GaussianGibbsInstruction {
  readonly op: 'gaussianGibbs'
  readonly block: number
  readonly temperature: Schedule
  readonly draw: number
  readonly visible: number
  readonly hidden: number
  readonly sigma: number
  readonly scale: number
  /** The names of W, a and b (the reference runner's), and their feeds (the native one's). */
  readonly names: { readonly weights: string; readonly visibleBias: string; readonly hiddenBias: string }
  readonly weights: number
  readonly visibleBias: number
  readonly hiddenBias: number
}

declare module '../block.js' {
  interface Blocks {
    gibbs: Gibbs
  }
  interface Instructions {
    gaussianGibbs: GaussianGibbsInstruction
  }
}

const names = ['visible', 'hidden', 'even', 'odd'] as const

// The default order: a bipartite model's hidden layer from the visible one, then back; a lattice's halves.
const defaultOrder = (classes: readonly string[]): readonly string[] => (classes[0] === 'visible' ? ['hidden', 'visible'] : classes)

// The layers of a colour-class order, checked against the energy's classes.
const blocksOf = (order: readonly string[], own: readonly string[]): number[] =>
  order.map((b, i) => {
    if (!own.includes(b)) throw rangeError(`gibbs: classes[${i}]`, `one of the energy's colour classes (${own.join(', ')})`, b)
    return own.indexOf(b)
  })

// A mixed energy's structure is a bipartite one with σ (checkStructure holds to that).
const gaussianStructure = (s: Structure | undefined, name: string): BipartiteStructure & { readonly sigma: number } => {
  if (s?.kind !== 'bipartite' || s.sigma === undefined) throw new Error(`gibbs: energy '${name}' of domain 'mixed' without a bipartite structure with σ (checkStructure requires one)`)
  return s as BipartiteStructure & { readonly sigma: number }
}

// The layers of a Gaussian–Bernoulli joint, in order: normals for the visible layer, uniforms for the hidden.
const pushGaussian = (k: Gibbs, f: Flattener, target: Target): void => {
  const s = gaussianStructure(target.structure, target.name)
  const own = colourClasses(s)
  for (const block of blocksOf(k.classes ?? defaultOrder(own), own)) {
    const draw = f.draws(block === 0 ? f.dimension : s.hidden)
    const feeds = { weights: target.feeds[s.weights], visibleBias: target.feeds[s.visibleBias], hiddenBias: target.feeds[s.hiddenBias] }
    const names = { weights: s.weights, visibleBias: s.visibleBias, hiddenBias: s.hiddenBias }
    f.push({ op: 'gaussianGibbs', block, temperature: k.temperature, draw, visible: s.visible, hidden: s.hidden, sigma: s.sigma, scale: s.scale, names, ...feeds })
  }
}

const block = defineBlock<Gibbs>({
  type: 'gibbs',
  check: (k, where) => {
    const classes = k.classes === null || k.classes === undefined ? null : array<readonly unknown[]>(k.classes, where.field('classes'))
    if (classes !== null && classes.length === 0) throw rangeError(where.field('classes'), 'at least one colour class', classes)
    return Object.freeze({
      type: 'gibbs' as const,
      temperature: positiveSchedule(k.temperature, where.field('temperature')),
      classes: classes === null ? null : Object.freeze(Array.from(classes, (b, i) => oneOf(b, where.field(`classes[${i}]`), names))),
    })
  },
  flatten: (k, f) => {
    if (f.target?.domain === 'mixed') return pushGaussian(k, f, f.target)
    const units = unitsOf(f.target, 'gibbs')
    const own = colourClasses(units.structure)
    if (own.length === 0) throw rangeError('gibbs: energy', 'a bipartite model or a lattice of even sides (whose units fall into two classes of non-interacting units)', `energy '${f.target?.name}'`)
    pushBlocks(f, { type: 'gibbs', rule: 'heatBath', blocks: blocksOf(k.classes ?? defaultOrder(own), own), temperature: k.temperature })
  },
  domains: ['binary', 'spins', 'mixed'],
})

/**
 * Block Gibbs sampling at temperature T (default 1) over an energy's colour classes, in the order of
 * `classes` (default: ['hidden', 'visible'] for a bipartite model, ['even', 'odd'] for a lattice).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gibbs } from './gibbs.js'
 * assert.deepEqual(gibbs({ classes: ['hidden', 'visible'] }).classes, ['hidden', 'visible'])
 * assert.throws(() => gibbs({ classes: ['top'] as never }), { message: 'gibbs: classes[0]: expected one of "visible", "hidden", "even", "odd", got "top"' })
 */
export const gibbs = (o: { readonly temperature?: ScheduleLike; readonly classes?: readonly ColourClass[] } = {}): Gibbs => {
  const { temperature, classes } = options<{ temperature: ScheduleLike; classes: readonly ColourClass[] }>(o, 'gibbs: options', ['temperature', 'classes'])
  return block.build({ type: 'gibbs', temperature: temperature ?? 1, classes: classes ?? null }, 'gibbs')
}

defineInstruction({
  op: 'gaussianGibbs',
  fields: { block: 'number', temperature: 'schedule', draw: 'number', visible: 'number', hidden: 'number', sigma: 'number', scale: 'number', weights: 'number', visibleBias: 'number', hiddenBias: 'number' },
  encode: ({ op: _op, names: _names, ...fields }: GaussianGibbsInstruction) => fields,
  reference: (ins: GaussianGibbsInstruction, r) => {
    const { visible: V, hidden: H, sigma, scale } = ins
    const T = scheduleAt(ins.temperature, r.t)
    const [W, a, b] = [r.params[ins.names.weights], r.params[ins.names.visibleBias], r.params[ins.names.hiddenBias]]
    const x = r.state.position
    const sd = sigma * Math.sqrt(T / scale)
    r.rows((from, _to, c) => {
      if (ins.block === 0) {
        const z = r.normals(c, ins.draw)
        for (let i = 0; i < V; i++) {
          let m = 0
          for (let j = 0; j < H; j++) m += W[i * H + j] * x[from + V + j]
          x[from + i] = a[i] + sigma * m + sd * z[i]
        }
        return
      }
      const u = r.uniforms(c, ins.draw, H)
      for (let j = 0; j < H; j++) {
        let f = 0
        for (let i = 0; i < V; i++) f += W[i * H + j] * x[from + i]
        x[from + V + j] = decide('heatBath', scale * (f / sigma + b[j]), x[from + V + j], 0, 1, T, u[j])
      }
    })
    r.moved()
  },
})
