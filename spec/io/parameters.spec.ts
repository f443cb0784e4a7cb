import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import { decodeParameters, encodeParameters, load, save, writeAtomically } from '../../src/io/parameters.js'
import { decode } from '../../src/io/safetensors.js'

const directory = mkdtempSync(join(tmpdir(), 'heatbath-parameters-'))

t.test('save then load gives the same energy and parameters, bit for bit', async (t) => {
  const e = pipe(energy.sum(energy.mlp({ widths: [2, 8, 1], activation: 'tanh', seed: 4 }), energy.gaussian({ mean: [1, -1] })), energy.temper(0.5))
  const params = energy.init(e, 4)
  const path = join(directory, 'model.safetensors')
  await save(path, e, params)
  const loaded = await load(path)
  t.same(loaded.energy.description, e.description)
  t.same(Object.keys(loaded.params).sort(), Object.keys(params).sort())
  for (const name of Object.keys(params)) t.same(Buffer.from(loaded.params[name].buffer), Buffer.from(params[name].buffer), name)
  t.same(energy.energyAt(loaded.energy, [[0.1, 0.2]], loaded.params), energy.energyAt(e, [[0.1, 0.2]], params))
  t.same(readdirSync(directory).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left behind')
  const file = decode(readFileSync(path))
  t.equal(file.metadata.format, 'heatbath.parameters')
  t.same(file.tensors['0.W0'].shape, [2, 8], 'the tensors are ordinary safetensors, named as the energy names them')
})

t.test('load checks names and shapes against the energy and names the wrong one', async (t) => {
  const path = join(directory, 'wide.safetensors')
  const wide = energy.mlp({ widths: [2, 4, 1], seed: 1 })
  await save(path, wide, energy.init(wide))
  await t.rejects(load(path, energy.mlp({ widths: [2, 5, 1], seed: 1 })), { name: 'RangeError', message: "load: wide.safetensors: parameter 'W0': expected shape [2,5] (the energy's), got [2,4]" })
  await t.rejects(load(path, energy.mlp({ widths: [2, 4, 4, 1], seed: 1 })), { name: 'RangeError', message: "load: wide.safetensors: parameter 'W1': expected shape [4,4] (the energy's), got [4,1]" })
  await t.rejects(load(path, energy.gaussian({ mean: [0, 0] })), { name: 'RangeError', message: "load: wide.safetensors: expected parameter 'mean' (the energy 'gaussian' has mean), got none of that name" })
  await t.rejects(load(path, energy.doubleWell()), { name: 'RangeError', message: "load: wide.safetensors: expected only the energy's parameters (the energy 'doubleWell' has none), got \"W0\"" })
})

t.test('energies of one\'s own need the energy value to load', async (t) => {
  const mine = energy.define({ shape: [1], params: { k: { shape: [1], init: { kind: 'constant', value: 2 } } }, build: (x, p) => ir.sum(ir.mul(ir.square(x), p.k), 1) })
  const bytes = encodeParameters(mine, { k: Float64Array.of(3) })
  t.throws(() => decodeParameters(bytes), { name: 'RangeError', message: /description\.name: expected the name of a catalogue energy or combinator \(energies written with energy\.define cannot be rebuilt from JSON: pass the energy value\), got "custom"$/ })
  t.same(decodeParameters(bytes, { energy: mine }).params.k, Float64Array.of(3))
  t.throws(() => encodeParameters(mine, {}), { name: 'RangeError', message: "io.encodeParameters: params: expected parameter 'k' (the energy 'custom' has k), got none of that name" })
  t.throws(() => encodeParameters(mine, { k: Float64Array.of(1, 2) }), { name: 'RangeError', message: 'io.encodeParameters: params.k: has 2 values; parameters of shape [1] need 1' })
})

t.test('every corrupted byte and every truncation is an error, never a crash or garbage', async (t) => {
  // A small file, so every byte can be flipped: a single-bit flip, a high-bit flip and a full inversion.
  const e = energy.gaussian({ mean: [0.25, -4] })
  const bytes = encodeParameters(e, energy.init(e))
  let errors = 0
  let crashes = 0
  for (let i = 0; i < bytes.length; i++) {
    for (const mask of [0x01, 0x80, 0xff]) {
      const bad = bytes.slice()
      bad[i] ^= mask
      try {
        decodeParameters(bad)
        t.fail(`flipping byte ${i} with ${mask} was not detected`)
      } catch (err) {
        if (err instanceof RangeError || err instanceof TypeError) errors++
        else crashes++
      }
    }
  }
  for (let n = 0; n < bytes.length; n++) {
    try {
      decodeParameters(bytes.subarray(0, n))
      t.fail(`truncation to ${n} bytes was not detected`)
    } catch (err) {
      if (err instanceof RangeError || err instanceof TypeError) errors++
      else crashes++
    }
  }
  t.equal(crashes, 0, 'every failure is a RangeError or TypeError with a message')
  t.equal(errors, 4 * bytes.length)
})

t.test('save replaces an existing file atomically', async (t) => {
  const path = join(directory, 'replace.safetensors')
  writeFileSync(path, 'old')
  const e = energy.quadratic({ center: [1] })
  await save(path, e, { theta: Float64Array.of(7) })
  t.same((await load(path)).params.theta, Float64Array.of(7))
})

t.test('writeAtomically writes chunks as an async iterable yields them, and a bad chunk mid-way leaves the old file and no temporary one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-'))
  const path = join(dir, 'draws.csv')
  async function* rows(last: unknown) {
    yield 'chain__,x0\n'
    for (let k = 1; k <= 1000; k++) yield `1,${k / 7}\n`
    yield last as string
  }
  await writeAtomically(path, rows('2,0.5\n'))
  const whole = readFileSync(path, 'utf8')
  t.equal(whole.split('\n').length, 1 + 1000 + 1 + 1, 'every row, in order, then the last newline')
  t.equal(whole.split('\n')[1000], `1,${1000 / 7}`)
  await t.rejects(writeAtomically(path, rows(42)), { name: 'TypeError', message: 'writeAtomically: chunk 1001: expected a Uint8Array or a string, got 42' })
  t.equal(readFileSync(path, 'utf8'), whole, 'the old file, whole')
  t.same(readdirSync(dir), ['draws.csv'], 'no temporary file left')
})
