// Included by normals.cc once per instruction set, after a `#pragma GCC target(...)` and the definition of
// `Vec` (W lanes: 64-bit integer lanes I and double lanes D, with the operations used below). Every
// floating-point line mirrors a line of philox.h in the same order; see normals.h for why that gives the
// same bits.

namespace {

// Philox blocks whose normals are computed side by side (1.4× over one at a time with AVX-512: 1.65 ns a
// normal against 2.31, eight streams of 784 draws).
constexpr int NORMAL_BLOCKS = 4;
static_assert(2 * NORMAL_BLOCKS % Vec::W == 0, "the normals of a group fill whole transposes (storeLanes)");

// The ten rounds' keys of `seed`, broadcast: [k0, k1] of round r at keys[2r], keys[2r + 1].
inline void roundKeys(uint64_t seed, typename Vec::I keys[20]) {
  uint32_t k0 = uint32_t(seed), k1 = uint32_t(seed >> 32);
  for (int round = 0; round < 10; round++) {
    keys[2 * round] = Vec::set1(k0);
    keys[2 * round + 1] = Vec::set1(k1);
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
}

// Philox4x32-10 of W streams' block `n`: words in the low 32 bits of 64-bit lanes. The high halves of the
// working values are not cleared between rounds (the 32×32→64 multiply reads only the low halves); the
// output words are masked once at the end.
inline void philoxLanes(const typename Vec::I keys[20], uint64_t n, typename Vec::I stream, typename Vec::I w[4]) {
  using I = typename Vec::I;
  const I low32 = Vec::set1(0xffffffffu);
  const I m0 = Vec::set1(0xD2511F53u), m1 = Vec::set1(0xCD9E8D57u);
  I c0 = Vec::set1(uint32_t(n)), c1 = Vec::set1(uint32_t(n >> 32));
  I c2 = Vec::andBits(stream, low32), c3 = Vec::shiftRight(stream, 32);
  for (int round = 0; round < 10; round++) {
    const I p = Vec::mul32(c0, m0);
    const I q = Vec::mul32(c2, m1);
    c0 = Vec::xorBits(Vec::xorBits(Vec::shiftRight(q, 32), c1), keys[2 * round]);
    c1 = q;
    c2 = Vec::xorBits(Vec::xorBits(Vec::shiftRight(p, 32), c3), keys[2 * round + 1]);
    c3 = p;
  }
  w[0] = Vec::andBits(c0, low32);
  w[1] = Vec::andBits(c1, low32);
  w[2] = Vec::andBits(c2, low32);
  w[3] = Vec::andBits(c3, low32);
}

// An integer below 2^52 as a double, exactly: its bits under the exponent of 2^52, minus 2^52.
inline typename Vec::D exactDouble(typename Vec::I k) {
  const typename Vec::D two52 = Vec::set1d(4503599627370496.0);
  return Vec::sub(Vec::asDouble(Vec::orBits(k, Vec::set1(0x4330000000000000ull))), two52);
}

// philox::uniformFromWords: k = (a >> 6)·2^26 + (b >> 6) (exact in doubles, so the integer k itself), then
// (k + 0.5)·2^-52.
inline typename Vec::D uniformLanes(typename Vec::I a, typename Vec::I b) {
  const typename Vec::I k = Vec::orBits(Vec::shiftLeft(Vec::shiftRight(a, 6), 26), Vec::shiftRight(b, 6));
  return Vec::mul(Vec::add(exactDouble(k), Vec::set1d(0.5)), Vec::set1d(2.220446049250313e-16));
}

// z·(c[0] + z·(c[1] + … + z·(c[n−2] + z·c[n−1]))), innermost product first: the Horner forms of philox.h.
inline typename Vec::D nested(typename Vec::D z, const double* c, int n) {
  typename Vec::D r = Vec::mul(z, Vec::set1d(c[n - 1]));
  for (int i = n - 2; i >= 0; i--) r = Vec::mul(z, Vec::add(Vec::set1d(c[i]), r));
  return r;
}

// philox::log for x in [2^-53, 1): positive normal numbers, so none of its special cases apply.
inline typename Vec::D logLanes(typename Vec::D x) {
  using D = typename Vec::D;
  using I = typename Vec::I;
  const I bits = Vec::asInt(x);
  const I biased = Vec::andBits(Vec::shiftRight(bits, 52), Vec::set1(0x7ff));
  D e = Vec::sub(exactDouble(biased), Vec::set1d(1023.0));  // e = 0 + double(biased − 1023): the same integer
  D m = Vec::asDouble(Vec::orBits(Vec::andBits(bits, Vec::set1(0x000fffffffffffffull)), Vec::set1(0x3ff0000000000000ull)));
  const D sqrt2 = Vec::set1d(1.4142135623730951);
  e = Vec::selectGreater(m, sqrt2, Vec::add(e, Vec::set1d(1.0)), e);
  m = Vec::selectGreater(m, sqrt2, Vec::mul(m, Vec::set1d(0.5)), m);
  const D f = Vec::sub(m, Vec::set1d(1.0));
  const D s = Vec::div(f, Vec::add(Vec::set1d(2.0), f));
  const D z = Vec::mul(s, s);
  static constexpr double atanh[] = {2.0 / 3, 2.0 / 5, 2.0 / 7, 2.0 / 9, 2.0 / 11, 2.0 / 13, 2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21};
  const D r = nested(z, atanh, 10);
  const D tail = Vec::sub(Vec::mul(s, Vec::sub(f, r)), Vec::mul(e, Vec::set1d(1.9082149292705877e-10)));
  return Vec::add(Vec::mul(e, Vec::set1d(0.6931471803691238)), Vec::sub(f, tail));
}

// philox::normalPair on W blocks: z0 = radius·cos(2π·u2), z1 = radius·sin(2π·u2).
inline void normalLanes(const typename Vec::I w[4], typename Vec::D& z0, typename Vec::D& z1) {
  using D = typename Vec::D;
  using I = typename Vec::I;
  const D u1 = uniformLanes(w[0], w[1]);
  const D u2 = uniformLanes(w[2], w[3]);
  const D radius = Vec::sqrt(Vec::mul(Vec::set1d(-2.0), logLanes(u1)));
  // sincos2pi(u2)
  const D t = Vec::mul(Vec::set1d(4.0), u2);
  D q = Vec::floor(t);
  D r = Vec::sub(t, q);
  const D half = Vec::set1d(0.5);
  q = Vec::selectGreater(r, half, Vec::add(q, Vec::set1d(1.0)), q);
  r = Vec::selectGreater(r, half, Vec::sub(r, Vec::set1d(1.0)), r);
  const D z = Vec::mul(r, r);
  static constexpr double sine5[] = {0.07969262624616705, -0.004681754135318688, 0.00016044118478735983, -3.598843235212085e-6,
                                 5.692172921967927e-8, -6.688035109811468e-10, 6.0669357311061955e-12};
  const D ps = Vec::add(Vec::set1d(-0.6459640975062463), nested(z, sine5, 7));
  const D S = Vec::add(Vec::mul(r, Vec::set1d(1.5707963267948966)), Vec::mul(Vec::mul(r, z), ps));
  static constexpr double cosine2[] = {-1.2337005501361697, 0.25366950790104803, -0.02086348076335296, 0.0009192602748394266,
                                   -2.5202042373060607e-5, 4.710874778818172e-7, -6.386603083791852e-9, 6.565963114979473e-11};
  const D pc = nested(z, cosine2, 8);
  const D C = Vec::add(Vec::set1d(1.0), pc);
  // The quadrant q mod 4 (q is an integer in [0, 4]): odd quadrants swap sine and cosine; the sine is
  // negated in quadrants 2 and 3, the cosine in 1 and 2 (a sign-bit flip, as unary minus is).
  const I quadrant = Vec::asInt(Vec::add(q, Vec::set1d(4503599627370496.0)));  // low bits: the integer q
  const D sine = Vec::flipSign(Vec::selectOdd(quadrant, S, C), Vec::shiftLeft(Vec::andBits(quadrant, Vec::set1(2)), 62));
  const D cosine = Vec::flipSign(Vec::selectOdd(quadrant, C, S), Vec::shiftLeft(Vec::andBits(Vec::xorBits(quadrant, Vec::shiftRight(quadrant, 1)), Vec::set1(1)), 63));
  z0 = Vec::mul(radius, cosine);
  z1 = Vec::mul(radius, sine);
}

template <normals::Kind kind>
void acrossStreamsLanes(uint64_t seed, uint64_t firstStream, int64_t streams, uint64_t start, int64_t count, double* out, int64_t stride) {
  constexpr int W = Vec::W;
  alignas(64) double first[W], second[W];
  const uint64_t end = start + uint64_t(count);
  typename Vec::I keys[20];
  roundKeys(seed, keys);
  for (int64_t i0 = 0; i0 < streams; i0 += W) {
    const int lanes = int(std::min<int64_t>(W, streams - i0));
    const typename Vec::I stream = Vec::lanes(firstStream + uint64_t(i0));
    double* row = out + i0 * stride;
    for (uint64_t index = start; index < end;) {
      if (kind == normals::Kind::Normal && index % 2 == 0 && index + 2 * NORMAL_BLOCKS <= end) {
        // Several Philox blocks at once: each normal's arithmetic is a long chain of dependent operations,
        // and independent chains side by side keep the vector units busy (the same operations per lane, so
        // the same bits).
        typename Vec::I w[NORMAL_BLOCKS][4];
        typename Vec::D z[2 * NORMAL_BLOCKS];
        for (int b = 0; b < NORMAL_BLOCKS; b++) philoxLanes(keys, index / 2 + uint64_t(b), stream, w[b]);
        for (int b = 0; b < NORMAL_BLOCKS; b++) normalLanes(w[b], z[2 * b], z[2 * b + 1]);
        const int64_t j = int64_t(index - start);
        if (lanes == W) {
          // every lane a stream: transposed in registers, a row of W normals per stream at a time
          for (int q = 0; q < 2 * NORMAL_BLOCKS; q += W) Vec::storeLanes(row + j + q, stride, z + q);
        } else {
          alignas(64) double values[2 * NORMAL_BLOCKS][W];
          for (int q = 0; q < 2 * NORMAL_BLOCKS; q++) Vec::store(values[q], z[q]);
          for (int l = 0; l < lanes; l++)
            for (int q = 0; q < 2 * NORMAL_BLOCKS; q++) row[l * stride + j + q] = values[q][l];
        }
        index += 2 * NORMAL_BLOCKS;
        continue;
      }
      typename Vec::I w[4];
      philoxLanes(keys, index / 2, stream, w);
      const bool wantFirst = index % 2 == 0, wantSecond = index % 2 == 1 || index + 1 < end;
      if (kind == normals::Kind::Normal) {
        typename Vec::D z0, z1;
        normalLanes(w, z0, z1);
        Vec::store(first, z0);
        Vec::store(second, z1);
      } else {
        if (wantFirst) {
          const typename Vec::D u = uniformLanes(w[0], w[1]);
          Vec::store(first, kind == normals::Kind::LogUniform ? logLanes(u) : u);
        }
        if (wantSecond) {
          const typename Vec::D u = uniformLanes(w[2], w[3]);
          Vec::store(second, kind == normals::Kind::LogUniform ? logLanes(u) : u);
        }
      }
      if (wantFirst) {
        const int64_t j = int64_t(index - start);
        for (int l = 0; l < lanes; l++) row[l * stride + j] = first[l];
        index++;
      }
      if (wantSecond && index < end) {
        const int64_t j = int64_t(index - start);
        for (int l = 0; l < lanes; l++) row[l * stride + j] = second[l];
        index++;
      }
    }
  }
}

}  // namespace

void acrossStreams(normals::Kind kind, uint64_t seed, uint64_t firstStream, int64_t streams, uint64_t start, int64_t count, double* out, int64_t stride) {
  switch (kind) {
    case normals::Kind::Normal: acrossStreamsLanes<normals::Kind::Normal>(seed, firstStream, streams, start, count, out, stride); break;
    case normals::Kind::Uniform: acrossStreamsLanes<normals::Kind::Uniform>(seed, firstStream, streams, start, count, out, stride); break;
    default: acrossStreamsLanes<normals::Kind::LogUniform>(seed, firstStream, streams, start, count, out, stride);
  }
}
