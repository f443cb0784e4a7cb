import fc from 'fast-check'
import t from 'tap'
import * as ir from '../../src/ir/index.js'
import { encodeTape, runTape, runTapeAsync, nativeAddon, nativeHandle, type NativeAddon, resolveBackend } from '../../src/backend/index.js'
import { arbitraryCase } from '../ir/arbitrary.js'
import { chainProgram, type Feeds, float32Floor, mlpProgram, randomCase, sameBits, scaledError } from './programs.js'

const round32 = (f: Feeds): Feeds => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Float64Array.from(Float32Array.from(v))]))

// Relu, abs and sign switch branches at 0: float32 rounding of an intermediate that sits next to a kink
// may take the other branch. Such cases are left out of the float32 comparison (not of the float64 one).
const awayFromKinks = (kinks: ir.Expr[], feeds: Feeds): boolean =>
  kinks.length === 0 || ir.interpret(kinks, feeds).every((v) => v.every((u) => Math.abs(u) > 1e-3))

t.test('runTape on the native backend matches the reference executor on random programs and their first and second derivatives', async (t) => {
  // Inputs of ranks 1–3, widths off the vector widths and batches of up to 1100 rows (spec/ir/arbitrary.ts):
  // the kernels' vector lanes and remainders, several blocks of a segment and a partial last one.
  let worst64 = 0
  let worst32 = 0
  fc.assert(
    fc.property(arbitraryCase(4), (c) => {
      const { tape, kinks, feeds } = randomCase(c)
      const want = ir.runReference(tape, feeds)
      const got = runTape(tape, feeds, { backend: 'native', dtype: 'float64' })
      // float64: both executors round each op once (libm and V8 agree to an ulp or two on exp, log, tanh...),
      // over at most a few hundred ops: errors of order 1e-13 relative to the operands' scale.
      got.forEach((g, k) => {
        const e = scaledError(g, want[k])
        worst64 = Math.max(worst64, e)
        if (!(e <= 1e-9)) throw new Error(`float64 output ${k}: error ${e}`)
      })
      const fed32 = round32(feeds)
      if (!awayFromKinks(kinks, fed32)) return
      const want32 = ir.runReference(tape, fed32)
      const got32 = runTape(tape, fed32, { backend: 'native', dtype: 'float32' })
      // float32: each op rounds to 2^-24 ≈ 6e-8 of its operands; the derivative graphs chain up to ~100 ops
      // whose conditioning is bounded (inputs in [−1.5, 1.5], log/sqrt/div kept away from their poles,
      // reductions normalised by their count, positive weights R, x of mean ½), and sums over up to 4400
      // terms add about √n·6e-8 each, so errors stay near 1e-5 (at most 3.8e-5 over 4800 cases of 32
      // seeds: a parameter's gradient summed over 1100 rows of terms of both signs); 1e-4 is the bound.
      got32.forEach((g, k) => {
        const e = scaledError(g, want32[k], float32Floor)
        worst32 = Math.max(worst32, e)
        if (!(e <= 1e-4)) throw new Error(`float32 output ${k}: error ${e}`)
      })
    }),
    { numRuns: 150, seed: 4242 },
  )
  t.comment(`max scaled error: float64 ${worst64.toExponential(2)}, float32 ${worst32.toExponential(2)}`)
  t.pass('all cases within tolerance')
})

t.test('runTape on the native backend matches the reference on a batched MLP energy with gradients and a gradient penalty', async (t) => {
  const { tape, feeds } = mlpProgram(1000)
  const want = ir.runReference(tape, feeds)
  const got = runTape(tape, feeds, { backend: 'native', dtype: 'float64', threads: 2 })
  got.forEach((g, k) => t.ok(scaledError(g, want[k]) <= 1e-9, `float64 output ${k}: ${scaledError(g, want[k])}`))
  const fed32 = round32(feeds)
  const want32 = ir.runReference(tape, fed32)
  const got32 = runTape(tape, fed32, { backend: 'native', dtype: 'float32', threads: 2 })
  // Sums over 1000 rows (parameter gradients, the mean, logsumexp) add ~√1000 rounding errors of 6e-8 each.
  got32.forEach((g, k) => t.ok(scaledError(g, want32[k]) <= 1e-4, `float32 output ${k}: ${scaledError(g, want32[k])}`))
})

t.test('runTape gives bitwise identical outputs for any thread count and block size', async (t) => {
  const { tape, feeds } = mlpProgram(1000)
  for (const dtype of ['float64', 'float32'] as const) {
    const base = runTape(tape, feeds, { backend: 'native', dtype, threads: 1 })
    for (const threads of [1, 2, 3, 5]) {
      for (const blockRows of [undefined, 1, 7, 64, 1000, 5000]) {
        const out = runTape(tape, feeds, { backend: 'native', dtype, threads, blockRows })
        t.ok(out.every((o, k) => sameBits(o, base[k])), `${dtype}, ${threads} threads, blockRows ${blockRows ?? 'default'}`)
      }
    }
  }
  fc.assert(
    fc.property(arbitraryCase(4), fc.constantFrom(1, 3, 7, 50), fc.integer({ min: 1, max: 4 }), (c, blockRows, threads) => {
      const { tape, feeds } = randomCase(c)
      const a = runTape(tape, feeds, { backend: 'native', threads: 1 })
      const b = runTape(tape, feeds, { backend: 'native', threads, blockRows })
      return a.every((o, k) => sameBits(o, b[k]))
    }),
    { numRuns: 60, seed: 7 },
  )
})

t.test('runTape runs chains of elementwise arithmetic with the reference executor\'s bits', async (t) => {
  // Widths 128 (chains in whole vector blocks, a bias read per row), 100 (blocks and a scalar remainder;
  // the bias op runs by itself) and 2 (remainders only), batches not a multiple of the block or tile.
  for (const [batch, width] of [[333, 128], [37, 100], [101, 2]] as const) {
    const { tape, feeds } = chainProgram(batch, width)
    const want = ir.runReference(tape, feeds)
    const got = runTape(tape, feeds, { backend: 'native', dtype: 'float64', threads: 2, blockRows: 7 })
    // Each op is one IEEE operation in both executors, in the same order: nothing to round differently,
    // except the row sum, whose order is the reference's too.
    got.forEach((g, k) => t.ok(sameBits(g, want[k]), `${batch}×${width} float64 output ${k} bitwise equal`))
    const fed32 = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, Float32Array.from(v)]))
    const a = runTape(tape, fed32, { backend: 'native', dtype: 'float32', threads: 1 })
    const b = runTape(tape, fed32, { backend: 'native', dtype: 'float32', threads: 2, blockRows: 5 })
    a.forEach((g, k) => t.ok(sameBits(g, b[k]), `${batch}×${width} float32 output ${k} the same for any threads and blocks`))
  }
})

t.test('runTape runs unary ops inside chains, storing values read elsewhere on the way, with the bits of the ops one by one', async (t) => {
  // s = σ(x) feeds h = x·s and d = s·(1 + x·(1 − s)) (a SiLU and its derivative: one chain with σ's value
  // stored on the way, read again as a side operand), then tanh, exp and log of values built from them,
  // a bias row in the middle. The expected values are computed op by op: each transcendental op by the
  // native executor alone (a one-op tape runs no chain), each arithmetic op in JavaScript, rounded to
  // the dtype. Widths 128 (whole vector blocks, the bias row in the chain), 100 (a padded remainder) and 2.
  for (const [batch, width] of [[61, 128], [37, 100], [29, 2]] as const) {
    const x = ir.input('x', [batch, width])
    const b = ir.param('b', [width])
    const s = ir.sigmoid(x)
    const h = ir.mul(x, s)
    const d = ir.mul(ir.add(ir.mul(ir.sub(1, s), x), 1), s)
    const th = ir.tanh(ir.add(h, b))
    const q = ir.log(ir.add(ir.exp(ir.neg(ir.square(th))), 0.5))
    // The derivative alone on a second σ: one chain from σ to the end that reads σ's value again as a
    // side operand, stored earlier in the same chain (and, in a remainder, in its padded copy).
    const s2 = ir.sigmoid(ir.mul(x, 0.5))
    const d2 = ir.mul(ir.add(ir.mul(ir.sub(1, s2), x), 1), s2)
    const tape = ir.compile([s, h, d, q, d2], [x, b])
    const fill = (n: number, f: number, scale: number) => Float64Array.from({ length: n }, (_v, i) => Math.sin(f * (i + 1)) * scale)
    const feeds64 = { x: fill(batch * width, 0.37, 4), b: fill(width, 1.3, 0.6) }
    for (const dtype of ['float64', 'float32'] as const) {
      const r = dtype === 'float32' ? Math.fround : (v: number) => v
      const cast = (v: Float64Array) => (dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v))
      const alone = (op: (e: ir.Expr) => ir.Expr, v: ArrayLike<number>) => {
        const y = ir.input('y', [batch, width])
        return Array.from(runTape(ir.compile([op(y)], [y]), { y: cast(Float64Array.from(v)) }, { backend: 'native', dtype, threads: 1 })[0])
      }
      const xs = Array.from(cast(feeds64.x))
      const bs = Array.from(cast(feeds64.b))
      const sw = alone(ir.sigmoid, xs)
      const hw = xs.map((v, i) => r(v * sw[i]))
      const dw = xs.map((v, i) => r(r(r(r(1 - sw[i]) * v) + 1) * sw[i]))
      const tw = alone(ir.tanh, hw.map((v, i) => r(v + bs[i % width])))
      const ew = alone(ir.exp, tw.map((v) => r(-r(v * v))))
      const qw = alone(ir.log, ew.map((v) => r(v + 0.5)))
      const s2w = alone(ir.sigmoid, xs.map((v) => r(v * 0.5)))
      const d2w = xs.map((v, i) => r(r(r(r(1 - s2w[i]) * v) + 1) * s2w[i]))
      const feeds = { x: cast(feeds64.x), b: cast(feeds64.b) }
      for (const threads of [1, 2]) {
        const got = runTape(tape, feeds, { backend: 'native', dtype, threads, blockRows: 7 })
        const want = [sw, hw, dw, qw, d2w]
        t.ok(got.every((g, k) => sameBits(g, want[k])), `${batch}×${width} ${dtype}, ${threads} thread(s): σ, x·σ, the derivative and the tanh/exp/log chain bitwise as op by op`)
      }
    }
  }
})

t.test('runTape computes an activation\'s derivative beside the forward pass with the bits of the backward order', async (t) => {
  // g = u·((1 − y)·y) where y = x·W and u = (y·y)·V: (1 − y)·y needs only y, so the executor computes it
  // in the forward group, next to y·y, and the backward step is left with the product by u. The same
  // operations on the same operands: the result must be bitwise that of JavaScript applying them to the
  // executor's y and u, in either dtype and for any threads.
  const batch = 45
  const x = ir.input('x', [batch, 3])
  const W = ir.param('W', [3, 24])
  const V = ir.param('V', [24, 24])
  const y = ir.matmul(x, W)
  const u = ir.matmul(ir.mul(y, y), V)
  const g = ir.mul(u, ir.mul(ir.sub(1, y), y))
  const tape = ir.compile([g, y, u], [x, W, V])
  const fill = (n: number, f: number) => Float64Array.from({ length: n }, (_v, i) => Math.sin(f * (i + 1)))
  for (const dtype of ['float64', 'float32'] as const) {
    const r = dtype === 'float32' ? Math.fround : (v: number) => v
    const cast = (v: Float64Array) => (dtype === 'float32' ? Float32Array.from(v) : v)
    const feeds = { x: cast(fill(batch * 3, 0.37)), W: cast(fill(72, 0.91)), V: cast(fill(576, 1.3)) }
    for (const threads of [1, 2]) {
      const [gn, yn, un] = runTape(tape, feeds, { backend: 'native', dtype, threads })
      const want = Array.from(un, (v, i) => r(v * r(r(1 - yn[i]) * yn[i])))
      t.ok(sameBits(gn, want), `${dtype}, ${threads} thread(s)`)
    }
  }
})

t.test('runTape packs matmul weights again when they change in place between calls, and only then', async (t) => {
  // The executor keeps a matmul's packed weights while their values stay bitwise the same; a change
  // anywhere in the array (here its last element), made in place in the same typed array, must show in
  // the next call. E = Σ silu(x·W)·v and its gradient in x, which packs Wᵀ from the same W.
  const batch = 50
  const x = ir.input('x', [batch, 2])
  const W = ir.param('W', [2, 40])
  const V = ir.param('V', [40, 40])
  const v = ir.param('v', [40, 1])
  const e = ir.matmul(ir.silu(ir.matmul(ir.silu(ir.matmul(x, W)), V)), v)
  const [dx] = ir.grad(ir.sum(e), [x])
  const tape = ir.compile([e, dx], [x, W, V, v])
  const fill = (n: number, f: number) => Float64Array.from({ length: n }, (_v, i) => Math.sin(f * (i + 1)) * 0.4)
  for (const dtype of ['float64', 'float32'] as const) {
    const cast = (a: Float64Array) => (dtype === 'float32' ? Float32Array.from(a) : Float64Array.from(a))
    const feeds = { x: cast(fill(batch * 2, 0.37)), W: cast(fill(80, 0.91)), V: cast(fill(1600, 1.3)), v: cast(fill(40, 0.7)) }
    const before = runTape(tape, feeds, { backend: 'native', dtype, threads: 2 })
    t.ok(runTape(tape, feeds, { backend: 'native', dtype, threads: 2 }).every((o, k) => sameBits(o, before[k])), `${dtype}: the same weights again, the same bits`)
    for (const name of ['V', 'W'] as const) {
      const w = feeds[name]
      const old = w[w.length - 1]
      w[w.length - 1] = old + 0.25
      const changed = runTape(tape, feeds, { backend: 'native', dtype, threads: 2 })
      const want = ir.runReference(tape, Object.fromEntries(Object.entries(feeds).map(([k, a]) => [k, Float64Array.from(a)])))
      const tolerance = dtype === 'float32' ? 1e-5 : 1e-12
      t.ok(changed.every((o, k) => scaledError(o, want[k]) <= tolerance), `${dtype}: ${name} changed in place: the new values are used`)
      t.notOk(sameBits(changed[1], before[1]), `${dtype}: ${name} changed in place: the gradient moved`)
      w[w.length - 1] = old
      t.ok(runTape(tape, feeds, { backend: 'native', dtype, threads: 2 }).every((o, k) => sameBits(o, before[k])), `${dtype}: ${name} restored: the first bits again`)
    }
  }
})

t.test('runTape gives logsumexp over rows of 8 in float32 the bits of the general loop, special values included', async (t) => {
  // Rows of 8 take a vector path (eight rows at a time, transposed); a copy of the same values with an
  // inner axis of 2 takes the general loop. Their results must agree bit for bit.
  const B = 1003
  const x = ir.input('x', [B, 8])
  const paired = ir.broadcast(ir.reshape(x, [B, 8, 1]), [B, 8, 2])
  const tape = ir.compile([ir.logsumexp(x, 1), ir.logsumexp(paired, 1)], [x])
  // Terms of comparable size in most rows (so that the order of the sum shows in the bits), wide ones in
  // the rest, and special values.
  const v = Float32Array.from({ length: B * 8 }, (_v, i) => Math.sin(i * 0.7) * (i % 80 < 40 ? 0.7 : 50))
  v.fill(-Infinity, 16, 24)
  v[30] = NaN
  v[41] = Infinity
  v.fill(NaN, 48, 56)
  v[60] = -Infinity
  v.fill(1e-40, 64, 72)
  v.fill(Infinity, 72, 80)
  for (const threads of [1, 2]) {
    const [rows, general] = runTape(tape, { x: v }, { backend: 'native', dtype: 'float32', threads, blockRows: 13 })
    const column = general.filter((_v, i) => i % 2 === 0)
    t.ok(sameBits(rows, column), `${threads} thread(s): the same bits`)
  }
})

t.test('runTape folds a bias into the matmul before it with the bits of the separate add', async (t) => {
  // z = x·W + b alone lets the executor add b as the matmul stores its sums; asking for x·W as an output
  // too keeps the add separate. Narrow products (n = 1, 2), full and edge panels (16, 20, 128 columns),
  // more than one block of k (300), the bias as [n] or [1, n] and on either side of the sum.
  const batch = 37
  for (const [k, n] of [[2, 128], [128, 1], [128, 2], [9, 16], [300, 20]] as const) {
    for (const [shape, left] of [[[n], false], [[1, n], true]] as const) {
      const x = ir.input('x', [batch, k])
      const W = ir.param('W', [k, n])
      const b = ir.param('b', shape)
      const m = ir.matmul(x, W)
      const z = left ? ir.add(b, m) : ir.add(m, b)
      const folded = ir.compile([ir.sum(ir.square(z), 1), z], [x, W, b])
      const separate = ir.compile([ir.sum(ir.square(z), 1), z, m], [x, W, b])
      const fill = (len: number, s: number) => Float64Array.from({ length: len }, (_v, i) => Math.sin(s * (i + 1)))
      const feeds = { x: fill(batch * k, 0.37), W: fill(k * n, 0.91), b: fill(n, 1.3) }
      for (const dtype of ['float64', 'float32'] as const) {
        const a = runTape(folded, feeds, { backend: 'native', dtype, threads: 2, blockRows: 5 })
        const c = runTape(separate, feeds, { backend: 'native', dtype, threads: 1 })
        t.ok(sameBits(a[0], c[0]) && sameBits(a[1], c[1]), `${dtype}, k = ${k}, n = ${n}, bias ${JSON.stringify(shape)}${left ? ' on the left' : ''}`)
      }
    }
  }
})

t.test('runTape multiplies u ⊙ v into the narrow matmul that reads it with the bits of the separate product', async (t) => {
  // y = (u ⊙ v)·W (+ b) alone lets the executor form the products as the matmul loads its rows; asking for
  // u ⊙ v as an output too keeps the product's own pass. Widths 1–4 (narrow on AVX, not all of them on the
  // generic kernels, whose fallback multiplies first), k = 13 (a remainder after the vector lanes) and 64,
  // 37 rows (a partial group of rows).
  const batch = 37
  for (const k of [13, 64]) {
    for (const n of [1, 2, 3, 4]) {
      for (const withBias of [false, true]) {
        const u = ir.input('u', [batch, k])
        const v = ir.input('v', [batch, k])
        const W = ir.param('W', [k, n])
        const b = ir.param('b', [n])
        const m = ir.matmul(ir.mul(u, v), W)
        const y = withBias ? ir.add(m, b) : m
        const fused = ir.compile([ir.sum(ir.square(y), 1), y], [u, v, W, b])
        const separate = ir.compile([ir.sum(ir.square(y), 1), y, ir.mul(u, v)], [u, v, W, b])
        const fill = (len: number, f: number) => Float64Array.from({ length: len }, (_v, i) => Math.sin(f * (i + 1)) * 1.3)
        const feeds = { u: fill(batch * k, 0.37), v: fill(batch * k, 0.53), W: fill(k * n, 0.91), b: fill(n, 1.7) }
        for (const dtype of ['float64', 'float32'] as const) {
          const typed = Object.fromEntries(Object.entries(feeds).map(([name, a]) => [name, dtype === 'float32' ? Float32Array.from(a) : a]))
          for (const threads of [1, 2]) {
            const a = runTape(fused, typed, { backend: 'native', dtype, threads, blockRows: 24 })
            const c = runTape(separate, typed, { backend: 'native', dtype, threads, blockRows: 24 })
            t.ok(sameBits(a[0], c[0]) && sameBits(a[1], c[1]), `k ${k}, n ${n}${withBias ? ', bias' : ''}, ${dtype}, ${threads} thread(s)`)
          }
        }
      }
    }
  }
  const x = ir.input('x', [5, 3])
  const W = ir.param('W', [3, 2])
  const tape = ir.compile([ir.matmul(ir.mul(x, x), W)], [x, W])
  const got = runTape(tape, { x: Float64Array.from({ length: 15 }, (_v, i) => i - 7), W: [1, 2, 3, 4, 5, 6] }, { backend: 'native' })[0]
  const want = ir.runReference(tape, { x: Float64Array.from({ length: 15 }, (_v, i) => i - 7), W: [1, 2, 3, 4, 5, 6] })[0]
  t.ok(sameBits(got, want), 'x ⊙ x (the same value twice) as the reference')
})

t.test('runTape propagates NaN and infinities as the reference does', async (t) => {
  const x = ir.input('x', [4, 3])
  const tape = ir.compile([ir.exp(x), ir.sigmoid(x), ir.silu(x), ir.logsumexp(x, 1), ir.relu(x), ir.sign(x)], [x])
  const feeds = { x: [NaN, Infinity, -Infinity, 0, -0, 1e4, -1e4, 88, 89, -103, -110, 1e-30] }
  const want = ir.runReference(tape, feeds)
  for (const dtype of ['float64', 'float32'] as const) {
    const got = runTape(tape, feeds, { backend: 'native', dtype })
    got.forEach((g, k) =>
      g.forEach((v, i) => {
        const w = dtype === 'float32' ? Math.fround(want[k][i]) : want[k][i]
        // float32 subnormals (under 2^-126) carry too few bits for a relative comparison.
        if (dtype === 'float32' && w !== 0 && Math.abs(w) < 2 ** -126) return
        const ok = Number.isNaN(w) ? Number.isNaN(v) : !Number.isFinite(w) || w === 0 ? Object.is(v, w) || (w === 0 && v === 0) : Math.abs(v - w) <= 1e-6 * Math.abs(w)
        if (!ok) t.fail(`${dtype} output ${k}[${i}]: ${v} vs ${w}`)
      }),
    )
  }
  t.pass('special values agree')
})

t.test('runTape borrows typed arrays at their byteOffset and converts other feeds', async (t) => {
  const x = ir.input('x', [2, 2])
  const tape = ir.compile([ir.mul(x, 2)], [x])
  const buffer = new Float64Array([9, 1, 2, 3, 4, 9])
  const [a] = runTape(tape, { x: buffer.subarray(1, 5) }, { backend: 'native' })
  t.same(Array.from(a), [2, 4, 6, 8])
  const [b] = runTape(tape, { x: [1, 2, 3, 4] }, { backend: 'native', dtype: 'float32' })
  t.ok(b instanceof Float32Array)
  t.same(Array.from(b), [2, 4, 6, 8])
  const f32 = new Float32Array([0, 1, 2, 3, 4])
  const [c] = runTape(tape, { x: f32.subarray(1) }, { backend: 'native', dtype: 'float32' })
  t.same(Array.from(c), [2, 4, 6, 8])
})

t.test('runTape on the reference backend with float32 rounds feeds and outputs', async (t) => {
  const x = ir.input('x', [1])
  const tape = ir.compile([ir.mul(x, 3)], [x])
  const [y] = runTape(tape, { x: [0.1] }, { backend: 'reference', dtype: 'float32' })
  t.ok(y instanceof Float32Array)
  t.equal(y[0], Math.fround(Math.fround(0.1) * 3))
})

t.test('runTape rejects bad options and feeds with errors that say what is wrong', async (t) => {
  const x = ir.input('x', [2])
  const tape = ir.compile([ir.exp(x)], [x])
  t.throws(() => runTape(tape, { x: [1, 2] }, { backend: 'gpu' as never }), { name: 'RangeError', message: 'runTape: backend: expected one of "auto", "native", "reference", got "gpu"' })
  t.throws(() => runTape(tape, { x: [1, 2] }, { dtype: 'float16' as never }), { name: 'RangeError', message: 'runTape: dtype: expected one of "float32", "float64", got "float16"' })
  t.throws(() => runTape(tape, { x: [1, 2] }, { threads: NaN }), { name: 'RangeError', message: 'runTape: threads: expected an integer in [1, 1024], got NaN' })
  t.throws(() => runTape(tape, { x: [1, 2] }, { threads: 1e6 }), { name: 'RangeError', message: 'runTape: threads: expected an integer in [1, 1024], got 1000000' })
  t.throws(() => runTape(tape, { x: [1, 2] }, { blockRows: 0 }), { name: 'RangeError', message: 'runTape: blockRows: expected an integer in [1, 2147483647], got 0' })
  t.throws(() => runTape(tape, { x: [1, 2, 3] }, { backend: 'native' }), { name: 'RangeError', message: 'runTape: feeds.x: has 3 values; inputs of shape [2] need 2' })
  t.throws(() => runTape(tape, {}, { backend: 'native' }), { name: 'TypeError', message: 'runTape: feeds.x: expected an array of 2 numbers (an input of shape [2]), got undefined' })
  t.throws(() => runTape(tape, { x: [1, 2], y: [1] }, { backend: 'native' }), { name: 'RangeError', message: 'runTape: feeds: expected only inputs of the program (x), got "y"' })
  const forged = { ...tape, slots: [2, 1] }
  t.throws(() => runTape(forged, { x: [1, 2] }, { backend: 'native' }), { name: 'RangeError', message: 'tape.instructions[0]: expected a slot of at least 2 elements (shape [2]), got slot 1 of 1' })
  const rehashed = { ...tape, hash: '0'.repeat(64) }
  t.throws(() => runTape(rehashed, { x: [1, 2] }, { backend: 'native' }), { name: 'RangeError', message: /^runTape: tape\.hash: expected [0-9a-f]{64} \(the hash of the tape's content\), got "0000/ })
})

t.test('runTapeAsync resolves to the same outputs as runTape and rejects when aborted', async (t) => {
  const { tape, feeds } = mlpProgram(1000)
  const sync = runTape(tape, feeds, { backend: 'native', dtype: 'float32' })
  const async = await runTapeAsync(tape, feeds, { backend: 'native', dtype: 'float32' })
  t.ok(async.every((o, k) => sameBits(o, sync[k])), 'same bits')
  const before = new AbortController()
  before.abort()
  await t.rejects(runTapeAsync(tape, feeds, { backend: 'native', signal: before.signal }), { name: 'AbortError' })
  // Aborted right after the call: the worker may already be done (then the outputs are complete), else it
  // stops at its next check and the Promise rejects with an AbortError.
  const during = new AbortController()
  const pending = runTapeAsync(tape, feeds, { backend: 'native', signal: during.signal })
  during.abort()
  const settled = await pending.then(
    (out) => (out.every((o, k) => sameBits(o, runTape(tape, feeds, { backend: 'native' })[k])) ? 'complete' : 'wrong'),
    (e: Error) => e.name,
  )
  t.ok(settled === 'complete' || settled === 'AbortError', `settled as ${settled}`)
  // The native side checks the flag before every step and block: set from the start, nothing runs.
  const addon = nativeAddon().addon as NativeAddon
  const handle = addon.load(tape.hash, encodeTape(tape))
  const inputs = tape.feeds.map((f) => feeds[f.name])
  const outputs = tape.outputs.map((o) => new Float64Array(o.shape.reduce((a, b) => a * b, 1)))
  await t.rejects(addon.runAsync(handle, 'float64', inputs, outputs, 2, 0, Int32Array.of(1)), { name: 'AbortError', message: 'run: cancelled' })
  const reference = await runTapeAsync(tape, feeds, { backend: 'reference' })
  t.ok(reference.every((o, k) => scaledError(o, runTape(tape, feeds, { backend: 'reference' })[k]) === 0))
})

t.test('resolveBackend picks the native executor when it is built', async (t) => {
  t.equal(resolveBackend('auto'), 'native')
  t.equal(resolveBackend('reference'), 'reference')
})

t.test('runTape on the native backend runs an identity transpose in a hand-written tape as a copy', async (t) => {
  // compile() never emits transpose [0,1] (the simplifier removes it); a tape from elsewhere may.
  const x = ir.input('x', [2, 3])
  const tape = ir.compile([ir.transpose(x)], [x])
  const body = JSON.parse(ir.serializeTape(tape)) as { instructions: { attrs: { perm: number[] }; shape: number[] }[]; outputs: { shape: number[] }[]; hash: string }
  body.instructions[0].attrs.perm = [0, 1]
  body.instructions[0].shape = [2, 3]
  body.outputs[0].shape = [2, 3]
  const { sealTape } = await import('../../src/ir/tape.js')
  const forged = sealTape(ir.validateTape(body))
  const [y] = runTape(forged, { x: [1, 2, 3, 4, 5, 6] }, { backend: 'native' })
  t.same(Array.from(y), [1, 2, 3, 4, 5, 6])
  const [z] = runTape(tape, { x: [1, 2, 3, 4, 5, 6] }, { backend: 'native' })
  t.same(Array.from(z), [1, 4, 2, 5, 3, 6])
})

t.test('nativeHandle sends a tape once and returns the same handle for the same tape', async (t) => {
  const x = ir.input('x', [4, 2])
  const tape = ir.compile([ir.sum(ir.square(x), 1)], [x])
  const h = nativeHandle(tape)
  t.equal(nativeHandle(tape), h)
  t.equal(nativeHandle(ir.parseTape(ir.serializeTape(tape))), h, 'a parsed copy finds the cached tape by hash and content')
  t.same((nativeAddon().addon as NativeAddon).shapes(h), { feeds: [[4, 2]], outputs: [[4]], batch: 4 })
})

t.test('runTape on the native backend runs hand-written tapes the compiler never emits as the reference does', async (t) => {
  const { sealTape } = await import('../../src/ir/tape.js')
  const x = ir.input('x', [3, 2])
  const e = ir.input('e', [3, 0])
  const tape = ir.compile([ir.sum(x, 1), ir.sum(e, 1), ir.exp(e), ir.matmul(e, ir.constant([], [0, 4]))], [x, e])
  const body = JSON.parse(ir.serializeTape(tape)) as {
    slots: number[]
    instructions: { op: string; attrs: { axes?: number[] }; shape: number[]; out: number }[]
    outputs: { shape: number[] }[]
  }
  // sum over no axes is the identity: shape [3,2]
  const first = body.instructions.findIndex((i) => i.op === 'sum' && i.shape[0] === 3 && i.shape.length === 1 && i.attrs.axes?.[0] === 1)
  body.instructions[first].attrs.axes = []
  body.instructions[first].shape = [3, 2]
  body.slots[body.instructions[first].out] = 6
  const out = tape.outputs.findIndex((o) => o.slot === tape.instructions[first].out)
  body.outputs[out].shape = [3, 2]
  const forged = sealTape(ir.validateTape(body))
  const feeds = { x: [1, 2, 3, 4, 5, 6], e: [] }
  const want = ir.runReference(forged, feeds)
  for (const threads of [1, 2]) {
    const got = runTape(forged, feeds, { backend: 'native', threads, blockRows: 1 })
    t.same(got.map((g) => Array.from(g)), want.map((w) => Array.from(w)), `${threads} thread(s)`)
  }
})

t.test('runTape on the native backend matches the reference on broadcasts, sums and logsumexps over short inner axes', async (t) => {
  // The shapes of a mixture energy ([B,1,k] against [1,m,k], sums and logsumexps over axes of 2 to 8)
  // and their derivatives, for every inner extent the executor unrolls and one it does not, over more
  // rows than one chunk of outputs; a row of −∞ and a NaN exercise logsumexp's special cases.
  const batch = 300
  // Non-finite entries must match exactly (NaN equals NaN); finite ones within the tolerance.
  const close = (got: ArrayLike<number>, want: ArrayLike<number>, tolerance: number, floor = 0) => {
    const finite = Array.from(want, (w) => Number.isFinite(w))
    const pick = (a: ArrayLike<number>) => Array.from(a).filter((_v, i) => finite[i])
    return finite.every((f, i) => f || Object.is(got[i], want[i])) && scaledError(pick(got), pick(want), floor) <= tolerance
  }
  for (const k of [1, 2, 3, 4, 5, 8]) {
    for (const m of [2, 8]) {
      const x = ir.input('x', [batch, k])
      const mu = ir.constant(Array.from({ length: m * k }, (_v, i) => Math.sin(1.7 * i)), [1, m, k])
      const d = ir.sub(ir.reshape(x, [batch, 1, k]), mu)
      const energy = ir.neg(ir.logsumexp(ir.mul(ir.sum(ir.square(d), 2), -2), 1))
      const inner = ir.logsumexp(d, 1, { keepDims: true })
      const [gradient] = ir.grad(ir.add(ir.sum(energy), ir.sum(inner)), [x])
      const tape = ir.compile([energy, inner, ir.sum(d, 1), gradient], [x])
      const values = Float64Array.from({ length: batch * k }, (_v, i) => 2 * Math.sin(0.37 * i))
      values.fill(-Infinity, 5 * k, 6 * k)
      values[7 * k] = NaN
      const feeds = { x: values }
      const want = ir.runReference(tape, feeds)
      const got = runTape(tape, feeds, { backend: 'native', dtype: 'float64', threads: 2 })
      // float64: the same operations in the same order as the reference, up to libm's exp and log (an ulp).
      t.ok(got.every((g, j) => close(g, want[j], 1e-9)), `float64, k = ${k}, m = ${m}`)
      const fed32 = round32(feeds)
      const want32 = ir.runReference(tape, fed32)
      const got32 = runTape(tape, fed32, { backend: 'native', dtype: 'float32', threads: 2 })
      // float32: a few rounding errors of 6e-8 per output and a 2-ulp exp; 1e-4 is the executor's bound.
      t.ok(got32.every((g, j) => close(g, want32[j], 1e-4, float32Floor)), `float32, k = ${k}, m = ${m}`)
      // The broadcast differences and quotients in both operand orders are single IEEE operations: float64
      // bits equal to the reference's, whichever loop (vector pattern of the repeated row or scalar) ran.
      const xr = ir.reshape(x, [batch, 1, k])
      const pairs = ir.compile([d, ir.div(mu, xr), ir.sub(mu, xr), ir.mul(xr, mu)], [x])
      const wantPairs = ir.runReference(pairs, feeds)
      t.ok(runTape(pairs, feeds, { backend: 'native', dtype: 'float64' }).every((g, j) => sameBits(g, wantPairs[j])), `float64 broadcast pairs bitwise, k = ${k}, m = ${m}`)
      for (const dtype of ['float64', 'float32'] as const) {
        const base = runTape(tape, feeds, { backend: 'native', dtype, threads: 1 })
        const other = runTape(tape, feeds, { backend: 'native', dtype, threads: 3, blockRows: 7 })
        t.ok(other.every((o, j) => sameBits(o, base[j])), `${dtype}, k = ${k}, m = ${m}: the same bits on 3 threads in blocks of 7`)
      }
    }
  }
})

t.test('a product outside the row segments (a parameter gradient xᵀ·g) gives the same bits on 1, 2 and 3 threads, its columns shared when its rows are few', async (t) => {
  // xᵀ·g is [D, H]: D rows, too few 64-row tiles for the threads when D = 70, so the threads share its
  // columns; with D = 300 they take tiles of rows. Either way each entry sums its B products in one order.
  for (const [B, D, H] of [[300, 70, 100], [257, 300, 65], [40, 7, 517]]) {
    const x = ir.input('x', [B, D])
    const g = ir.input('g', [B, H])
    const tape = ir.compile([ir.matmul(ir.transpose(x), g)], [x, g])
    const feeds = { x: Float64Array.from({ length: B * D }, (_v, i) => Math.sin(0.37 * i)), g: Float64Array.from({ length: B * H }, (_v, i) => Math.cos(0.11 * i)) }
    const want = ir.runReference(tape, feeds)[0]
    for (const dtype of ['float32', 'float64'] as const) {
      // Several threads first: a column they failed to write would otherwise keep a value of an earlier run.
      const runs = [2, 3, 1].map((threads) => ({ threads, out: runTape(tape, feeds, { backend: 'native', dtype, threads })[0] }))
      for (const { threads, out } of runs) {
        t.ok(sameBits(out, runs[runs.length - 1].out), `${B}×${D}×${H} ${dtype}: ${threads} threads, the bits of one`)
        // Each entry sums B products of sines and cosines (|term| ≤ 1): within γ(B)·B ≈ B²·u of the
        // reference (plus the float32 rounding of the inputs, 2u a term).
        const worst = Array.from(out, (v, i) => Math.abs(v - want[i])).reduce((w, d) => Math.max(w, d), 0)
        t.ok(worst <= (B + 2) * B * (dtype === 'float32' ? 2 ** -24 : 2 ** -53), `${B}×${D}×${H} ${dtype}, ${threads} threads: largest error ${worst}`)
      }
    }
  }
})
