/**
 * Colours: the perceptual colour maps of heat maps, the palette of lines and bars, and the greys of ink.
 *
 * viridis and magma (van der Walt and Smith, matplotlib 2015) are uniform in perceived lightness, so
 * equal steps of a value look like equal steps of colour, and they stay readable in grey and to colour-blind
 * readers. Each is kept as its nine-colour table (as R's viridisLite gives it) and interpolated linearly
 * in between; lightness rises monotonically along both, so brighter always means larger.
 *
 * @module
 */
import { finite, oneOf } from '../check/index.js'
import type { Rgb } from './image.js'

/** The colour maps of heat maps. */
export const colourMaps = ['viridis', 'magma', 'greys'] as const
export type ColourMap = (typeof colourMaps)[number]

const hex = (s: string): Rgb => [parseInt(s.slice(0, 2), 16), parseInt(s.slice(2, 4), 16), parseInt(s.slice(4, 6), 16)]

const tables: Record<ColourMap, readonly Rgb[]> = {
  viridis: ['440154', '472d7b', '3b528b', '2c728e', '21908c', '27ad81', '5dc863', 'aadc32', 'fde725'].map(hex),
  magma: ['000004', '1d1147', '51127c', '822681', 'b63679', 'e65164', 'fb8861', 'fec287', 'fcfdbf'].map(hex),
  greys: ['000000', 'ffffff'].map(hex),
}

const interpolate = (map: ColourMap, t: number): Rgb => {
  const table = tables[map]
  const u = Math.min(Math.max(t, 0), 1) * (table.length - 1)
  const i = Math.min(Math.floor(u), table.length - 2)
  const f = u - i
  const [a, b] = [table[i], table[i + 1]]
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))]
}

/**
 * The colour of t ∈ [0, 1] on a colour map (t outside is clamped).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { colourAt } from './colour.js'
 * assert.deepEqual(colourAt('viridis', 0), [0x44, 0x01, 0x54])
 * assert.deepEqual(colourAt('greys', 0.5), [128, 128, 128])
 */
export const colourAt = (map: ColourMap, t: number): Rgb => interpolate(oneOf(map, 'viz.colourAt: map', colourMaps), finite(t, 'viz.colourAt: t'))

/** Levels of a colour map's lookup table: more than 8-bit colour can tell apart along any of the maps. */
export const levels = 1024

const lookupTables = new Map<ColourMap, readonly Rgb[]>()

/** A colour map as `levels` colours, so that painting a pixel is one lookup (made once per map). */
export const lookupTable = (map: ColourMap): readonly Rgb[] => {
  if (!lookupTables.has(map)) lookupTables.set(map, Array.from({ length: levels }, (_, k) => interpolate(map, k / (levels - 1))))
  return lookupTables.get(map)!
}

/** Lines and bars: the Okabe–Ito palette, told apart by readers with any common colour blindness. */
export const palette: readonly Rgb[] = ['0072b2', 'd55e00', '009e73', 'e69f00', 'cc79a7', '56b4e9', '000000', 'f0e442'].map(hex)

export const white: Rgb = [255, 255, 255]
export const black: Rgb = [0, 0, 0]
/** Text and axes. */
export const ink: Rgb = [34, 34, 34]
/** Grid lines and gutters. */
export const faint: Rgb = [228, 228, 228]
/** Reference lines (R-hat's 1.01, an ESS threshold). */
export const rule: Rgb = [90, 90, 90]
/** Bars on the good side of their rule, and on the bad side. */
export const good: Rgb = palette[0]
export const bad: Rgb = palette[1]
