// The per-coordinate loops of the sampler's passes over one chain's row (sampler_blocks.cc), compiled once
// per instruction set and chosen when the addon loads (sampler_rows.cc): the rest of the sampler is built
// for the baseline x86-64, whose two-lane vectors made the drift pass 5.7% of a 3072→512 step. Each loop
// does one chain's arithmetic in the order of its reference step, element by element, so every target
// gives the same bits (no reductions here: those keep their sequential order in the handlers).
#pragma once
#include <cstdint>

namespace hb {
namespace rows {

// g clipped to [−clip, clip] (clip 0: unclipped), the drift's and MALA's correction's one definition.
inline double clipped(double g, double clip) { return clip <= 0 ? g : g > clip ? clip : g < -clip ? -clip : g; }

// x[j] ← x[j] + a·v[j], in float64 and rounded to T. A kick x − h·g is addScaled(x, g, −h) with the same
// bits: (−h)·g is −(h·g) exactly, and x + (−y) is x − y.
template <class T, class V>
void addScaled(T* x, const V* v, int64_t n, double a);

// x[j] ← x[j] − h·clip(g[j]) (clip 0: none), rounded to T; then, when z is given, x[j] ← x[j] + σ·z[j].
template <class T>
void drift(T* x, const T* g, const double* z, int64_t n, double h, double clip, double sigma);

// Whether no value is ±∞ or NaN.
template <class T>
bool allFinite(const T* v, int64_t n);

}  // namespace rows
}  // namespace hb
