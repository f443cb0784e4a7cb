/**
 * Runs work through their chains in blocks (the tapes compiled for the block's size): a chain's arithmetic
 * and its random stream never depend on its block, so every block size gives the same bits, on both
 * backends, in both dtypes, for gradient and flip kernels alike.
 */
import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'
import { lattice } from '../../src/energy/ising.js'
import { samplerAddon } from '../../src/sampler/native.js'
import { chainBlocks, defaultChainBlock, workspaceNumbers } from '../../src/sampler/chain-blocks.js'

const chains = 300
const mlp = energy.define({
  name: 'mlp',
  shape: [2],
  params: {
    W1: { shape: [2, 8], init: { kind: 'values', values: Array.from({ length: 16 }, (_v, i) => Math.sin(1.1 * (i + 1))) } },
    w2: { shape: [8, 1], init: { kind: 'values', values: Array.from({ length: 8 }, (_v, i) => Math.sin(2.3 * i) / 2) } },
  },
  build: (x, p) => ir.add(ir.reshape(ir.matmul(ir.silu(ir.matmul(x, p.W1)), p.w2), [x.shape[0]]), ir.mul(ir.sum(ir.square(x), 1), 0.5)),
})
const init = Float64Array.from({ length: chains * 2 }, (_v, i) => 1.5 * Math.sin(0.37 * i + 0.1))
const kernels: Record<string, sampler.Kernel> = {
  ula: sampler.ula({ stepSize: 0.05 }),
  mala: sampler.mala({ stepSize: 0.3 }),
  hmc: sampler.hmc({ stepSize: 0.25, leapfrogSteps: 3 }),
  sghmc: sampler.sghmc({ stepSize: 0.2, friction: 1 }),
  'random-walk Metropolis': pipe(sampler.noise({ scale: 0.8 }), sampler.metropolis({ temperature: 2 })),
}
const backends = samplerAddon().addon === undefined ? (['reference'] as const) : (['reference', 'native'] as const)
const blockSizes = [chains, 128, 7, 1]

t.test('chainBlocks covers every chain once, in order', async (t) => {
  t.same(chainBlocks(300, 128), [{ begin: 0, end: 128 }, { begin: 128, end: 256 }, { begin: 256, end: 300 }])
  t.same(chainBlocks(3, 5), [{ begin: 0, end: 3 }])
})

t.test('gradient kernels give the same bits for every block size', async (t) => {
  for (const backend of backends) {
    for (const dtype of backend === 'native' ? (['float64', 'float32'] as const) : (['float64'] as const)) {
      for (const [name, k] of Object.entries(kernels)) {
        const run = (chainBlock: number) => sampler.sample(mlp, k, { chains, steps: 12, seed: 9, init, backend, dtype, thin: 5, keep: 'draws', chainBlock })
        const whole = await run(chains)
        for (const b of blockSizes.slice(1)) {
          const blocked = await run(b)
          t.strictSame([blocked.positions, blocked.energies, blocked.draws, blocked.trace], [whole.positions, whole.energies, whole.draws, whole.trace], `${backend} ${dtype} ${name}: blocks of ${b}`)
        }
      }
    }
  }
})

t.test('flip kernels on spins give the same bits for every block size', async (t) => {
  const e = lattice({ size: 4, coupling: 0.7, field: 0.1 })
  const spins = Float64Array.from({ length: 40 * 16 }, (_v, i) => (Math.sin(1.7 * i) > 0 ? 1 : -1))
  const flips: Record<string, sampler.Kernel> = {
    heatBath: sampler.heatBath({ temperature: 2.1 }),
    metropolisFlips: sampler.metropolisFlips({ temperature: 1.8 }),
    wolff: sampler.wolff({ temperature: 2.3 }),
  }
  for (const backend of backends) {
    for (const [name, k] of Object.entries(flips)) {
      const run = (chainBlock: number) => sampler.sample(e, k, { chains: 40, steps: 6, seed: 4, init: spins, backend, chainBlock })
      const whole = await run(40)
      for (const b of [16, 3]) t.strictSame((await run(b)).positions, whole.positions, `${backend} ${name}: blocks of ${b}`)
    }
  }
})

t.test('the default block counts what grows with the chains, not the weights a block holds once', async (t) => {
  // 64→512→1, 33 k weights: counting the weights as every chain's gave blocks of 30.
  const wide = energy.define({
    name: 'wide',
    shape: [64],
    params: {
      W: { shape: [64, 512], init: { kind: 'values', values: Array.from({ length: 64 * 512 }, (_v, i) => Math.sin(0.7 * i) / 8) } },
      w: { shape: [512, 1], init: { kind: 'values', values: Array.from({ length: 512 }, (_v, i) => Math.sin(1.3 * i) / 8) } },
    },
    build: (x, p) => ir.reshape(ir.matmul(ir.silu(ir.matmul(x, p.W)), p.w), [x.shape[0]]),
  })
  const block = defaultChainBlock(wide, 1e6)
  t.ok(block > 600 && block * 8 * 512 > workspaceNumbers, `blocks of ${block} chains`)
})

t.test('a block size must be a positive integer', async (t) => {
  await t.rejects(sampler.sample(mlp, kernels.ula, { chains: 4, steps: 1, seed: 1, chainBlock: 0 }), { name: 'RangeError', message: 'sample: chainBlock: expected an integer ≥ 1, got 0' })
})
