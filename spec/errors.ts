/**
 * The error policy as a table: for each public function of a namespace, representative bad inputs with
 * the class and message they must throw. A function without a row (and without a stated reason to have
 * none) fails the table, so a new public function cannot skip its checks unnoticed.
 */
import type { Test } from 'tap'

/** One bad call: the error class and the exact message (or a pattern, where the message holds a hash). */
export interface BadCall {
  readonly run: () => unknown
  readonly error: 'TypeError' | 'RangeError'
  readonly message: string | RegExp
}

/**
 * The policy's message shapes: `where: expected …, got …`; a length with its reason (`where: has 5
 * values; 8 chains × 2 dimensions need 16`); an unknown option key with the known ones (check.options).
 */
export const messageShape = /^\S[^]*?: (expected [^]+, got [^]+|has \d+ values?; [^]+ need \d+|unknown option '[^']*' \(options: [^)]*\))$/

// A call's error, whether it throws at once or rejects (a Promise, or a stream that errors).
const errorOf = async (run: () => unknown): Promise<unknown> => {
  try {
    const r = run()
    if (typeof (r as PromiseLike<unknown> | undefined)?.then === 'function') await r
  } catch (e) {
    return e
  }
  return undefined
}

/**
 * Checks that one bad call throws (or rejects with) the error class and message of `call`, in the
 * policy's shape; `at` names the call in the test's output.
 */
export const refuses = async (t: Test, call: BadCall, at: string): Promise<void> => {
  const e = await errorOf(call.run)
  if (!(e instanceof Error)) {
    t.fail(`${at}: expected a ${call.error}, got ${e === undefined ? 'no error' : String(e)}`)
    return
  }
  t.equal(e.constructor.name, call.error, `${at}: ${e.message}`)
  if (typeof call.message === 'string') t.equal(e.message, call.message, `${at}: the message`)
  else t.match(e.message, call.message, `${at}: the message`)
  t.match(e.message, messageShape, `${at}: the message has the policy's shape`)
}

/**
 * Checks every row of `table` (function name → bad calls), and that the table and `exempt` (function name
 * → why it throws nothing of its own) together name exactly the functions of `namespace`.
 */
export const errorTable = async (
  t: Test,
  namespace: Readonly<Record<string, unknown>>,
  table: Readonly<Record<string, readonly BadCall[]>>,
  exempt: Readonly<Record<string, string>> = {},
): Promise<void> => {
  const functions = Object.keys(namespace).filter((k) => typeof namespace[k] === 'function').sort()
  t.same([...Object.keys(table), ...Object.keys(exempt)].sort(), functions, 'every public function has bad inputs or a reason to have none')
  for (const [name, calls] of Object.entries(table)) {
    for (const [i, call] of calls.entries()) await refuses(t, call, `${name} #${i + 1}`)
  }
}

/** Shorthands for rows. */
export const rangeError = (run: () => unknown, message: string | RegExp): BadCall => ({ run, error: 'RangeError', message })
export const typeError = (run: () => unknown, message: string | RegExp): BadCall => ({ run, error: 'TypeError', message })
