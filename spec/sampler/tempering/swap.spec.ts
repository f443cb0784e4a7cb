/**
 * Swaps obey detailed balance: exactly, pair of states by pair of states, for the acceptance itself; and in
 * distribution, on a two-spin Boltzmann machine at three temperatures, where the joint law of the three
 * rungs after a swap round is the product of their Boltzmann laws (Pearson's χ² over the 64 joint states).
 * Pairs alternate even and odd, and round trips are counted T₀ → T_max → T₀.
 */
import t from 'tap'
import * as energy from '../../../src/energy/index.js'
import * as sampler from '../../../src/sampler/index.js'
import { initialState } from '../../../src/sampler/reference.js'
import { emptyTally, startReplicas, swapRound } from '../../../src/sampler/tempering/index.js'
import { chiSquareTail } from '../../../src/testing/index.js'

t.test('the acceptance satisfies detailed balance exactly: π_i(a)π_j(b)·α(a, b) = π_i(b)π_j(a)·α(b, a)', async (t) => {
  const energies = [-1.3, 0, 0.4, 2.2, 7]
  let worst = 0
  let highest = 0
  for (const [Ti, Tj] of [[1, 1.7], [1.7, 3], [0.5, 4]]) {
    const density = (E: number, T: number) => Math.exp(-E / T)
    for (const a of energies) {
      for (const b of energies) {
        const forward = density(a, Ti) * density(b, Tj) * sampler.swapAcceptance(Ti, Tj, a, b)
        const backward = density(b, Ti) * density(a, Tj) * sampler.swapAcceptance(Ti, Tj, b, a)
        worst = Math.max(worst, Math.abs(forward - backward) / Math.max(forward, backward))
        highest = Math.max(highest, sampler.swapAcceptance(Ti, Tj, a, b))
      }
    }
  }
  t.ok(worst < 1e-12, `worst relative imbalance ${worst}`)
  t.equal(highest, 1, 'a probability, reaching 1')
})

// E(s) = −0.8·s₁s₂ − 0.4·s₁ + 0.3·s₂ on spins, at T = 1, 1.7, 3 (away from T = 1 everywhere but the target).
const machine = energy.boltzmann({ weights: [[0, 0.8], [0.8, 0]], bias: [0.4, -0.3] })
const states = [[-1, -1], [-1, 1], [1, -1], [1, 1]]
const ladder = [1, 1.7, 3]

const boltzmannLaw = (T: number): number[] => {
  const w = Array.from(energy.energyAt(machine, states), (E) => Math.exp(-E / T))
  const z = w.reduce((s, v) => s + v, 0)
  return w.map((v) => v / z)
}

const stateIndex = (s1: number, s2: number): number => (s1 > 0 ? 2 : 0) + (s2 > 0 ? 1 : 0)

t.test('after a swap round the three rungs hold the product of their Boltzmann laws (χ² over 64 joint states)', async (t) => {
  const columns = 20000
  const r = await sampler.temper(machine, (T) => sampler.heatBath({ temperature: T }), { ladder, chains: columns, steps: 30, seed: 5 })
  const counts = new Float64Array(64)
  for (let c = 0; c < columns; c++) {
    let cell = 0
    for (let k = 0; k < 3; k++) {
      const at = (k * columns + c) * 2
      cell = cell * 4 + stateIndex(r.positions[at], r.positions[at + 1])
    }
    counts[cell]++
  }
  const laws = ladder.map(boltzmannLaw)
  let statistic = 0
  let least = Infinity
  for (let cell = 0; cell < 64; cell++) {
    const [a, b, c] = [Math.floor(cell / 16), Math.floor(cell / 4) % 4, cell % 4]
    const expected = columns * laws[0][a] * laws[1][b] * laws[2][c]
    least = Math.min(least, expected)
    statistic += (counts[cell] - expected) ** 2 / expected
  }
  t.ok(least >= 5, `every cell expects at least 5 columns (${least.toFixed(1)})`)
  const p = chiSquareTail(statistic, 63)
  t.ok(p > 1e-3, `χ² = ${statistic.toFixed(1)} on 63 degrees of freedom, p = ${p}`)
  t.ok(r.swapRates.every((s) => s > 0.3), `swaps happen: ${r.swapRates}`)
})

const rung = (E: number[]) => ({ ...initialState(E.length, 1, Float64Array.from(E, (_v, c) => c)), energy: Float64Array.from(E) })

t.test('even rounds try pairs (0, 1), (2, 3); odd rounds (1, 2)', async (t) => {
  const rungs = [rung([0]), rung([0]), rung([0]), rung([0])]
  const tally = emptyTally(4)
  swapRound(rungs, [1, 2, 3, 4], 0, new Float64Array(3).fill(0.5), tally, startReplicas(4, 1))
  t.same(Array.from(tally.attempts), [1, 0, 1])
  swapRound(rungs, [1, 2, 3, 4], 1, new Float64Array(3).fill(0.5), tally, startReplicas(4, 1))
  t.same(Array.from(tally.attempts), [1, 1, 1])
})

t.test('a round trip is counted when a replica comes back to T₀ from T_max', async (t) => {
  // Equal energies: every swap is accepted, so replica 0 goes up at round 0 and back down at round 2.
  const rungs = [rung([1]), rung([1])]
  const replicas = startReplicas(2, 1)
  const tally = emptyTally(2)
  const u = new Float64Array([0.999])
  swapRound(rungs, [1, 2], 0, u, tally, replicas)
  t.same([replicas.label[0], replicas.label[1], replicas.trips], [1, 0, 0])
  swapRound(rungs, [1, 2], 1, u, tally, replicas) // odd round: no pair of two rungs
  swapRound(rungs, [1, 2], 2, u, tally, replicas)
  t.same([replicas.label[0], replicas.trips], [0, 1])
  t.equal(rungs[0].position[0], 0, 'the positions went up and came back')
})

t.test('a frozen (non-finite) chain never swaps', async (t) => {
  const [cold, hot] = [rung([5]), rung([0])]
  hot.alive[0] = 0
  const tally = emptyTally(2)
  swapRound([cold, hot], [1, 2], 0, new Float64Array([0.001]), tally, startReplicas(2, 1))
  t.same([tally.attempts[0], tally.accepted[0], tally.rejection[0]], [1, 0, 1])
})
