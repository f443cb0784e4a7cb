// Included by kernels_<isa>.cc after a `#pragma GCC target(...)`, inside namespace hb::<isa>: the same
// source compiled for each instruction set. See kernels.h for the contract of each kernel.
//
// Elementwise loops are written branch-free so that the compiler vectorises them for the target; float32
// exp (and through it sigmoid and silu) uses the polynomial below instead of libm, which does not
// vectorise. Everything else calls libm (correctly rounded or within an ulp or two), keeping NaN and ±∞
// semantics. Matmul uses a register-tiled micro-kernel with explicit FMA intrinsics (the build sets
// -ffp-contract=off, so no other arithmetic is ever contracted).

// (The including file has already included <algorithm>, <cmath>, <cstring>, kernels.h and ops.h.)

namespace {
#include "kernels_elementwise.h"
#include "kernels_matmul.h"
#include "kernels_chain.h"
#include "kernels_logsumexp.h"

}  // namespace

const hb::KernelTable<float> f32 = {HB_ISA_NAME, MR, nrOf<MF>(), unaryKernel<float>, binaryKernel<float>, packBKernel<MF>, gemmKernel<MF>, gemmProductKernel<MF>, chainKernel<float>, logsumexpRowsKernel<float>};
const hb::KernelTable<double> f64 = {HB_ISA_NAME, MR, nrOf<MD>(), unaryKernel<double>, binaryKernel<double>, packBKernel<MD>, gemmKernel<MD>, gemmProductKernel<MD>, chainKernel<double>, logsumexpRowsKernel<double>};

#if defined(HB_AVX512)
// The probe uses the widest vectors: a core with two 512-bit FMA pipes would be under-measured with 256.
struct Probe { using V = __m512; static constexpr int W = 16;
  static V set1(float x) { return _mm512_set1_ps(x); } static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); } static void store(float* p, V v) { _mm512_storeu_ps(p, v); } };
#else
using Probe = VF;
#endif

double fmaProbe(int64_t iterations) {
  // Twelve independent accumulator chains cover the FMA latency on two pipes.
  constexpr int C = 12;
  typename Probe::V acc[C];
  for (int i = 0; i < C; i++) acc[i] = Probe::set1(float(i) * 1e-3f);
  typename Probe::V m = Probe::set1(0.999999f), c = Probe::set1(1e-7f);
  for (int64_t it = 0; it < iterations; it++)
    for (int i = 0; i < C; i++) acc[i] = Probe::fma(acc[i], m, c);
  for (int i = 1; i < C; i++) acc[0] = Probe::add(acc[0], acc[i]);
  alignas(64) float out[Probe::W];
  Probe::store(out, acc[0]);
  volatile float sink = out[0];
  (void)sink;
  return double(iterations) * C * Probe::W * 2;
}
