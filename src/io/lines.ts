/**
 * One record a line, as live sources carry them: a JSON value (JSON lines) or a CSV row (fields split at
 * commas, RFC 4180 quoting within the line). A line that cannot be read is a rejection for the dead
 * letters, never a throw.
 *
 * @module
 */
import { show } from '../check/index.js'
import type { Rejection } from './records.js'

/** The formats of a line. */
export type LineFormat = 'jsonl' | 'csv'

/** A line read: its value, or why it is not one. */
export type LineResult<A> = { readonly value: A } | Rejection

const rejected = (expected: string, line: string): Rejection => ({ path: '', reason: `expected ${expected}, got ${show(line)}` })

/**
 * The JSON value of a line.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { jsonLine } from './lines.js'
 * assert.deepEqual(jsonLine('{"x": [1, 2]}'), { value: { x: [1, 2] } })
 * assert.deepEqual(jsonLine('{"x": [1, 2'), { path: '', reason: 'expected a JSON value, got "{\\"x\\": [1, 2"' })
 */
export const jsonLine = (line: string): LineResult<unknown> => {
  try {
    return { value: JSON.parse(line) as unknown }
  } catch {
    return rejected('a JSON value', line)
  }
}

/**
 * The fields of a CSV line: split at commas, a field in double quotes may hold commas and `""` for a
 * quote; fields are not trimmed (the numeric codecs allow spaces around a number).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { csvLine } from './lines.js'
 * assert.deepEqual(csvLine('1.5,"a, b",""""'), { value: ['1.5', 'a, b', '"'] })
 * assert.deepEqual(csvLine('1,"open'), { path: '', reason: 'expected a CSV row (quotes closed), got "1,\\"open"' })
 */
export const csvLine = (line: string): LineResult<string[]> => {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"'
      i++
    } else if (c === '"') {
      quoted = !quoted
    } else if (c === ',' && !quoted) {
      fields.push(field)
      field = ''
    } else {
      field += c
    }
  }
  if (quoted) return rejected('a CSV row (quotes closed)', line)
  fields.push(field)
  return { value: fields }
}

/**
 * A CSV row as a record of its header's names (as a Redis entry or a JSON object is), or a rejection when
 * it has another number of fields.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { csvRecord } from './lines.js'
 * assert.deepEqual(csvRecord(['x', 'y'], '1,2'), { value: { x: '1', y: '2' } })
 * assert.deepEqual(csvRecord(['x', 'y'], '1,2,3'), { path: '', reason: 'expected 2 fields (the columns x, y), got "1,2,3"' })
 */
export const csvRecord = (header: readonly string[], line: string): LineResult<Record<string, string>> => {
  const r = csvLine(line)
  if (!('value' in r)) return r
  if (r.value.length !== header.length) return rejected(`${header.length} fields (the columns ${header.join(', ')})`, line)
  return { value: Object.fromEntries(header.map((name, i) => [name, r.value[i]])) }
}
