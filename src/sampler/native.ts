/**
 * The native runner: the same flattened program run by the addon's sampler loop (native/sampler.cc), K
 * steps per call on a worker thread, with no crossing into JavaScript between steps.
 *
 * @module
 */
import { nativeAddon, nativeHandle, encodeTape, type NativeAddon } from '../backend/index.js'
import type { Energy } from '../energy/energy.js'
import { gradientOnlyTape, gradientTape } from '../energy/evaluate.js'
import * as ir from '../ir/index.js'
import type { Instruction, SamplerProgram } from './program.js'
import type { NoiseScale } from './kernel.js'
import type { Schedule } from './schedule.js'

/** The addon with its sampler entry point (native/sampler_addon.cc). */
export interface SamplerAddon extends NativeAddon {
  sampleAsync(
    handle: number,
    dtype: 'float32' | 'float64',
    program: Float64Array,
    drawsPerStep: number,
    feeds: readonly (Float32Array | Float64Array | null)[],
    xFeed: number,
    energyOutput: number,
    gradientOutput: number,
    state: readonly [Float32Array | Float64Array, Float32Array | Float64Array, Float32Array | Float64Array, Float32Array | Float64Array, Uint8Array, Float64Array, Float64Array, Int32Array],
    seed: number,
    from: number,
    to: number,
    threads: number,
    cancel: Int32Array,
    gradientHandle: number,
  ): Promise<void>
}

/**
 * The addon when it is built with the sampler loop, or the reason it is not available.
 *
 * @example
 * import { samplerAddon } from './native.js'
 * const status = samplerAddon() // { addon } or { addon: undefined, reason }
 */
export const samplerAddon = (): { readonly addon: SamplerAddon } | { readonly addon: undefined; readonly reason: string } => {
  const status = nativeAddon()
  if (status.addon === undefined) return status
  if (typeof (status.addon as Partial<SamplerAddon>).sampleAsync !== 'function') return { addon: undefined, reason: 'the native addon was built without the sampler loop' }
  return { addon: status.addon as SamplerAddon }
}

/** Numbers per encoded instruction (SAMPLER_RECORD in native/sampler.h). */
export const recordSize = 22

const opCodes: Record<Instruction['op'], number> = { drift: 0, noise: 1, clamp: 2, momentum: 3, kick: 4, move: 5, leapfrog: 6, propose: 7, accept: 8, skip: 9 }
const scheduleCodes = { constant: 0, linear: 1, geometric: 2, cosine: 3 }
const correctionCodes = { symmetric: 0, langevin: 1, hamiltonian: 2 }

/**
 * Encodes a flattened program for the native loop: 22 numbers per instruction,
 * [op, draw, flag, p1, p2, noiseKind, A(4), B(4), C(4), D(4)], a schedule being [kind, from|value, to, steps].
 * Per op: drift A = step size, p1 = clip (0: none); noise flag = record, noiseKind 0 (A = σ) or 1
 * (A = h, B = T); clamp p1 = low, p2 = high; momentum flag = has friction, p1 = friction, A = h, B = T;
 * kick, move, leapfrog A = h; accept flag = correction (0 symmetric, 1 Langevin, 2 Hamiltonian),
 * A = T, B = the drift's h, p1 = its clip, noiseKind and C, D = the noise's; skip p1 = period, p2 = length.
 *
 * @example
 * import { encodeProgram } from './native.js'
 * import { flatten } from './program.js'
 * import { ula } from './builtins.js'
 * encodeProgram(flatten(ula({ stepSize: 0.1 }), 2)).length // 44: two instructions
 */
export const encodeProgram = (program: SamplerProgram): Float64Array => {
  const out = new Float64Array(program.instructions.length * recordSize)
  const schedule = (at: number, s: Schedule | null) => {
    if (s === null) return out.set([0, 0, 0, 1], at)
    if (s.kind === 'constant') return out.set([0, s.value, 0, 1], at)
    out.set([scheduleCodes[s.kind], s.from, s.to, s.steps], at)
  }
  const noise = (r: number, n: NoiseScale, first: number, second: number) => {
    out[r + 5] = n.kind === 'scale' ? 0 : 1
    if (n.kind === 'scale') schedule(r + first, n.scale)
    else {
      schedule(r + first, n.stepSize)
      schedule(r + second, n.temperature)
    }
  }
  program.instructions.forEach((ins, i) => {
    const r = i * recordSize
    out[r] = opCodes[ins.op]
    for (const at of [6, 10, 14, 18]) schedule(r + at, null)
    switch (ins.op) {
      case 'drift':
        out[r + 3] = ins.clip ?? 0
        return schedule(r + 6, ins.stepSize)
      case 'noise':
        out[r + 1] = ins.draw
        out[r + 2] = ins.record ? 1 : 0
        return noise(r, ins.scale, 6, 10)
      case 'clamp':
        out[r + 3] = ins.low
        out[r + 4] = ins.high
        return
      case 'momentum':
        out[r + 1] = ins.draw
        out[r + 2] = ins.friction === null ? 0 : 1
        out[r + 3] = ins.friction ?? 0
        schedule(r + 6, ins.stepSize)
        return schedule(r + 10, ins.temperature)
      case 'kick':
      case 'move':
      case 'leapfrog':
        return schedule(r + 6, ins.stepSize)
      case 'propose':
        return
      case 'accept':
        out[r + 1] = ins.draw
        out[r + 2] = correctionCodes[ins.correction]
        schedule(r + 6, ins.temperature)
        if (ins.drift !== null) {
          schedule(r + 10, ins.drift.stepSize)
          out[r + 3] = ins.drift.clip ?? 0
        }
        if (ins.noise !== null) noise(r, ins.noise, 14, 18)
        return
      case 'skip':
        out[r + 3] = ins.period
        out[r + 4] = ins.length
        return
    }
  })
  return out
}

/** The compiled energy-and-gradient tape of an energy for a batch, loaded into the addon. */
export interface LoadedEnergy {
  readonly handle: number
  readonly tape: ir.Tape
  readonly xFeed: number
}

const loaded = new WeakMap<Energy, Map<number, LoadedEnergy>>()

/**
 * Compiles E and ∇ₓ(ΣE) of an energy for `chains` chains and loads the tape into the addon (once per
 * energy value and batch size).
 *
 * @example
 * import { loadEnergy, samplerAddon } from './native.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const status = samplerAddon()
 * if (status.addon !== undefined) loadEnergy(status.addon, quadratic, 8).xFeed // 0
 */
export const loadEnergy = (addon: SamplerAddon, energy: Energy, chains: number): LoadedEnergy => {
  const known = loaded.get(energy)?.get(chains)
  if (known !== undefined) return known
  const tape = gradientTape(energy, chains)
  const handle = addon.load(tape.hash, encodeTape(tape))
  const result = { handle, tape, xFeed: tape.feeds.findIndex((f) => f.name === 'x') }
  if (!loaded.has(energy)) loaded.set(energy, new Map())
  loaded.get(energy)?.set(chains, result)
  return result
}

/**
 * The addon's handle of ∇ₓ(ΣE) alone (the feeds of {@link loadEnergy}'s tape), compiled and sent once per
 * energy value and batch size: what programs without a Metropolis test run between snapshots. Throws when
 * the addon is not built.
 *
 * @example
 * import { loadGradient, samplerAddon } from './native.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * if (samplerAddon().addon !== undefined) loadGradient(quadratic, 8) // a handle
 */
export const loadGradient = (energy: Energy, chains: number): number => nativeHandle(gradientOnlyTape(energy, chains))
