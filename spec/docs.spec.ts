/**
 * Every example in the documentation runs and states its results as assertions: the @example blocks of
 * the TSDoc comments in src/ and the ```ts blocks of README.md and docs/*.md. An example that throws fails
 * this test, and so does one that asserts nothing or ends a line with a result nothing checks
 * (`isKernel(k) // true`, `rhat(draws) // close to 1`): see spec/doc-examples.ts for the rule.
 *
 * Examples import from 'heatbath' (docs) or relative paths (TSDoc); both are rewritten to absolute URLs
 * of the sources. An example whose only import is node:assert/strict sees the package root's namespaces
 * (ir, rng, ...) as globals, and a TSDoc example also sees the exports of its own module.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t from 'tap'
import ts from 'typescript'
import { type Example, lint, markdownExamples, tsdocExamples } from './doc-examples.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const rootIndex = pathToFileURL(join(root, 'src', 'index.ts')).href

const files = (dir: string, ext: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : []
  })

const run = async (code: string, fromDir: string, self?: string) => {
  // the assert import alone leaves the globals in place, so short examples stay short
  const hasImport = /^\s*import\s(?!.*from\s+'node:assert\/strict')/m.test(code)
  let body = code
    .replace(/from\s+'heatbath'/g, `from '${rootIndex}'`)
    // a subpath export (heatbath/testing) is its folder's index
    .replace(/from\s+'heatbath\/([a-z]+)'/g, (_m, sub: string) => `from '${pathToFileURL(join(root, 'src', sub, 'index.ts')).href}'`)
    .replace(/from\s+'(\.{1,2}\/[^']+)'/g, (_m, p: string) => `from '${pathToFileURL(join(fromDir, p)).href}'`)
    // bare package names (fp-ts, rxjs, ...) resolve from the project, as they would for a user
    .replace(/from\s+'([^'./][^':]*)'/g, (_m, p: string) => `from '${import.meta.resolve(p)}'`)
  if (!hasImport) {
    const own = self === undefined ? [] : Object.keys(await import(pathToFileURL(self).href))
    const rootNames = Object.keys(await import(rootIndex)).filter((k) => !own.includes(k))
    const selfLine = self === undefined ? '' : `import * as __self from '${pathToFileURL(self).href}'\nconst { ${own.join(', ')} } = __self as any\n`
    body = `import * as __root from '${rootIndex}'\nconst { ${rootNames.join(', ')} } = __root as any\n${selfLine}${body}`
  }
  const js = ts.transpileModule(body, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
  await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)
}

const checkExamples = (file: string, examples: readonly Example[], label: string, self?: string) =>
  t.test(`the examples of ${relative(root, file)} run and assert their results`, async (t) => {
    for (const [i, ex] of examples.entries()) {
      const title = `${label} ${i + 1} (line ${ex.lines[0]}): ${ex.code.split('\n')[0]}`
      const findings = lint(ex)
      for (const f of findings) t.fail(`${relative(root, file)}:${f.line}: ${f.message}`)
      if (findings.length === 0) t.pass(`${title}: states its results as assertions`)
      await t.resolves(run(ex.code, dirname(file), self), `${title}: runs`)
    }
  })

for (const file of files(join(root, 'src'), '.ts')) {
  const examples = tsdocExamples(readFileSync(file, 'utf8'))
  if (examples.length > 0) checkExamples(file, examples, 'example', file)
}

for (const file of [join(root, 'README.md'), ...files(join(root, 'docs'), '.md')]) {
  const examples = markdownExamples(readFileSync(file, 'utf8'))
  if (examples.length > 0) checkExamples(file, examples, 'block')
}
