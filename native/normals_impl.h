// Included by normals.cc once per instruction set, after a `#pragma GCC target(...)` and the definition of
// `Vec` (W lanes: 64-bit integer lanes I and double lanes D, with the operations used below). Every
// floating-point line mirrors a line of philox.h in the same order; see normals.h for why that gives the
// same bits.

namespace {

// Philox blocks whose draws are computed side by side (philoxLanes, drawLanes).
constexpr int NORMAL_BLOCKS = 4;
static_assert(2 * NORMAL_BLOCKS % Vec::W == 0, "the draws of a group fill whole transposes (storeLanes)");

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

// The functions below run on N groups of lanes at once, one operation across all N before the next:
// each normal is a long chain of dependent operations (Philox's rounds, the log's and the sine's Horner
// forms, the division, the square root), and N independent chains side by side keep the vector units busy
// where one chain would wait on each result. With AVX-512, four groups side by side make a normal in
// 1.22 ns of a core, against 1.54 ns for four groups one after another (which the out-of-order window
// overlapped only in part) and 1.40 ns for eight side by side (registers spill); with AVX2, 3.09 against
// 3.49 ns. Every lane gets the same operations in the same order, so the same bits.
#define HB_EACH for (int g = 0; g < N; g++)

// Philox4x32-10 of W streams' blocks n … n + N − 1, side by side: words in the low 32 bits of 64-bit lanes.
// The high halves of the working values are not cleared between rounds (the 32×32→64 multiply reads only
// the low halves); the output words are masked once at the end.
template <int N>
inline void philoxLanes(const typename Vec::I keys[20], uint64_t n, typename Vec::I stream, typename Vec::I (*w)[4]) {
  using I = typename Vec::I;
  const I low32 = Vec::set1(0xffffffffu);
  const I m0 = Vec::set1(0xD2511F53u), m1 = Vec::set1(0xCD9E8D57u);
  I c0[N], c1[N], c2[N], c3[N];
  HB_EACH {
    c0[g] = Vec::set1(uint32_t(n + uint64_t(g))), c1[g] = Vec::set1(uint32_t((n + uint64_t(g)) >> 32));
    c2[g] = Vec::andBits(stream, low32), c3[g] = Vec::shiftRight(stream, 32);
  }
  for (int round = 0; round < 10; round++)
    HB_EACH {
      const I p = Vec::mul32(c0[g], m0);
      const I q = Vec::mul32(c2[g], m1);
      c0[g] = Vec::xorBits(Vec::xorBits(Vec::shiftRight(q, 32), c1[g]), keys[2 * round]);
      c1[g] = q;
      c2[g] = Vec::xorBits(Vec::xorBits(Vec::shiftRight(p, 32), c3[g]), keys[2 * round + 1]);
      c3[g] = p;
    }
  HB_EACH {
    w[g][0] = Vec::andBits(c0[g], low32);
    w[g][1] = Vec::andBits(c1[g], low32);
    w[g][2] = Vec::andBits(c2[g], low32);
    w[g][3] = Vec::andBits(c3[g], low32);
  }
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

// r = z·(c[0] + z·(c[1] + … + z·(c[n−2] + z·c[n−1]))), innermost product first: the Horner forms of philox.h.
template <int N>
inline void nested(const typename Vec::D* z, const double* c, int n, typename Vec::D* r) {
  HB_EACH r[g] = Vec::mul(z[g], Vec::set1d(c[n - 1]));
  for (int i = n - 2; i >= 0; i--) HB_EACH r[g] = Vec::mul(z[g], Vec::add(Vec::set1d(c[i]), r[g]));
}

// philox::log for x in [2^-53, 1): positive normal numbers, so none of its special cases apply. x and out
// may be one array (x is read before out is written).
template <int N>
inline void logLanes(const typename Vec::D* x, typename Vec::D* out) {
  using D = typename Vec::D;
  using I = typename Vec::I;
  D e[N], m[N], f[N], s[N], z[N], r[N];
  const D sqrt2 = Vec::set1d(1.4142135623730951);
  HB_EACH {
    const I bits = Vec::asInt(x[g]);
    const I biased = Vec::andBits(Vec::shiftRight(bits, 52), Vec::set1(0x7ff));
    e[g] = Vec::sub(exactDouble(biased), Vec::set1d(1023.0));  // e = 0 + double(biased − 1023): the same integer
    m[g] = Vec::asDouble(Vec::orBits(Vec::andBits(bits, Vec::set1(0x000fffffffffffffull)), Vec::set1(0x3ff0000000000000ull)));
  }
  HB_EACH {
    e[g] = Vec::selectGreater(m[g], sqrt2, Vec::add(e[g], Vec::set1d(1.0)), e[g]);
    m[g] = Vec::selectGreater(m[g], sqrt2, Vec::mul(m[g], Vec::set1d(0.5)), m[g]);
  }
  HB_EACH f[g] = Vec::sub(m[g], Vec::set1d(1.0));
  HB_EACH s[g] = Vec::div(f[g], Vec::add(Vec::set1d(2.0), f[g]));
  HB_EACH z[g] = Vec::mul(s[g], s[g]);
  static constexpr double atanh[] = {2.0 / 3, 2.0 / 5, 2.0 / 7, 2.0 / 9, 2.0 / 11, 2.0 / 13, 2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21};
  nested<N>(z, atanh, 10, r);
  HB_EACH {
    const D tail = Vec::sub(Vec::mul(s[g], Vec::sub(f[g], r[g])), Vec::mul(e[g], Vec::set1d(1.9082149292705877e-10)));
    out[g] = Vec::add(Vec::mul(e[g], Vec::set1d(0.6931471803691238)), Vec::sub(f[g], tail));
  }
}

// philox::normalPair on N groups of W blocks: z0 = radius·cos(2π·u2), z1 = radius·sin(2π·u2).
template <int N>
inline void normalLanes(const typename Vec::I (*w)[4], typename Vec::D* z0, typename Vec::D* z1) {
  using D = typename Vec::D;
  using I = typename Vec::I;
  D u1[N], u2[N], radius[N], q[N], r[N], z[N], ps[N], pc[N];
  HB_EACH u1[g] = uniformLanes(w[g][0], w[g][1]);
  HB_EACH u2[g] = uniformLanes(w[g][2], w[g][3]);
  logLanes<N>(u1, radius);
  HB_EACH radius[g] = Vec::sqrt(Vec::mul(Vec::set1d(-2.0), radius[g]));
  // sincos2pi(u2)
  const D half = Vec::set1d(0.5);
  HB_EACH {
    const D t = Vec::mul(Vec::set1d(4.0), u2[g]);
    q[g] = Vec::floor(t);
    r[g] = Vec::sub(t, q[g]);
  }
  HB_EACH {
    q[g] = Vec::selectGreater(r[g], half, Vec::add(q[g], Vec::set1d(1.0)), q[g]);
    r[g] = Vec::selectGreater(r[g], half, Vec::sub(r[g], Vec::set1d(1.0)), r[g]);
  }
  HB_EACH z[g] = Vec::mul(r[g], r[g]);
  static constexpr double sine5[] = {0.07969262624616705, -0.004681754135318688, 0.00016044118478735983, -3.598843235212085e-6,
                                 5.692172921967927e-8, -6.688035109811468e-10, 6.0669357311061955e-12};
  nested<N>(z, sine5, 7, ps);
  static constexpr double cosine2[] = {-1.2337005501361697, 0.25366950790104803, -0.02086348076335296, 0.0009192602748394266,
                                   -2.5202042373060607e-5, 4.710874778818172e-7, -6.386603083791852e-9, 6.565963114979473e-11};
  nested<N>(z, cosine2, 8, pc);
  HB_EACH {
    const D S = Vec::add(Vec::mul(r[g], Vec::set1d(1.5707963267948966)), Vec::mul(Vec::mul(r[g], z[g]), Vec::add(Vec::set1d(-0.6459640975062463), ps[g])));
    const D C = Vec::add(Vec::set1d(1.0), pc[g]);
    // The quadrant q mod 4 (q is an integer in [0, 4]): odd quadrants swap sine and cosine; the sine is
    // negated in quadrants 2 and 3, the cosine in 1 and 2 (a sign-bit flip, as unary minus is).
    const I quadrant = Vec::asInt(Vec::add(q[g], Vec::set1d(4503599627370496.0)));  // low bits: the integer q
    const D sine = Vec::flipSign(Vec::selectOdd(quadrant, S, C), Vec::shiftLeft(Vec::andBits(quadrant, Vec::set1(2)), 62));
    const D cosine = Vec::flipSign(Vec::selectOdd(quadrant, C, S), Vec::shiftLeft(Vec::andBits(Vec::xorBits(quadrant, Vec::shiftRight(quadrant, 1)), Vec::set1(1)), 63));
    z0[g] = Vec::mul(radius[g], cosine);
    z1[g] = Vec::mul(radius[g], sine);
  }
}

// The two draws of N groups of Philox blocks: the Box–Muller pair, or the two uniforms (or their logs)
// from words 0 and 1 and from words 2 and 3.
template <normals::Kind kind, int N>
inline void drawLanes(const typename Vec::I (*w)[4], typename Vec::D* first, typename Vec::D* second) {
  if (kind == normals::Kind::Normal) return normalLanes<N>(w, first, second);
  HB_EACH first[g] = uniformLanes(w[g][0], w[g][1]), second[g] = uniformLanes(w[g][2], w[g][3]);
  if (kind == normals::Kind::LogUniform) logLanes<N>(first, first), logLanes<N>(second, second);
}
#undef HB_EACH

// One uniform (or its log) of a block, from words a and b.
template <normals::Kind kind>
inline typename Vec::D uniformDraw(typename Vec::I a, typename Vec::I b) {
  typename Vec::D u = uniformLanes(a, b);
  if (kind == normals::Kind::LogUniform) logLanes<1>(&u, &u);
  return u;
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
      if (index % 2 == 0 && index + 2 * NORMAL_BLOCKS <= end) {
        // Several Philox blocks at once, their arithmetic side by side.
        typename Vec::I w[NORMAL_BLOCKS][4];
        typename Vec::D z[2 * NORMAL_BLOCKS], firsts[NORMAL_BLOCKS], seconds[NORMAL_BLOCKS];
        philoxLanes<NORMAL_BLOCKS>(keys, index / 2, stream, w);
        drawLanes<kind, NORMAL_BLOCKS>(w, firsts, seconds);
        for (int b = 0; b < NORMAL_BLOCKS; b++) z[2 * b] = firsts[b], z[2 * b + 1] = seconds[b];
        const int64_t j = int64_t(index - start);
        if (lanes == W) {
          // every lane a stream: transposed in registers, a row of W draws per stream at a time
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
      philoxLanes<1>(keys, index / 2, stream, &w);
      const bool wantFirst = index % 2 == 0, wantSecond = index % 2 == 1 || index + 1 < end;
      if (kind == normals::Kind::Normal) {
        typename Vec::D z0, z1;
        normalLanes<1>(&w, &z0, &z1);
        Vec::store(first, z0);
        Vec::store(second, z1);
      } else {
        // one block at a time only for a draw or two a stream: what is not wanted is not computed
        if (wantFirst) Vec::store(first, uniformDraw<kind>(w[0], w[1]));
        if (wantSecond) Vec::store(second, uniformDraw<kind>(w[2], w[3]));
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
