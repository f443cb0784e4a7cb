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
#pragma GCC target("avx2,fma,bmi2")
#define HB_AVX2 1
#define HB_ISA_NAME "avx2"
namespace hb { namespace avx2 {
#include "kernels_impl.h"
} }
#pragma GCC pop_options
