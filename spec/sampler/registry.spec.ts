/**
 * The block and instruction registries are complete and agree with the addon: every registered block
 * checks and flattens, every instruction has a reference step and an encoding, the addon has a handler
 * for every instruction with the same fields (and nothing else), and a kernel made of every block runs
 * the same on both runners.
 */
import { pipe } from 'fp-ts/lib/function.js'
import t, { type Test } from 'tap'
import * as energy from '../../src/energy/index.js'
import { lattice as isingLattice } from '../../src/energy/ising.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'
import { blockOf } from '../../src/sampler/block.js'
import * as rng from '../../src/rng/index.js'
import { encodeProgram, fieldConflicts, loadEnergy, samplerAddon, tableDifferences, type SamplerLayout } from '../../src/sampler/native.js'

// A kernel holding every block (each constructor once), so that its program holds every instruction.
const everyBlock = sampler.named('every block', [
  sampler.momentum({ friction: 0.5, stepSize: 0.1, temperature: 0.8 }),
  sampler.kick({ stepSize: 0.1 }),
  sampler.move({ stepSize: 0.1 }),
  sampler.drift({ stepSize: 0.05, clip: 1 }),
  sampler.noise({ stepSize: 0.05, temperature: 0.5 }),
  sampler.clamp({ low: -2, high: 2 }),
  pipe(sampler.sequence(sampler.noise({ scale: 1.5 }), sampler.reflect({ low: -0.5, high: 1 })), sampler.metropolis({ temperature: 0.7 }), sampler.every(2)),
  pipe(sampler.leapfrog({ stepSize: 0.1 }), sampler.repeat(2), sampler.metropolis({ temperature: 1.3 })),
])

// NUTS composed, in a kernel of its own: its record leaves most of the widest record unused, which would
// dilute the corruption test of the kernel above.
const nutsComposed = sampler.named('nuts composed', [
  sampler.momentum({ friction: 0.5, stepSize: 0.1 }),
  pipe(sampler.nuts({ stepSize: 0.3, maxTreeDepth: 4, temperature: 1.2 }), sampler.every(2)),
  sampler.nuts({ stepSize: sampler.linear(0.2, 0.4, 10), maxTreeDepth: 6, temperature: 0.8 }),
])

// The discrete blocks, which flip spins instead of moving real coordinates, in a kernel of their own for
// an Ising lattice (with a field, so that Wolff's field test and every rule's arithmetic are exercised).
const lattice = isingLattice({ size: 4, coupling: 0.8, field: 0.15 })
const everyDiscreteBlock = sampler.named('every discrete block', [
  sampler.heatBath({ temperature: 2.5 }),
  sampler.heatBath({ temperature: 2.1, order: 'checkerboard' }),
  sampler.metropolisFlips({ temperature: 1.9, order: 'sequential', via: 'differences' }),
  sampler.gibbs({ temperature: 2.4, classes: ['odd', 'even'] }),
  sampler.descent({ order: 'synchronous' }),
  pipe(sampler.wolff({ temperature: 2.3 }), sampler.every(2)),
])

// Block Gibbs on a Gaussian–Bernoulli RBM's joint (domain 'mixed'): its Gaussian visible layer and its
// hidden layer are the gaussianGibbs instruction's two blocks.
const gaussianJoint = energy.gaussianBipartite({ weights: [[0.9, -0.6], [0.3, 1.1]], visibleBias: [0.2, -0.4], hiddenBias: [0.5, -0.3], sigma: 0.7 })
const gaussianGibbs = sampler.gibbs({ temperature: 1.3 })

const typesIn = (k: sampler.Kernel): string[] => {
  const inner = 'blocks' in k ? k.blocks : 'block' in k ? [k.block] : 'proposal' in k ? [k.proposal] : []
  return [k.type, ...inner.flatMap(typesIn)]
}

t.test('every registered block checks and flattens, and the test kernel uses each of them', async (t) => {
  for (const type of sampler.blockTypes()) {
    const def = blockOf(type)
    t.type(def?.check, 'function', `${type}: check`)
    t.type(def?.flatten, 'function', `${type}: flatten`)
  }
  t.same(new Set([...typesIn(everyBlock), ...typesIn(nutsComposed), ...typesIn(everyDiscreteBlock)]), new Set(sampler.blockTypes()), 'the kernels below hold every registered block (add a new one to one of them)')
})

t.test('every registered instruction has a reference step, an encoding and fields, and the test kernel flattens into each', async (t) => {
  for (const def of sampler.instructionDefinitions()) {
    t.type(def.reference, 'function', `${def.op}: reference step`)
    t.type(def.encode, 'function', `${def.op}: native encoding`)
    t.type(def.fields, 'object', `${def.op}: fields`)
  }
  const ops = new Set(
    [
      ...sampler.flatten(everyBlock, 2).instructions,
      ...sampler.flatten(nutsComposed, 2).instructions,
      ...sampler.flatten(everyDiscreteBlock, 16, sampler.targetOf(lattice)).instructions,
      ...sampler.flatten(gaussianGibbs, 4, sampler.targetOf(gaussianJoint)).instructions,
    ].map((i) => i.op),
  )
  t.same(ops, new Set(sampler.instructionDefinitions().map((d) => d.op)))
})

const status = samplerAddon()
if (status.addon === undefined) {
  t.pass(`addon checks skipped: ${status.reason}`)
} else {
  const addon = status.addon
  const layout = addon.samplerInstructions()

  t.test("the addon's instruction table is the TypeScript registry's: the same names, the same fields", async (t) => {
    t.same(tableDifferences(layout), [])
    t.same(new Set(layout.instructions.map((i) => i.name)), new Set(sampler.instructionDefinitions().map((d) => d.op)))
    for (const ins of layout.instructions) {
      const ours = sampler.instructionDefinitions().find((d) => d.op === ins.name)
      t.same(new Set(ins.fields.map((f) => f.name)), new Set(Object.keys(ours?.fields ?? {})), `${ins.name}: field names`)
    }
    t.same(layout.schedules, ['constant', 'linear', 'geometric', 'cosine'])
    t.same(layout.noiseScales, ['scale', 'langevin'])
    // Fields lie one after the other after the op code, and the widest fills the record.
    const width = { number: 1, choice: 1, schedule: 4, noise: 9 }
    let widest = 0
    for (const ins of layout.instructions) {
      let at = 1
      for (const f of ins.fields) {
        t.equal(f.offset, at, `${ins.name}.${f.name} at ${at}`)
        at += width[f.kind]
      }
      widest = Math.max(widest, at)
    }
    t.equal(layout.recordSize, widest)
  })

  t.test('a difference between the tables is found, whichever side it is on', async (t) => {
    const edit = (f: (i: SamplerLayout['instructions'][number]) => SamplerLayout['instructions'][number] | undefined): SamplerLayout => ({
      ...layout,
      instructions: layout.instructions.flatMap((i) => f(i) ?? []),
    })
    t.same(tableDifferences(edit((i) => (i.name === 'reflect' ? undefined : i))), ["'reflect' is not in the addon"])
    t.same(tableDifferences({ ...layout, instructions: [...layout.instructions, { name: 'teleport', fields: [] }] }), ["'teleport' is not in the TypeScript registry"])
    const renamed = edit((i) => (i.name === 'drift' ? { ...i, fields: i.fields.map((f) => (f.name === 'clip' ? { ...f, name: 'clipping' } : f)) } : i))
    t.same(fieldConflicts(renamed), ["'drift' has fields {clip: number; stepSize: schedule} in TypeScript and {clipping: number; stepSize: schedule} in the addon"])
    const choices = edit((i) => (i.name === 'accept' ? { ...i, fields: i.fields.map((f) => (f.name === 'correction' ? { ...f, choices: ['langevin', 'symmetric', 'hamiltonian'] } : f)) } : i))
    t.match(fieldConflicts(choices), [/^'accept' has fields \{.*correction: choice \[symmetric, langevin, hamiltonian\].*\} in TypeScript and \{.*correction: choice \[langevin, symmetric, hamiltonian\]/])
  })

  t.test('a kernel of every block runs the same on the native loop as on the reference (float64), on any thread count', async (t) => {
    const e = energy.define({
      name: 'tilted',
      shape: [2],
      build: (x) => ir.add(ir.mul(ir.sum(ir.square(x), 1), 0.75), ir.reshape(ir.matmul(ir.sin(x), ir.constant([0.3, -0.2], [2, 1])), [x.shape[0]])),
    })
    const chains = 200
    const options = { chains, steps: 12, seed: 9, thin: 5, init: Float64Array.from({ length: chains * 2 }, (_v, i) => Math.cos(0.91 * i)) }
    for (const k of [everyBlock, nutsComposed]) {
      const ref = await sampler.sample(e, k, { ...options, backend: 'reference' })
      const one = await sampler.sample(e, k, { ...options, backend: 'native' })
      const two = await sampler.sample(e, k, { ...options, backend: 'native', threads: 2 })
      let worst = 0
      ref.positions.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - one.positions[i]) / Math.max(1, Math.abs(v)))
      })
      t.ok(worst < 1e-9, `${k.name}: positions differ by ${worst.toExponential(2)}`)
      t.same(one.trace, ref.trace.map((s, i) => ({ ...s, meanEnergy: one.trace[i].meanEnergy, meanGradientNorm: one.trace[i].meanGradientNorm })), `${k.name}: acceptance, trees and non-finite counts`)
      t.strictSame(two.positions, one.positions, `${k.name}: the same bits on two threads`)
    }
  })

  t.test('a kernel of every discrete block gives the reference bits on the native loop, on any thread count', async (t) => {
    const chains = 150
    const options = { chains, steps: 6, seed: 4, thin: 3 }
    const ref = await sampler.sample(lattice, everyDiscreteBlock, { ...options, backend: 'reference' })
    const one = await sampler.sample(lattice, everyDiscreteBlock, { ...options, backend: 'native' })
    const two = await sampler.sample(lattice, everyDiscreteBlock, { ...options, backend: 'native', threads: 2 })
    t.strictSame(one.positions, ref.positions, 'the same spins')
    t.strictSame(one.trace, ref.trace, 'the same acceptance, energies and counts')
    t.strictSame(two.positions, one.positions, 'the same bits on two threads')
  })

  t.test('block Gibbs on a Gaussian–Bernoulli joint gives the reference bits on the native loop, on any thread count', async (t) => {
    const options = { chains: 150, steps: 6, seed: 4, thin: 3, init: Float64Array.from({ length: 600 }, (_v, i) => (i % 4 < 2 ? Math.cos(i) : i % 2)) }
    const ref = await sampler.sample(gaussianJoint, gaussianGibbs, { ...options, backend: 'reference' })
    const one = await sampler.sample(gaussianJoint, gaussianGibbs, { ...options, backend: 'native' })
    const two = await sampler.sample(gaussianJoint, gaussianGibbs, { ...options, backend: 'native', threads: 2 })
    t.strictSame(one.positions, ref.positions, 'the same units')
    t.strictSame(two.positions, one.positions, 'the same bits on two threads')
  })

  t.test('a corrupted program is refused with an error or runs, never crashes', async (t) => {
    // Every number of an encoded program of every instruction, one at a time, set to a value a decode
    // must judge: negative, fractional, huge, NaN, infinite, or an op code of another instruction.
    const chains = 4
    for (const [e, program] of [
      [energy.define({ name: 'bowl', shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) }), sampler.flatten(everyBlock, 2)],
      [energy.define({ name: 'bowl', shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) }), sampler.flatten(nutsComposed, 2)],
      [lattice, sampler.flatten(everyDiscreteBlock, 16, sampler.targetOf(lattice))],
      [gaussianJoint, sampler.flatten(gaussianGibbs, 4, sampler.targetOf(gaussianJoint))],
    ] as const) await corrupt(t, e, program)
  })

  const corrupt = async (t: Test, e: energy.Energy, program: sampler.SamplerProgram) => {
    const chains = 4
    const D = program.dimension
    const loaded = loadEnergy(addon, e, chains)
    const encoded = encodeProgram(program, layout)
    const params = energy.init(e)
    const feeds = loaded.tape.feeds.map((f) => (f.name === 'x' ? null : params[f.name]))
    const values = [-1, 0.5, 3, 1e300, NaN, Infinity, -Infinity, 2 ** 53, layout.instructions.length]
    const picks = rng.uniforms(2026, 0, 0, 400)
    let refused = 0
    for (let i = 0; i < picks.length; i += 2) {
      const at = Math.floor(picks[i] * encoded.length)
      const bad = Float64Array.from(encoded)
      bad[at] = values[Math.floor(picks[i + 1] * values.length)]
      const state = {
        position: new Float64Array(chains * D).fill(D === 16 ? 1 : 0.3), momentum: new Float64Array(chains * D), energy: new Float64Array(chains), gradient: new Float64Array(chains * D),
        alive: new Uint8Array(chains).fill(1), proposed: new Float64Array(chains), accepted: new Float64Array(chains), trees: new Float64Array(chains * 5), fresh: new Int32Array(1),
      }
      try {
        await addon.sampleAsync({ handle: loaded.handle, gradientHandle: -1, dtype: 'float64', program: bad, drawsPerStep: program.drawsPerStep, feeds, xFeed: loaded.xFeed, energyOutput: 0, gradientOutput: 1, state, seed: 1, from: 0, to: 3, threads: 2, cancel: new Int32Array(1) })
      } catch (error) {
        t.match((error as Error).message, /^sampleAsync: program/, `value ${bad[at]} at ${at}`)
        refused++
      }
    }
    t.ok(refused > 50, `${refused} of 200 corrupted programs of ${e.name} refused, the others ran`)
  }
}
