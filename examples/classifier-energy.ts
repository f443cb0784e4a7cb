/**
 * A classifier is an energy-based model (JEM: Grathwohl et al. 2019, "Your classifier is secretly an energy
 * based model and you should treat it like one"). The logits f(x) of a K-class network define the joint
 * energy E(x, y) = −f(x)[y] and, summing y out, the marginal E(x) = −logsumexp_y f(x)[y]
 * (energy.classifier(f) and energy.classifier(f, { label })); p(y | x) = softmax f(x) is the same in
 * both readings, so the usual classifier is the conditional of a density that its training ignores.
 *
 * Two networks 2-64-64-8 learn to tell the eight modes of 8gaussians apart, from the same start:
 * - a plain classifier, trained by cross-entropy −log p(y | x) alone;
 * - JEM, trained by cross-entropy plus the contrastive term of maximum likelihood of the marginal,
 *   mean E(x⁺) − mean E(x⁻), its negatives x⁻ from persistent Langevin chains of the marginal energy
 *   (20 ULA steps a training step, 5% of the chains restarted from uniform noise).
 * Both objectives are written in the IR and differentiated by ir.grad; the chains are a sampler.runner.
 * Then both are scored on held-out points: accuracy, and as out-of-distribution detectors against uniform
 * noise and 2spirals, by the marginal energy (the free energy −logsumexp f, the score of Liu et al. 2020)
 * and by the classic baseline of the maximum softmax probability (Hendrycks and Gimpel 2017).
 *
 * Run: npm run example examples/classifier-energy.ts
 */
import { data, energy, ir, rng, sampler, train } from '../src/index.js'
import { eightGaussiansModes } from './shared/eight-gaussians.js'
import { auroc } from './shared/scores.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const steps = quick ? 300 : 1500
const [K, batch, chains, sweeps] = [8, 128, 128, 20]

const f = energy.network({ widths: [2, 64, 64, K], activation: 'silu', seed: 0 })
const marginal = energy.classifier(f)
const x = data.toy('8gaussians', 4000, 1)
/** Each point's label: the mode it is nearest to, as a one-hot row. */
const oneHot = (points: Float64Array) => {
  const out = new Float64Array((points.length / 2) * K)
  for (let i = 0; i < points.length / 2; i++) {
    const d = eightGaussiansModes.map((m) => Math.hypot(points[2 * i] - m[0], points[2 * i + 1] - m[1]))
    out[i * K + d.indexOf(Math.min(...d))] = 1
  }
  return out
}
const labels = oneHot(x)

// The objective as one tape: the cross-entropy, the contrastive term, and the gradient of the loss.
const names = Object.keys(marginal.params).sort()
const leaves = Object.fromEntries(names.map((n) => [n, ir.param(n, marginal.params[n].shape)]))
const [positive, label, negative] = [ir.input('positive', [batch, 2]), ir.input('label', [batch, K]), ir.input('negative', [chains, 2])]
const logits = f.build(positive, leaves)
const crossEntropy = ir.mean(ir.sub(ir.logsumexp(logits, 1), ir.sum(ir.mul(logits, label), 1)))
const contrastive = ir.sub(ir.mean(marginal.build(positive, leaves)), ir.mean(marginal.build(negative, leaves)))
const tapeOf = (loss: ir.Expr) => ir.compile([crossEntropy, contrastive, ...ir.grad(loss, names.map((n) => leaves[n]))], [positive, label, negative, ...names.map((n) => leaves[n])])

const fitted = async (jem: boolean) => {
  const tape = tapeOf(jem ? ir.add(crossEntropy, contrastive) : crossEntropy)
  const adam = train.adam({ lr: sampler.cosine(3e-3, 1e-4, steps), betas: [0.5, 0.999] })
  let params = energy.init(marginal)
  let state = train.initOptimizer(adam, params)
  const chainsOf = sampler.runner(marginal, sampler.ula({ stepSize: 0.02 }), { chains, params, init: rng.uniforms(2, 0, 0, 2 * chains).map((u) => -4.5 + 9 * u) })
  let last = { crossEntropy: NaN, contrastive: NaN }
  for (let k = 0; k < steps; k++) {
    // Step k's minibatch: rows drawn uniformly, with replacement, from Philox stream k.
    const rows = rng.uniforms(7, k, 0, batch).map((u) => Math.floor(u * (x.length / 2)))
    const feeds: Record<string, Float64Array> = { positive: new Float64Array(2 * batch), label: new Float64Array(K * batch), ...params }
    rows.forEach((r, i) => {
      feeds.positive.set(x.subarray(2 * r, 2 * r + 2), 2 * i)
      feeds.label.set(labels.subarray(K * r, K * r + K), K * i)
    })
    if (jem) {
      // Restart 5% of the chains from uniform noise, then run every chain 20 Langevin steps under the current θ.
      const [restart, noise] = [rng.uniforms(8, k, 0, chains), rng.uniforms(9, k, 0, 2 * chains)]
      restart.forEach((u, c) => u < 0.05 && chainsOf.state.position.set([-4.5 + 9 * noise[2 * c], -4.5 + 9 * noise[2 * c + 1]], 2 * c))
      for (const n of names) chainsOf.params[n].set(params[n])
      await chainsOf.run({ seed: 3, from: sweeps * k, to: sweeps * (k + 1) })
    }
    const out = ir.runTape(tape, { ...feeds, negative: chainsOf.state.position })
    last = { crossEntropy: out[0][0], contrastive: out[1][0] }
    ;({ state, params } = train.applyOptimizer(adam, state, params, Object.fromEntries(names.map((n, i) => [n, out[2 + i]]))))
  }
  return { params, last }
}

const heldOut = data.toy('8gaussians', 2000, 2)
const heldOutLabels = oneHot(heldOut)
const outside: [string, Float64Array][] = [
  ['uniform noise', rng.uniforms(3, 0, 0, 4000).map((u) => -4.5 + 9 * u)],
  ['2spirals', data.toy('2spirals', 2000, 3)],
]
/** The logits of f at `points`, row-major [n × K]. */
const logitsAt = (params: Record<string, Float64Array>, points: Float64Array) => {
  const p = ir.input('x', [points.length / 2, 2])
  const byName = Object.fromEntries(names.map((n) => [n, ir.param(n, marginal.params[n].shape)]))
  return ir.runTape(ir.compile([f.build(p, byName)], [p, ...names.map((n) => byName[n])]), { x: points, ...params })[0]
}
/** Scores that are higher outside: the free energy −logsumexp f, and minus the largest softmax probability. */
const scores = (params: Record<string, Float64Array>, points: Float64Array) => {
  const l = logitsAt(params, points)
  const free = new Float64Array(points.length / 2)
  const maxSoftmax = new Float64Array(points.length / 2)
  for (let i = 0; i < free.length; i++) {
    const row = l.subarray(K * i, K * i + K)
    const top = Math.max(...row)
    const lse = top + Math.log(row.reduce((s, v) => s + Math.exp(v - top), 0))
    free[i] = -lse
    maxSoftmax[i] = -Math.exp(top - lse)
  }
  return { free, maxSoftmax, logits: l }
}
const accuracy = (l: Float64Array, oneHotRows: Float64Array) => {
  let right = 0
  for (let i = 0; i < oneHotRows.length / K; i++) {
    const row = Array.from(l.subarray(K * i, K * i + K))
    if (oneHotRows[K * i + row.indexOf(Math.max(...row))] === 1) right++
  }
  return right / (oneHotRows.length / K)
}

console.log(`8gaussians, labels = the nearest of the 8 modes; network 2-64-64-8 (SiLU), Adam (lr 3e-3 → 1e-4, cosine), batch ${batch}, ${steps} steps`)
console.log(`JEM's negatives: ${chains} persistent chains of the marginal energy, ${sweeps} ULA steps of h = 0.02 a training step`)
console.log('model        cross-entropy  contrastive  accuracy   AUROC by −logsumexp f: noise   2spirals    by max softmax: noise   2spirals')
const results: { accuracy: number; contrastive: number; free: number[]; softmax: number[] }[] = []
for (const [name, jem] of [['classifier', false], ['JEM', true]] as const) {
  const { params, last } = await fitted(jem)
  const inside = scores(params, heldOut)
  const outs = outside.map(([, points]) => scores(params, points))
  const r = {
    accuracy: accuracy(inside.logits, heldOutLabels),
    contrastive: last.contrastive,
    free: outs.map((o) => auroc(inside.free, o.free)),
    softmax: outs.map((o) => auroc(inside.maxSoftmax, o.maxSoftmax)),
  }
  results.push(r)
  const column = (v: number[], first: number) => v.map((a, i) => a.toFixed(3).padStart(i === 0 ? first : 10)).join('')
  console.log(`${name.padEnd(11)}  ${last.crossEntropy.toFixed(3).padStart(13)}  ${last.contrastive.toFixed(3).padStart(11)}  ${r.accuracy.toFixed(3).padStart(8)}   ${column(r.free, 28)}    ${column(r.softmax, 21)}`)
}
const [plain, jem] = results
console.log(`(the last step's terms; the plain classifier never moves its chains, so its contrastive term is E(data) − E(uniform noise):`)
console.log(`${plain.contrastive > 0 ? 'positive, the data less probable than noise under its marginal' : 'negative, the data more probable than noise under its marginal'}.)`)
console.log(`Both classify alike (accuracy ${plain.accuracy.toFixed(3)} and ${jem.accuracy.toFixed(3)}). Against uniform noise the plain classifier's free energy scores`)
console.log(`${plain.free[0].toFixed(3)}${plain.free[0] < 0.5 ? ', worse than chance: its logits grow away from the data, so far-off points look most typical' : ''}; JEM's, trained as a`)
console.log(`density of the data, ${jem.free[0].toFixed(3)}. The maximum softmax probability sees only the boundaries between classes (${plain.softmax[0].toFixed(3)} and ${jem.softmax[0].toFixed(3)}):`)
console.log('it doubts points near a boundary wherever they are, and trusts points far out inside one class\'s wedge.')
