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
import { blockOf, type Flattener, type Instruction, type Kernel } from './block.js'

export type { Instruction } from './block.js'

/** A flattened kernel for configurations of `dimension` numbers. */
export interface SamplerProgram {
  readonly instructions: readonly Instruction[]
  readonly dimension: number
  /** Draws each chain's stream advances by per step (even). */
  readonly drawsPerStep: number
  /** Whether the program has a Metropolis step (so it needs E at every step, and reports acceptance). */
  readonly metropolis: boolean
}

/** The most instructions a program may have (repeats are unrolled). */
export const maximumInstructions = 100_000

/**
 * Flattens a (checked) kernel for configurations of `dimension` numbers.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { flatten } from './program.js'
 * import { mala } from './builtins.js'
 * // 4 normals (3 rounded up to even) and 2 for the uniform
 * assert.equal(flatten(mala({ stepSize: 0.1 }), 3).drawsPerStep, 6)
 */
export const flatten = (kernel: Kernel, dimension: number): SamplerProgram => {
  const out: Instruction[] = []
  let draws = 0
  let metropolis = false
  let inProposal = false
  const walk = (k: Kernel): void => {
    const def = blockOf(k.type)
    if (def === undefined) throw new Error(`sampler: flatten met an unregistered block '${k.type}' (check the kernel first)`)
    def.flatten(k as never, f)
  }
  const f: Flattener = {
    dimension,
    get inProposal() {
      return inProposal
    },
    get length() {
      return out.length
    },
    push: (ins) => {
      if (out.length >= maximumInstructions) throw new RangeError(`flatten: expected a kernel of at most ${maximumInstructions} instructions (repeat unrolls), got more`)
      return out.push(ins as Instruction) - 1
    },
    set: (index, ins) => {
      out[index] = ins as Instruction
    },
    from: (index) => out.slice(index),
    draws: (count) => {
      const at = draws
      draws += count + (count % 2)
      return at
    },
    walk,
    proposal: (k) => {
      metropolis = true
      inProposal = true
      walk(k)
      inProposal = false
    },
  }
  walk(kernel)
  return { instructions: out, dimension, drawsPerStep: draws, metropolis }
}
