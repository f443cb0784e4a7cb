/**
 * The native loop's batch draws (native/normals.cc): uniforms, normals and log-uniforms for many
 * consecutive streams at once, in SIMD lanes, equal src/rng's draws bit for bit on every instruction set
 * this machine has, for lane-aligned and ragged numbers of streams, odd and even starts and counts.
 * Skipped when the addon is not built.
 */
import fc from 'fast-check'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as rng from '../../src/rng/index.js'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon } from '../../src/sampler/native.js'

type Kind = 'normal' | 'uniform' | 'logUniform'

const status = samplerAddon()
if (status.addon === undefined) {
  t.pass(`batch draw tests skipped: ${status.reason}`)
} else {
  const addon = status.addon
  const probe = new Float64Array(1)
  // Every implementation the CPU supports; an unsupported one is refused by name.
  const isas = (['avx512', 'avx2', 'generic'] as const).filter((isa) => {
    try {
      return addon.drawsAcrossStreams('normal', isa, 0, 0, 0, 1, probe) === isa
    } catch {
      return false
    }
  })

  // The same draws from src/rng, one stream at a time.
  const expected = (kind: Kind, seed: number, firstStream: number, streams: number, start: number, count: number): Float64Array => {
    const want = new Float64Array(streams * count)
    for (let i = 0; i < streams; i++) {
      const row = kind === 'normal' ? rng.normals(seed, firstStream + i, start, count) : rng.uniforms(seed, firstStream + i, start, count)
      for (let j = 0; j < count; j++) want[i * count + j] = kind === 'logUniform' ? rng.log(row[j]) : row[j]
    }
    return want
  }
  const firstDifference = (got: Float64Array, want: Float64Array): number => got.findIndex((v, i) => !Object.is(v, want[i]))

  t.test('drawsAcrossStreams equals src/rng bit for bit on every instruction set, for ragged stream counts and odd starts', async (t) => {
    t.ok(isas.includes('generic'), `implementations on this machine: ${isas.join(', ')}`)
    const big = 2 ** 53 - 1
    // [seed, firstStream, streams, start, count]: 1–17 streams (tails of 4- and 8-lane vectors), odd and even
    // starts and counts, streams that cross 2^32 and end at 2^53 − 1, and counts of 8 or more (four Philox
    // blocks at a time, then the rest one block at a time).
    const cases: [number, number, number, number, number][] = [
      [0, 0, 1, 0, 1],
      [42, 0, 17, 0, 2],
      [42, 3, 13, 1, 3],
      [7, 2 ** 32 - 5, 11, 6, 2],
      [2 ** 32 + 7, 2 ** 40 + 1, 9, 2 ** 33 + 5, 5],
      [big, big - 7, 8, big - 4, 4],
      [1, 100, 64, 11, 1],
      [42, 0, 17, 0, 19],
      [5, 9, 8, 2, 24],
      [3, 1, 3, 1, 12],
      [big, big - 9, 10, big - 20, 20],
    ]
    for (const isa of isas) {
      for (const kind of ['normal', 'uniform', 'logUniform'] as const) {
        for (const [seed, first, streams, start, count] of cases) {
          const got = new Float64Array(streams * count)
          addon.drawsAcrossStreams(kind, isa, seed, first, start, count, got)
          const bad = firstDifference(got, expected(kind, seed, first, streams, start, count))
          t.equal(bad, -1, `${isa} ${kind}: seed ${seed}, streams ${first}…+${streams}, draws ${start}…+${count}`)
        }
      }
    }
  })

  t.test('drawsAcrossStreams equals src/rng on random seeds, streams, starts and counts', async (t) => {
    for (const isa of isas) {
      fc.assert(
        fc.property(
          fc.constantFrom<Kind>('normal', 'uniform', 'logUniform'),
          fc.nat(2 ** 40),
          fc.nat(2 ** 40),
          fc.integer({ min: 1, max: 21 }),
          fc.nat(2 ** 40),
          fc.integer({ min: 1, max: 40 }),
          (kind, seed, first, streams, start, count) => {
            const got = new Float64Array(streams * count)
            addon.drawsAcrossStreams(kind, isa, seed, first, start, count, got)
            return firstDifference(got, expected(kind, seed, first, streams, start, count)) === -1
          },
        ),
        { numRuns: 200, seed: 3 },
      )
      t.pass(`${isa}: identical draws`)
    }
  })

  t.test('drawsAcrossStreams gives the same 20 000 normals as src/rng on every instruction set', async (t) => {
    // 20 000 normals per implementation: the Box–Muller quadrants, the reduction r > ½ and the log's
    // m > √2 branch all occur many times over.
    const streams = 1000
    const want = expected('normal', 99, 5, streams, 0, 20)
    for (const isa of isas) {
      const got = new Float64Array(streams * 20)
      addon.drawsAcrossStreams('normal', isa, 99, 5, 0, 20, got)
      t.equal(firstDifference(got, want), -1, `${isa}: 20 000 normals`)
    }
  })

  t.test('sample on the native loop adds exactly the draws of rng.normals to each chain', async (t) => {
    // From x = 0 with σ = 1, float64 positions after two noise steps are z(step 0) + z(step 1), a single
    // rounding that JavaScript repeats; and a full momentum refresh at T = 1 sets p = 1·z exactly. 203 chains
    // (ragged against 4- and 8-lane vectors and 128-chain blocks) in D = 3 (an odd dimension: each step
    // reserves 4 draws and uses 3).
    const chains = 203
    const dimension = 3
    const quadratic = energy.define({ name: 'quadratic', shape: [dimension], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
    const kernel = sampler.sequence(sampler.noise({ scale: 1 }), sampler.momentum({ temperature: 1 }))
    const perStep = sampler.flatten(kernel, dimension).drawsPerStep
    const seed = 2 ** 40 + 3
    const result = await sampler.sample(quadratic, kernel, { chains, steps: 2, seed, backend: 'native', threads: 2 })
    const positions = new Float64Array(chains * dimension)
    const momenta = new Float64Array(chains * dimension)
    for (let c = 0; c < chains; c++) {
      const first = rng.normals(seed, c, 0, dimension)
      const second = rng.normals(seed, c, perStep, dimension)
      const refresh = rng.normals(seed, c, perStep + 4, dimension) // the momentum's draws follow the noise's 4
      for (let j = 0; j < dimension; j++) {
        positions[c * dimension + j] = first[j] + second[j]
        momenta[c * dimension + j] = refresh[j]
      }
    }
    t.equal(perStep, 8, 'noise and momentum reserve 4 draws each')
    t.equal(firstDifference(Float64Array.from(result.positions), positions), -1, 'positions')
    t.equal(firstDifference(Float64Array.from(result.momenta), momenta), -1, 'momenta')
  })

  t.test('drawsAcrossStreams refuses bad arguments', async (t) => {
    t.throws(() => addon.drawsAcrossStreams('gamma' as never, 'auto', 0, 0, 0, 1, probe), /kind must be 'normal', 'uniform' or 'logUniform'/)
    t.throws(() => addon.drawsAcrossStreams('normal', 'sse9' as never, 0, 0, 0, 1, probe), /isa 'sse9' is not available/)
    t.throws(() => addon.drawsAcrossStreams('normal', 'auto', -1, 0, 0, 1, probe), /seed: expected an integer/)
    t.throws(() => addon.drawsAcrossStreams('normal', 'auto', 0, 0, 0, 2, new Float64Array(3)), /not a multiple of count 2/)
    t.throws(() => addon.drawsAcrossStreams('normal', 'auto', 0, 0, 2 ** 53 - 1, 2, new Float64Array(2)), /passes 2\^53/)
    t.throws(() => addon.drawsAcrossStreams('normal', 'auto', 0, 0, 0, 1, new Float32Array(1) as never), /Float64Array/)
  })
}
