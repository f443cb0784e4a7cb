/**
 * A kernel flattened into a straight list of instructions with fixed random-draw offsets: the form both
 * runners interpret, the TypeScript reference and the native loop alike.
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
import type { Correction, Kernel, NoiseScale } from './kernel.js'
import type { Schedule } from './schedule.js'

/** One instruction of a flattened sampler program. */
export type Instruction =
  | { readonly op: 'drift'; readonly stepSize: Schedule; readonly clip: number | null }
  | { readonly op: 'noise'; readonly scale: NoiseScale; readonly draw: number; readonly record: boolean }
  | { readonly op: 'clamp'; readonly low: number; readonly high: number }
  | { readonly op: 'momentum'; readonly friction: number | null; readonly stepSize: Schedule; readonly temperature: Schedule; readonly draw: number }
  | { readonly op: 'kick' | 'move' | 'leapfrog'; readonly stepSize: Schedule }
  | { readonly op: 'propose' }
  | {
      readonly op: 'accept'
      readonly correction: Correction
      readonly temperature: Schedule
      readonly draw: number
      /** The Langevin proposal's drift and noise, whose reverse density the accept step computes. */
      readonly drift: { readonly stepSize: Schedule; readonly clip: number | null } | null
      readonly noise: NoiseScale | null
    }
  | { readonly op: 'skip'; readonly period: number; readonly length: number }

/** A flattened kernel for configurations of `dimension` numbers. */
export interface SamplerProgram {
  readonly instructions: readonly Instruction[]
  readonly dimension: number
  /** Draws each chain's stream advances by per step (even). */
  readonly drawsPerStep: number
  /** Whether the program has a Metropolis step (so acceptance is reported). */
  readonly metropolis: boolean
}

/** The most instructions a program may have (repeats are unrolled). */
export const maximumInstructions = 100_000

/**
 * Flattens a (checked) kernel for configurations of `dimension` numbers.
 *
 * @example
 * import { flatten } from './program.js'
 * import { mala } from './builtins.js'
 * flatten(mala({ stepSize: 0.1 }), 3).drawsPerStep // 6: 4 normals (3 rounded up to even) and 2 for the uniform
 */
export const flatten = (kernel: Kernel, dimension: number): SamplerProgram => {
  const out: Instruction[] = []
  const even = (n: number) => n + (n % 2)
  let draws = 0
  let metropolis = false
  const take = (n: number) => {
    const at = draws
    draws += even(n)
    return at
  }
  const push = (i: Instruction) => {
    if (out.length >= maximumInstructions) throw new RangeError(`sampler: the kernel flattens to more than ${maximumInstructions} instructions (repeat unrolls)`)
    out.push(i)
  }
  const walk = (k: Kernel, record: boolean): void => {
    switch (k.type) {
      case 'drift':
        return push({ op: 'drift', stepSize: k.stepSize, clip: k.clip })
      case 'noise':
        return push({ op: 'noise', scale: k.scale, draw: take(dimension), record })
      case 'clamp':
        return push({ op: 'clamp', low: k.low, high: k.high })
      case 'momentum':
        return push({ op: 'momentum', friction: k.friction, stepSize: k.stepSize, temperature: k.temperature, draw: take(dimension) })
      case 'kick':
      case 'move':
      case 'leapfrog':
        return push({ op: k.type, stepSize: k.stepSize })
      case 'sequence':
        return k.blocks.forEach((b) => walk(b, record))
      case 'repeat':
        for (let i = 0; i < k.times; i++) walk(k.block, record)
        return
      case 'every': {
        const at = out.length
        push({ op: 'skip', period: k.period, length: 0 })
        walk(k.block, record)
        out[at] = { op: 'skip', period: k.period, length: out.length - at - 1 }
        return
      }
      case 'metropolis': {
        metropolis = true
        push({ op: 'propose' })
        const first = out.length
        walk(k.proposal, true)
        const moves = out.slice(first)
        const driftStep = moves.find((i) => i.op === 'drift')
        const noiseStep = moves.find((i) => i.op === 'noise')
        push({
          op: 'accept',
          correction: k.correction,
          temperature: k.temperature,
          draw: take(1),
          drift: k.correction === 'langevin' && driftStep?.op === 'drift' ? { stepSize: driftStep.stepSize, clip: driftStep.clip } : null,
          noise: k.correction === 'langevin' && noiseStep?.op === 'noise' ? noiseStep.scale : null,
        })
        return
      }
    }
  }
  walk(kernel, false)
  return { instructions: out, dimension, drawsPerStep: draws, metropolis }
}
