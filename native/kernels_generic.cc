#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels.h"
#include "ops.h"
#define HB_ISA_NAME "generic"
namespace hb { namespace generic {
#include "kernels_impl.h"
} }
