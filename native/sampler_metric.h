// The mass matrix of the Hamiltonian handlers (momentum, move, leapfrog, accept and NUTS), given as its
// inverse Σ = M⁻¹ with F = L⁻ᵀ (Σ = L·Lᵀ), both laid out by TypeScript in the program's metric table
// (src/sampler/metric.ts). The three things a handler does with it are written once here, in the same
// order of operations as metric.ts, so float64 follows the reference to rounding.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hb {

struct SamplerMetric {
  enum Kind { IDENTITY, DIAGONAL, DENSE };  // the order of the metric field's choices
  int kind = IDENTITY;
  const double* inverse = nullptr;  // Σ: D numbers (diagonal) or D × D (dense, row-major)
  const double* factor = nullptr;   // F: 1/√Σ (diagonal) or L⁻ᵀ (dense, upper triangular)
};

// The names of a metric field's choices, in the order of SamplerMetric::Kind.
inline std::vector<std::string> metricChoices() { return {"identity", "diagonal", "dense"}; }

// Coordinate j of the velocity M⁻¹p of one chain's momentum row p.
template <class T>
inline double velocityAt(const SamplerMetric& m, const T* p, int64_t D, int64_t j) {
  if (m.kind == SamplerMetric::IDENTITY) return double(p[j]);
  if (m.kind == SamplerMetric::DIAGONAL) return m.inverse[j] * double(p[j]);
  double v = 0;
  for (int64_t k = 0; k < D; k++) v += m.inverse[j * D + k] * double(p[k]);
  return v;
}

// The kinetic energy pᵀM⁻¹p/2 of one chain's momentum row p.
template <class T>
inline double kinetic(const SamplerMetric& m, const T* p, int64_t D) {
  double k = 0;
  for (int64_t j = 0; j < D; j++) k += double(p[j]) * velocityAt(m, p, D, j);
  return 0.5 * k;
}

// Coordinate j of F·z, a draw of N(0, M) from D standard normals z.
inline double momentumAt(const SamplerMetric& m, const double* z, int64_t D, int64_t j) {
  if (m.kind == SamplerMetric::IDENTITY) return z[j];
  if (m.kind == SamplerMetric::DIAGONAL) return m.factor[j] * z[j];
  double v = 0;
  for (int64_t k = j; k < D; k++) v += m.factor[j * D + k] * z[k];
  return v;
}

}  // namespace hb
