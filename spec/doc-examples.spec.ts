import t from 'tap'
import { lint, markdownExamples, statesResult, trailingComment, tsdocExamples } from './doc-examples.js'

t.test('a comment that states a value, an approximation or an equation ending in a value is a stated result', async (t) => {
  const results = [
    '0.5', ' -3', 'true', 'false: no chain moved', 'NaN', 'Infinity', 'undefined', 'Float64Array [0.75, 0.5]', '[0]: E(1, 1) = 0',
    "'native' when the addon is built", '{ addon } or { addon: undefined, reason }', '1, ∇E at the three points',
    'close to 1', 'about 1.05: 500 draws are not enough', 'near 0.9', '≈ 2.04', 'the precision, ≈ 2.04', 'roughly 3 of them',
    '∇ₓE = x − θ = [−1, 1]', 'E(1, 1) = 0',
  ]
  for (const c of results) t.ok(statesResult(c), c)
})

t.test('a comment that explains the code is not a stated result', async (t) => {
  const explanations = [
    'E(x) = ½‖x‖² per row', '8 chains in two dimensions', '1000 draws from N(0, 1)', 'the first point', 'σ = √0.2',
    'a new μ: the next run evaluates afresh', 'rotate about the origin', 'at h·λ = 1 the chain samples at twice the temperature',
    'x has changed: E and ∇E no longer belong to it',
  ]
  for (const c of explanations) t.notOk(statesResult(c), c)
})

t.test('the comment ending a code line is found outside strings, and a comment line is not code', async (t) => {
  t.equal(trailingComment("f('http://a.b') // 3"), ' 3')
  t.equal(trailingComment('const s = `a // b` // c'), ' c')
  t.equal(trailingComment("const s = 'it\\'s // not'"), undefined)
  t.equal(trailingComment('  // a comment line'), undefined)
})

t.test('lint names the line of a bare result, of an example that asserts nothing, and of a loose assert', async (t) => {
  const at = (code: string, first = 10) => ({ code, lines: code.split('\n').map((_l, i) => first + i) })
  t.same(lint(at("import assert from 'node:assert/strict'\nconst r = f()\nr.x // 0.5\nassert.ok(r)")), [
    { line: 12, message: "a result stated as a comment nothing checks: '// 0.5'; assert it" },
  ])
  t.same(lint(at('const k = kernel()\nisKernel(k)')), [{ line: 10, message: 'an example that asserts nothing; state what it shows with node:assert/strict' }])
  t.same(lint(at("import assert from 'node:assert'\nassert.equal(f(), 1)")), [
    { line: 10, message: "an example that asserts without importing assert from 'node:assert/strict'" },
  ])
  // on a line that asserts, a trailing comment explains the asserted value
  t.same(lint(at("import assert from 'node:assert/strict'\nassert.equal(f(), 2.5) // ½(2² + 1²)")), [])
})

t.test('examples keep the file lines they came from', async (t) => {
  const source = ['/**', ' * Doubles.', ' *', ' * @example', " * import assert from 'node:assert/strict'", ' * assert.equal(double(2), 4)', ' */', 'export const double = (x: number) => 2 * x'].join('\n')
  t.same(tsdocExamples(source), [{ code: "import assert from 'node:assert/strict'\nassert.equal(double(2), 4)", lines: [5, 6] }])
  const fenced = ['/**', ' * @example', ' * ```ts', ' * f()', ' * ```', ' */'].join('\n')
  t.same(tsdocExamples(fenced), [{ code: 'f()', lines: [4] }])
  const markdown = ['# Title', '', '```ts', 'const a = 1', 'a // 1', '```', '', '```sh', 'npm test', '```'].join('\n')
  t.same(markdownExamples(markdown), [{ code: 'const a = 1\na // 1', lines: [4, 5] }])
})
