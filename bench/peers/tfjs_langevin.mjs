// Peer benchmark: the same Langevin work as bench/sampler.ts in TensorFlow.js with the wasm backend
// (tf.grad). Usage: node tfjs_langevin.mjs --steps K. Prints one JSON line {"mlp": steps/s, "mixture": steps/s}.
// Installed by `npm install` in bench/peers (its own package.json), never by the project's root.
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'

const steps = Number(process.argv[process.argv.indexOf('--steps') + 1] ?? 40) || 40
await tf.setBackend('wasm')
await tf.ready()

const weights = (n, seed, scale, shape) => tf.tensor(Array.from({ length: n }, (_v, i) => scale * Math.sin(seed * (i + 1))), shape, 'float32')
const hidden = 128
const W1 = weights(2 * hidden, 1.1, 0.7, [2, hidden])
const b1 = weights(hidden, 1.3, 0.1, [hidden])
const W2 = weights(hidden * hidden, 0.7, 1 / Math.sqrt(hidden), [hidden, hidden])
const b2 = weights(hidden, 1.9, 0.1, [hidden])
const w3 = weights(hidden, 2.3, 1 / Math.sqrt(hidden), [hidden, 1])
const silu = (v) => tf.mul(v, tf.sigmoid(v))
const mlp = (x) => tf.sum(tf.matMul(silu(tf.add(tf.matMul(silu(tf.add(tf.matMul(x, W1), b1)), W2), b2)), w3))

const means = tf.tensor(Array.from({ length: 8 }, (_v, k) => [2 * Math.cos((2 * Math.PI * k) / 8), 2 * Math.sin((2 * Math.PI * k) / 8)]).flat(), [1, 8, 2])
const mixture = (x) => tf.sum(tf.neg(tf.logSumExp(tf.mul(tf.sum(tf.square(tf.sub(tf.expandDims(x, 1), means)), 2), -2), 1)))

const langevin = (energy, chains, n, h = 1e-3) => {
  const gradient = tf.grad(energy)
  let x = tf.tensor(Array.from({ length: chains * 2 }, (_v, i) => Math.sin(0.37 * i)), [chains, 2])
  const run = (k) => {
    for (let i = 0; i < k; i++) {
      const next = tf.tidy(() => tf.add(tf.sub(x, tf.mul(gradient(x), h)), tf.mul(tf.randomNormal(x.shape), Math.sqrt(2 * h))))
      x.dispose()
      x = next
    }
    x.dataSync()
  }
  run(Math.max(2, n / 10))
  const started = performance.now()
  run(n)
  return n / ((performance.now() - started) / 1000)
}

console.log(JSON.stringify({ mlp: langevin(mlp, 1024, steps), mixture: langevin(mixture, 4096, steps) }))
