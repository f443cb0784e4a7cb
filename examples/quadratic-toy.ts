/**
 * The quadratic toy E(x) = ½‖x − θ‖², whose model p_θ is N(θ, I): the tug of war of maximum likelihood
 * in its simplest form. The contrastive loss mean E(x⁺) − mean E(x⁻) has gradient x̄⁻ − x̄⁺ in θ, so an SGD
 * step moves θ by η·(x̄⁺ − x̄⁻): the positive phase pulls θ toward the data mean x̄, the negative phase
 * (the model's own samples, centred on θ) pulls it back toward itself. With exact negatives x̄⁻ = θ + noise,
 * so the distance ‖θ − x̄‖ shrinks by (1 − η) a step until it reaches the negatives' noise, 1/√chains.
 * Then the same with persistent Langevin chains instead of exact draws.
 *
 * Run: npm run example examples/quadratic-toy.ts
 */
import { energy, rng, sampler, train } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const [D, n, eta] = [2, 1000, 0.3]
const chains = quick ? 4000 : 40000
const data = rng.normals(1, 0, 0, n * D).map((z, i) => z + (i % D === 0 ? 2 : -1))
const columnMean = (x: Float64Array, a: number) => x.reduce((s, v, i) => (i % D === a ? s + v : s), 0) / (x.length / D)
const xbar = [0, 1].map((a) => columnMean(data, a))
const show = (v: ArrayLike<number>) => `(${Array.from(v, (x) => x.toFixed(3).padStart(6)).join(', ')})`

// Exact negatives: draws of N(θ, I), kept so that x̄⁻ can be printed beside the step.
let negatives = new Float64Array(0)
const exact = train.drawn({
  chains,
  draw: ({ params, seed, count }) => (negatives = rng.normals(seed, 0, 0, count * D).map((z, i) => z + params.theta[i % D])),
})
const t = train.trainer(energy.quadratic({ center: [0, 0] }), { objective: train.contrastive(), negatives: exact, optimizer: train.sgd({ lr: eta }), batchSize: n })

console.log(`E(x) = ½‖x − θ‖² on ${n} points of N((2, −1), I) in ${D} dimensions, data mean x̄ = ${show(xbar)}`)
console.log(`SGD with η = ${eta}, full batch, ${chains} exact negatives a step; θ starts at (0, 0)`)
console.log('step  θ before            x̄⁺ − x̄⁻             θ moved by          ‖θ − x̄‖ after  ratio (1 − η = 0.7)')
let state = t.init(data, { theta: Float64Array.of(0, 0) }, 1)
let distance = Math.hypot(xbar[0], xbar[1])
const ratios: number[] = []
let worst = 0
for (let k = 0; k < 10; k++) {
  const [next] = await t.step(state, data, { seed: 1, step: k })
  const pull = [0, 1].map((a) => xbar[a] - columnMean(negatives, a))
  const moved = [0, 1].map((a) => next.params.theta[a] - state.params.theta[a])
  const after = Math.hypot(next.params.theta[0] - xbar[0], next.params.theta[1] - xbar[1])
  ratios.push(after / distance)
  worst = Math.max(worst, ...moved.map((m, a) => Math.abs(m - eta * pull[a])))
  console.log(`${String(k).padStart(4)}  ${show(state.params.theta)}  ${show(pull)}  ${show(moved)}  ${after.toFixed(4).padStart(13)}  ${(after / distance).toFixed(3)}`)
  ;[state, distance] = [next, after]
}
const rate = Math.exp(ratios.slice(0, 6).reduce((s, r) => s + Math.log(r), 0) / 6)
console.log(`each step θ moved by η·(x̄⁺ − x̄⁻) (largest difference ${worst.toExponential(1)}); over the first 6 steps ‖θ − x̄‖ shrank by`)
console.log(`${rate.toFixed(3)} a step (1 − η = ${1 - eta}), as it will until it reaches the noise of x̄⁻, 1/√${chains} = ${(1 / Math.sqrt(chains)).toFixed(4)} per coordinate`)

// The same tug of war with persistent ULA chains: the negatives now lag θ, but the balance point is the same.
const { params } = await train.fit(energy.quadratic({ center: [0, 0] }), data, {
  objective: train.contrastive(),
  negatives: train.persistent({ kernel: sampler.ula({ stepSize: 0.1 }), steps: 10, init: { kind: 'normal', std: 1 }, bufferSize: 2000 }),
  optimizer: train.sgd({ lr: eta }),
  batchSize: 200,
  steps: quick ? 100 : 400,
  seed: 2,
})
console.log(`persistent Langevin negatives (ULA h = 0.1, 10 steps, buffer 2000), minibatches of 200: θ = ${show(params.theta)} against x̄ = ${show(xbar)},`)
console.log(`a distance of ${Math.hypot(params.theta[0] - xbar[0], params.theta[1] - xbar[1]).toFixed(3)}, where a minibatch's mean alone is off by 1/√200 = ${(1 / Math.sqrt(200)).toFixed(3)} per coordinate`)
