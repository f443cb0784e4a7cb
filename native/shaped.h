// Kernels on shaped operands: every instruction but a matmul (which the session runs on its packed B),
// on whole values or on one block's rows. shaped.cc has the elementwise and layout ops, reduce.cc the
// reductions. Every output element is computed by the same operations in the same order whichever
// path runs it, so the bits never depend on the shapes' split into blocks.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels.h"
#include "program.h"

namespace hb {

std::vector<int64_t> stridesOf(const Shape& s);
// Strides of `from` read at the positions of `to` (0 along broadcast axes).
std::vector<int64_t> broadcastStrides(const Shape& from, const Shape& to);

// Calls f(offsetA, offsetB, offsetOut, innerLength) for every run along the innermost axis.
template <class F>
void walkRuns(const Shape& shape, const std::vector<int64_t>& sa, const std::vector<int64_t>& sb, F f) {
  const size_t rank = shape.size();
  if (sizeOf(shape) == 0) return;
  if (rank == 0) return f(0, 0, 0, 1);
  int64_t inner = shape[rank - 1];
  std::vector<int64_t> index(rank, 0);
  int64_t oa = 0, ob = 0, oo = 0;
  for (;;) {
    f(oa, ob, oo, inner);
    oo += inner;
    size_t ax = rank - 1;
    for (;;) {
      if (ax == 0) return;
      ax--;
      index[ax]++;
      oa += sa[ax];
      ob += sb[ax];
      if (index[ax] < shape[ax]) break;
      oa -= sa[ax] * shape[ax];
      ob -= sb[ax] * shape[ax];
      index[ax] = 0;
    }
  }
}

// Runs instruction `ins` on the given operands (whole values or one block's rows, of shapes argShapes)
// into y of shape ys.
template <class T>
void executeShaped(const KernelTable<T>& K, const Instruction& ins, const T* const* args, const Shape* argShapes, T* y, const Shape& ys);

// sum or logsumexp (ins.op) of x of shape xs along ins.axes into y (ySize elements).
template <class T>
void reduceShaped(const KernelTable<T>& K, const Instruction& ins, const T* x, const Shape& xs, T* y, int64_t ySize);

}  // namespace hb
