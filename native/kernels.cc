#include "kernels.h"

#include <cstdlib>
#include <cstring>

namespace hb {

namespace {
int chooseIsa() {
#ifdef HB_NO_X86
  return 0;
#else
  __builtin_cpu_init();
  int best = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") ? 2
             : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")                                           ? 1
                                                                                                                        : 0;
  // HEATBATH_ISA may only lower the choice (to test the other code paths on a capable machine).
  const char* forced = std::getenv("HEATBATH_ISA");
  if (forced != nullptr) {
    int want = std::strcmp(forced, "generic") == 0 ? 0 : std::strcmp(forced, "avx2") == 0 ? 1 : 2;
    if (want < best) best = want;
  }
  return best;
#endif
}
int isa() {
  static const int chosen = chooseIsa();
  return chosen;
}
}  // namespace

#ifdef HB_NO_X86
// Off x86 only the generic kernels are built.
template <>
const KernelTable<float>& kernels<float>() { return generic::f32; }
template <>
const KernelTable<double>& kernels<double>() { return generic::f64; }
double fmaProbe(int64_t iterations) { return generic::fmaProbe(iterations); }
#else
template <>
const KernelTable<float>& kernels<float>() {
  return isa() == 2 ? avx512::f32 : isa() == 1 ? avx2::f32 : generic::f32;
}
template <>
const KernelTable<double>& kernels<double>() {
  return isa() == 2 ? avx512::f64 : isa() == 1 ? avx2::f64 : generic::f64;
}
double fmaProbe(int64_t iterations) {
  return isa() == 2 ? avx512::fmaProbe(iterations) : isa() == 1 ? avx2::fmaProbe(iterations) : generic::fmaProbe(iterations);
}
#endif
const char* isaName() { return kernels<float>().isa; }

}  // namespace hb
