#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels.h"
#include "ops.h"
#include <immintrin.h>
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512dq,avx2,fma,bmi2")
// GCC 12's 512-bit intrinsics pass _mm512_undefined_ps() as the masked-off source, which its own
// -Wmaybe-uninitialized reports inside the header (a known false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define HB_AVX512 1
#define HB_ISA_NAME "avx512"
namespace hb { namespace avx512 {
#include "kernels_impl.h"
} }
#pragma GCC pop_options
