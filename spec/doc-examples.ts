/**
 * The examples of the documentation, found and judged: the @example blocks of the TSDoc comments in src/
 * and the ```ts blocks of README.md and docs/*.md, each with the file lines its code came from, and the
 * rule that an example states its results as assertions rather than as comments nothing checks.
 */

/** An example's code, with the 1-based file line of each of its lines. */
export interface Example {
  readonly code: string
  readonly lines: readonly number[]
}

/** Where an example falls short of the rule: the file line and what is wrong there. */
export interface Finding {
  readonly line: number
  readonly message: string
}

const example = (numbered: readonly (readonly [string, number])[]): Example => ({
  code: numbered.map(([text]) => text).join('\n'),
  lines: numbered.map(([, line]) => line),
})

/** Drops blank lines at both ends, so an example's first line is code. */
const trimmed = (numbered: readonly (readonly [string, number])[]): (readonly [string, number])[] => {
  let [a, b] = [0, numbered.length]
  while (a < b && numbered[a][0].trim() === '') a++
  while (b > a && numbered[b - 1][0].trim() === '') b--
  return numbered.slice(a, b)
}

/** The @example blocks of a TypeScript source's doc comments. */
export const tsdocExamples = (source: string): Example[] => {
  const out: Example[] = []
  for (const m of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const first = source.slice(0, m.index).split('\n').length
    const lines = m[0].split('\n').map((l, i) => [l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\*\/\s*$/, ''), first + i] as const)
    for (let i = 0; i < lines.length; i++) {
      const tag = /@example\s*(.*)$/.exec(lines[i][0])
      if (!tag) continue
      const block: (readonly [string, number])[] = tag[1].trim() ? [[tag[1], lines[i][1]]] : []
      for (i++; i < lines.length && !/^@\w+/.test(lines[i][0].trim()); i++) {
        if (!/^\s*```\w*\s*$/.test(lines[i][0])) block.push(lines[i])
      }
      i--
      const code = trimmed(block)
      if (code.length > 0) out.push(example(code))
    }
  }
  return out
}

/** The ```ts blocks of a Markdown file. */
export const markdownExamples = (text: string): Example[] =>
  [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => {
    const first = text.slice(0, m.index).split('\n').length + 1
    return example(m[1].replace(/\n$/, '').split('\n').map((l, i) => [l, first + i] as const))
  })

// A literal value: a number, a boolean, NaN/Infinity/null/undefined, a typed array, an array or object
// literal, or a quoted string.
const literal = String.raw`(?:[-+−]?\d[\d_.,]*(?:e[-+]?\d+)?|true|false|NaN|-?Infinity|null|undefined|(?:Float|Int|Uint|BigInt|BigUint)\d*(?:Clamped)?Array\b|\[|\{|'|"|\`)`
const statedValue = new RegExp(`^${literal}`)
// …or an equation that ends in one ("// ∇ₓE = x − θ = [−1, 1]").
const equalsValue = new RegExp(`=\\s*${literal}[^=a-zA-Z]*$`)
// A number followed by words counts or explains an argument ("// 8 chains in two dimensions").
const countsSomething = /^[-+−]?\d[\d_.]*\s+[a-zA-Zα-ω]/
const approximate = /^(?:about|close to|near(?:ly)?|roughly|approximately|around|≈|~)(?:\s|$)|(?:\b(?:about|close to|near(?:ly)?|roughly|approximately|around)\s+|[≈~]\s*)[-+−]?\d/i

/** Whether a comment at the end of a code line reads as a stated result ("// 0.5", "// close to 1"). */
export const statesResult = (comment: string): boolean => {
  const c = comment.trim()
  return approximate.test(c) || equalsValue.test(c) || (statedValue.test(c) && !countsSomething.test(c))
}

/** The comment that ends a code line, if any (a `//` outside strings and template literals). */
export const trailingComment = (line: string): string | undefined => {
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quote !== undefined) {
      if (ch === '\\') i++
      else if (ch === quote) quote = undefined
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch
    else if (ch === '/' && line[i + 1] === '/') return line.slice(0, i).trim() === '' ? undefined : line.slice(i + 2)
  }
  return undefined
}

const asserts = (code: string): boolean => /\bassert(?:\.\w+)?\s*\(/.test(code)

/** Where an example breaks the rule: results stated as comments, or no assertion at all. */
export const lint = (ex: Example): Finding[] => {
  const findings: Finding[] = []
  ex.code.split('\n').forEach((text, i) => {
    const comment = trailingComment(text)
    // On a line that asserts, the comment explains the asserted value ("// ½(2² + 1²)").
    if (comment !== undefined && statesResult(comment) && !asserts(text)) {
      findings.push({ line: ex.lines[i], message: `a result stated as a comment nothing checks: '//${comment}'; assert it` })
    }
  })
  if (!asserts(ex.code)) findings.push({ line: ex.lines[0], message: 'an example that asserts nothing; state what it shows with node:assert/strict' })
  else if (!/from\s+'node:assert\/strict'/.test(ex.code)) {
    findings.push({ line: ex.lines[0], message: "an example that asserts without importing assert from 'node:assert/strict'" })
  }
  return findings
}
