/**
 * Pictures as PNG: energy landscapes and densities with samples over them, trace plots, R-hat and ESS
 * charts, training curves, pattern grids, and layouts of several. A picture is a value (a panel) built by
 * the functions below and drawn by `render` into an image of RGBA pixels, which `png` encodes.
 *
 * @module
 */
export type { Image, Rect, Rgb } from './image.js'
export { pixel } from './image.js'
export type { ColourMap } from './colour.js'
export { colourAt, colourMaps, palette } from './colour.js'
export type { Area, BarsPanel, HeatmapPanel, LayoutPanel, LinesPanel, Panel, PatternsPanel, Rule, Series } from './panel.js'
export { density, heatmap, landscape, scatter, type EnergyMapOptions, type HeatmapOptions, type MapOptions } from './maps.js'
export { curves, lines, trace, type ChartOptions, type CurvesOptions, type RuleOptions, type SeriesOptions } from './series.js'
export { bars, essChart, rhatChart, type BarsOptions, type EssChartOptions, type RhatChartOptions } from './convergence.js'
export { patterns, type PatternsOptions } from './patterns.js'
export { layout, type LayoutOptions } from './layout.js'
export { areas, render, type Size } from './render.js'
export { png } from './png.js'
