// Quickstart: an energy as an IR program, its gradient, and its second derivative.
//
//   npm run example examples/quickstart.ts
//
// A double well E(x) = (x² − 1)² has minima at ±1 and a barrier at 0. Its gradient drives Langevin
// dynamics; its curvature E''(x) sets the largest stable step size (h·E'' < 2).
import { ir } from '../src/index.js'

const n = 5
const x = ir.input('x', [n])
const E = ir.square(ir.sub(ir.square(x), 1))
const [dE] = ir.grad(ir.sum(E), [x])
const [d2E] = ir.grad(ir.sum(dE), [x]) // each point's E'' (the points are independent)
const tape = ir.compile([E, dE, d2E], [x])

const points = [-1.5, -1, 0, 1, 1.5]
const [e, g, h] = ir.runTape(tape, { x: points })
console.log('x      E(x)     E\'(x)    E\'\'(x)   (closed forms: 4x³ − 4x, 12x² − 4)')
points.forEach((p, i) => {
  console.log(`${p.toFixed(1).padStart(4)}  ${e[i].toFixed(4).padStart(8)} ${g[i].toFixed(4).padStart(8)} ${h[i].toFixed(4).padStart(8)}`)
})
console.log(`the tape has ${tape.instructions.length} instructions in ${tape.slots.length} buffers; hash ${tape.hash.slice(0, 12)}`)
