/**
 * Every subcommand of `heatbath`, in the order `heatbath --help` lists them. A new subcommand is one file
 * in this folder (a {@link Subcommand}) and one line below; spec/cli/registry.spec.ts fails if a file
 * here is missing from the list.
 *
 * @module
 */
import type { Subcommand } from '../command.js'
import { bench } from './bench.js'
import { demo } from './demo.js'
import { diagnose } from './diagnose.js'
import { hopfieldCommand } from './hopfield.js'
import { isingCommand } from './ising.js'
import { rbmCommand } from './rbm.js'
import { sample } from './sample.js'
import { score } from './score.js'
import { train } from './train.js'
import { watch } from './watch.js'

export const subcommands: readonly Subcommand[] = [demo, train, sample, diagnose, score, hopfieldCommand, rbmCommand, isingCommand, watch, bench]
