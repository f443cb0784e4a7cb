// The hot kernels, compiled once per instruction set (kernels_avx512.cc, kernels_avx2.cc,
// kernels_generic.cc include kernels_impl.h under different target pragmas) and chosen at load time
// from what the CPU reports: one portable build, fast on each machine. Nothing here allocates (but see
// gemmProduct).
#pragma once
#include <cstdint>

#include "ops.h"

namespace hb {

// One step of an elementwise chain (see KernelTable::chain): the running value `acc` combined with a side
// operand. kind: NONE for unary steps (any unary op; `p` is pow's exponent), ELEMENTS reads side[e], ROW
// reads side[e mod rowLen] (a bias or other row-shaped value), SCALAR reads side[0]. accFirst: acc is
// the left operand. tee: where the step's value is also stored (tee[e]), when ops outside the chain, or
// later steps of it as a side operand, read it; null otherwise.
template <class T>
struct ChainStep {
  enum Kind : int { NONE, ELEMENTS, ROW, SCALAR };
  int op;
  int kind;
  bool accFirst;
  const T* side;
  T* tee = nullptr;
  double p = 0;
};
// Elements per vector block of a chain: a chain with ROW operands needs a row length that is a multiple.
constexpr int64_t CHAIN_BLOCK = 64;
// Steps per chain at most (the planner splits longer runs): bounds the kernel's padded remainder buffers.
constexpr int CHAIN_MAX_STEPS = 16;
// The ops the chain kernel has a step for: every unary op (through the unary kernel where it has no
// vector form) and the binary arithmetic it has handlers for. The planner chains no other op.
inline bool chainHandles(int op) { return isUnary(op) || op == ADD || op == SUB || op == MUL || op == DIV; }

template <class T>
struct KernelTable {
  const char* isa;
  int mr, nr;  // the micro-kernel's register tile; packed B panels are nr wide
  // y[i] = op(x[i]) for i < n (`p` is pow's exponent).
  void (*unary)(int op, double p, const T* x, T* y, int64_t n);
  // y[i] = a[i] op b[i]; `mode` 1 reads b[0] for every i, mode 2 reads a[0].
  void (*binary)(int op, const T* a, const T* b, T* y, int64_t n, int mode);
  // B (k×n, element (p, j) at B[p·ldb + j·ldc]: a column stride other than 1 packs Wᵀ straight from W)
  // into panels: for each k block of KC rows, for each panel of nr columns (zero padded), kc×nr values.
  // `packed` holds packedSize(k, n) values.
  void (*packB)(int64_t k, int64_t n, const T* B, int64_t ldb, int64_t ldc, T* packed);
  // Columns j0 … j1 − 1 of C (m×n, row stride ldc) = A (m×k, row stride lda) · B, B packed by packB; j0 a
  // multiple of nr unless B is narrow (under 8 columns in float32, 4 in float64). Each element sums its k products in a fixed order
  // whatever m, the row or column range or the thread, so results never depend on blocking or on how
  // threads share a product. With a bias (n values, or null), C = A·B + bias: the sum, rounded, plus
  // bias[j], rounded, which are the bits of adding the bias to the product afterwards.
  void (*gemm)(int64_t m, int64_t n, int64_t k, const T* A, int64_t lda, const T* packed, T* C, int64_t ldc, const T* bias, int64_t j0, int64_t j1);
  // C = (A ⊙ A2)·B (+ bias): as gemm on the rounded products, without a pass that stores them for narrow
  // B (the products are formed as the rows are loaded); wider B multiplies into a per-thread buffer that
  // grows once (the only allocation in these kernels).
  void (*gemmProduct)(int64_t m, int64_t n, int64_t k, const T* A, const T* A2, int64_t lda, const T* packed, T* C, int64_t ldc, const T* bias, int64_t j0, int64_t j1);
  // A chain of elementwise ops, each reading the previous one's value: steps[0] loads the starting
  // value (its op is ignored), each later step applies its op to it (and its side operand), and the
  // result goes to y[0 … n); a step with a tee also stores its value there. Values stay in registers
  // between steps (unary ops other than NEG and SQUARE run the unary kernel on the block, in L1); every
  // element sees the same operations in the same order as op-by-op evaluation, so the bits are those of
  // the unfused ops. Element e of the chain is column e mod rowLen of a row (rowLen a multiple of
  // CHAIN_BLOCK when a step reads a ROW operand). count ≤ CHAIN_MAX_STEPS + 1.
  void (*chain)(const ChainStep<T>* steps, int count, T* y, int64_t n, int64_t rowLen);
  // y[o] = logsumexp of row o of x (outer rows of R), where the instruction set has a vector form for
  // this R (float32 with AVX: R = 8, eight rows at a time); false, with nothing written, otherwise. Same
  // bits as the executor's general loop: the maximum taken in order, e^(x − m) by the kernels' exp, the
  // terms added in order from 0, the logarithm by the kernels' log.
  bool (*logsumexpRows)(const T* x, T* y, int64_t outer, int64_t R);
};

// The k block of the packed layout (fixed: it decides the summation order).
constexpr int64_t KC = 256;
inline int64_t packedSize(int64_t k, int64_t n, int nr) { return k * ((n + nr - 1) / nr) * nr; }

template <class T>
const KernelTable<T>& kernels();
// Names the instruction set in use ("avx512", "avx2", "generic"); HEATBATH_ISA forces a lower one.
const char* isaName();

// Peak-throughput probe for the benchmark: `iterations` rounds of independent fp32 FMAs on the best
// instruction set; returns the number of floating-point operations done (2 per lane per FMA).
double fmaProbe(int64_t iterations);

namespace avx512 {
extern const KernelTable<float> f32;
extern const KernelTable<double> f64;
double fmaProbe(int64_t iterations);
}
namespace avx2 {
extern const KernelTable<float> f32;
extern const KernelTable<double> f64;
double fmaProbe(int64_t iterations);
}
namespace generic {
extern const KernelTable<float> f32;
extern const KernelTable<double> f64;
double fmaProbe(int64_t iterations);
}

}  // namespace hb
