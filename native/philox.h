// Philox4x32-10 and the uniform and normal draws of src/rng, mirrored bit for bit: the same key and
// counter layout, the same 52-bit uniforms from word pairs, and Box–Muller with the same `log` and
// `sincos2pi` (src/rng/math.ts), written one IEEE operation at a time in the same order. Every translation
// unit that includes this header must be compiled with -ffp-contract=off (binding.gyp sets it for the
// whole addon): a fused multiply-add would round once where JavaScript rounds twice.
//
// Draw i of stream s under seed: block floor(i/2) of the stream, counter [block lo, block hi, s lo, s hi],
// key [seed lo, seed hi]; even i takes the first value of the block's pair, odd i the second.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace hb {
namespace philox {

inline void block(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1, uint32_t out[4]) {
  for (int round = 0; round < 10; round++) {
    uint64_t p = uint64_t(0xD2511F53u) * c0;
    uint64_t q = uint64_t(0xCD9E8D57u) * c2;
    uint32_t hi0 = uint32_t(p >> 32), lo0 = uint32_t(p);
    uint32_t hi1 = uint32_t(q >> 32), lo1 = uint32_t(q);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

// Block `n` of stream `stream` under `seed` (all below 2^53).
inline void streamBlock(uint64_t seed, uint64_t stream, uint64_t n, uint32_t out[4]) {
  block(uint32_t(n), uint32_t(n >> 32), uint32_t(stream), uint32_t(stream >> 32), uint32_t(seed), uint32_t(seed >> 32), out);
}

inline double uniformFromWords(uint32_t a, uint32_t b) {
  double k = double(a >> 6) * 67108864.0 + double(b >> 6);
  return (k + 0.5) * 2.220446049250313e-16;  // 2^-52
}

// log of src/rng/math.ts, operation for operation.
inline double log(double x) {
  if (!(x > 0)) return x == 0 ? -INFINITY : NAN;
  if (x == INFINITY) return x;
  double e = 0;
  double y = x;
  if (y < 2.2250738585072014e-308) {
    y = y * 18014398509481984.0;
    e = -54;
  }
  uint64_t bits;
  std::memcpy(&bits, &y, 8);
  uint32_t high = uint32_t(bits >> 32);
  e = e + double(int32_t((high >> 20) & 0x7ff) - 1023);
  uint64_t mbits = (uint64_t((high & 0x000fffffu) | 0x3ff00000u) << 32) | (bits & 0xffffffffu);
  double m;
  std::memcpy(&m, &mbits, 8);
  if (m > 1.4142135623730951) {
    m = m * 0.5;
    e = e + 1;
  }
  const double f = m - 1;
  const double s = f / (2 + f);
  const double z = s * s;
  const double r = z * (2.0 / 3 + z * (2.0 / 5 + z * (2.0 / 7 + z * (2.0 / 9 + z * (2.0 / 11 + z * (2.0 / 13 + z * (2.0 / 15 + z * (2.0 / 17 + z * (2.0 / 19 + z * (2.0 / 21))))))))));
  return e * 0.6931471803691238 + (f - (s * (f - r) - e * 1.9082149292705877e-10));
}

// 2^k for k in [−1022, 1023], from its bits.
inline double twoTo(int64_t k) {
  const uint64_t bits = uint64_t(k + 1023) << 52;
  double v;
  std::memcpy(&v, &bits, 8);
  return v;
}

// exp's argument reduction: x = k·ln2 + r with ln2 in two parts, and e^r by its Taylor polynomial.
inline double expReduced(double x, double& k) {
  k = std::floor(x * 1.4426950408889634 + 0.5);
  const double r = x - k * 0.6931471803691238 - k * 1.9082149292705877e-10;
  return 1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * (0.008333333333333333 + r * (0.001388888888888889 + r * (0.0001984126984126984 + r * (2.48015873015873e-5 + r * (2.7557319223985893e-6 + r * (2.755731922398589e-7 + r * (2.505210838544172e-8 + r * (2.08767569878681e-9 + r * 1.6059043836821613e-10))))))))))));
}

// exp for x in [−708, 708], where 2^k is normal and no clamp is needed: the same bits as exp there, with
// 2^k built from the bits of k + 1023 + 2^52 instead of an integer conversion, so that loops vectorise.
inline double expInside(double x) {
  double k;
  const double p = expReduced(x, k);
  const double biased = k + 1023 + 4503599627370496.0;  // k + 1023 in the low mantissa bits
  uint64_t bits;
  std::memcpy(&bits, &biased, 8);
  bits <<= 52;
  double scale;
  std::memcpy(&scale, &bits, 8);
  return p * scale;
}

// exp of src/rng/math.ts, operation for operation (the discrete samplers' heat-bath and Metropolis tests).
inline double exp(double x) {
  if (x != x) return x;
  if (x > 709.782712893384) return INFINITY;
  if (x < -745.1332191019412) return 0;
  double k;
  const double p = expReduced(x, k);
  if (k > 1023) return p * twoTo(1023) * 2;
  if (k < -1022) return p * twoTo(int64_t(k) + 54) * 5.551115123125783e-17;
  return p * twoTo(int64_t(k));
}

// sincos2pi of src/rng/math.ts: sin(2πu), cos(2πu).
inline void sincos2pi(double u, double& sine, double& cosine) {
  const double t = 4 * u;
  double q = std::floor(t);
  double r = t - q;
  if (r > 0.5) {
    r = r - 1;
    q = q + 1;
  }
  const double z = r * r;
  const double S = r * 1.5707963267948966 +
                   r * z * (-0.6459640975062463 + z * (0.07969262624616705 + z * (-0.004681754135318688 + z * (0.00016044118478735983 + z * (-3.598843235212085e-6 + z * (5.692172921967927e-8 + z * (-6.688035109811468e-10 + z * 6.0669357311061955e-12)))))));
  const double C = 1 + z * (-1.2337005501361697 + z * (0.25366950790104803 + z * (-0.02086348076335296 + z * (0.0009192602748394266 + z * (-2.5202042373060607e-5 + z * (4.710874778818172e-7 + z * (-6.386603083791852e-9 + z * 6.565963114979473e-11)))))));
  // q is an integer-valued double; JavaScript's `q & 3` takes it modulo 2^32 as a signed int first.
  int quadrant = int(int64_t(q) & 3);
  switch (quadrant) {
    case 0: sine = S; cosine = C; break;
    case 1: sine = C; cosine = -S; break;
    case 2: sine = -S; cosine = -C; break;
    default: sine = -C; cosine = S;
  }
}

inline void normalPair(const uint32_t w[4], double& z0, double& z1) {
  double u1 = uniformFromWords(w[0], w[1]);
  double u2 = uniformFromWords(w[2], w[3]);
  double radius = std::sqrt(-2 * log(u1));
  double s, c;
  sincos2pi(u2, s, c);
  z0 = radius * c;
  z1 = radius * s;
}

inline void uniformPair(const uint32_t w[4], double& u0, double& u1) {
  u0 = uniformFromWords(w[0], w[1]);
  u1 = uniformFromWords(w[2], w[3]);
}

// Draws start … start+count−1 of a stream into out (normal when `normal`, else uniform in (0, 1)).
template <class T>
void draws(bool normal, uint64_t seed, uint64_t stream, uint64_t start, uint64_t count, T* out) {
  uint32_t w[4];
  uint64_t i = 0;
  while (i < count) {
    uint64_t index = start + i;
    streamBlock(seed, stream, index / 2, w);
    double pair[2];
    if (normal) normalPair(w, pair[0], pair[1]);
    else uniformPair(w, pair[0], pair[1]);
    for (uint64_t half = index % 2; half < 2 && i < count; half++) out[i++] = T(pair[half]);
  }
}

}  // namespace philox
}  // namespace hb
