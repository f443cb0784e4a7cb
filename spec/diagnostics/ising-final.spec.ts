/**
 * ising.measure returns the chains' configurations after the last step: the ones its last measurements
 * were taken on.
 */
import t from 'tap'
import { ising, sampler } from '../../src/index.js'
import type { LatticeStructure } from '../../src/energy/structure.js'

t.test("the final configurations are spins whose m and e are each chain's last measurement", async (t) => {
  const e = ising.lattice({ size: 6, coupling: 0.7, field: 0.2 })
  const T = 1.6
  for (const kernel of [sampler.heatBath({ temperature: T, order: 'checkerboard' }), sampler.wolff({ temperature: T })]) {
    const s = await ising.measure(e, kernel, { chains: 3, sweeps: 6, burnIn: 2, temperature: T, seed: 4, backend: 'reference' })
    const final = s.final as Float64Array
    t.equal(final.length, 3 * 36)
    t.ok(final.every((v) => v === 1 || v === -1), 'spins')
    for (let c = 0; c < 3; c++) {
      const [m, en] = ising.observe(e.structure as LatticeStructure, final, c * 36)
      t.same([m, en], [s.magnetisation[c][5], s.energy[c][5]], `${kernel.type}: chain ${c}`)
    }
  }
})
