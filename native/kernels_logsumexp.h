// A part of kernels_impl.h: logsumexp over rows of 8 in vectors. Included inside that file's anonymous
// namespace, once per instruction set; not a header of its own.

// ---- logsumexp over rows of 8 ----

// The vector form where there is one (float32 with AVX, rows of 8); false otherwise (KernelTable).
template <class T>
bool logsumexpRowsKernel(const T*, T*, int64_t, int64_t) { return false; }

#if defined(HB_AVX512) || defined(HB_AVX2)
// G groups of eight rows, their steps interleaved (each group's reduction is a chain of dependent
// operations; side by side they keep the pipes busy).
template <int G>
inline void logsumexp8x8(const float* x, float* y) {
  __m256 t[G][8], m[G], nan[G], sum[G];
  for (int g = 0; g < G; g++) {
    for (int r = 0; r < 8; r++) t[g][r] = _mm256_loadu_ps(x + 64 * g + 8 * r);
    transpose8(t[g]);
    m[g] = _mm256_set1_ps(-INFINITY);
    nan[g] = _mm256_setzero_ps();
    sum[g] = _mm256_setzero_ps();
  }
  // m = max in order (v > m ? v : m, so NaNs are passed over; they are flagged apart).
  for (int r = 0; r < 8; r++)
    for (int g = 0; g < G; g++) {
      nan[g] = _mm256_or_ps(nan[g], _mm256_cmp_ps(t[g][r], t[g][r], _CMP_UNORD_Q));
      m[g] = _mm256_blendv_ps(m[g], t[g][r], _mm256_cmp_ps(t[g][r], m[g], _CMP_GT_OQ));
    }
  for (int r = 0; r < 8; r++)
    for (int g = 0; g < G; g++) sum[g] = _mm256_add_ps(sum[g], expFloat8(_mm256_sub_ps(t[g][r], m[g])));
  for (int g = 0; g < G; g++) {
    __m256 v = _mm256_add_ps(m[g], logFloat8(sum[g]));
    // An infinite (or all-NaN) maximum is the result itself; any NaN makes the result NaN.
    __m256 finite = _mm256_cmp_ps(_mm256_and_ps(m[g], _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff))), _mm256_set1_ps(INFINITY), _CMP_LT_OQ);
    v = _mm256_blendv_ps(m[g], v, finite);
    _mm256_storeu_ps(y + 8 * g, _mm256_blendv_ps(v, _mm256_set1_ps(NAN), nan[g]));
  }
}

template <>
bool logsumexpRowsKernel<float>(const float* x, float* y, int64_t outer, int64_t R) {
  if (R != 8) return false;
  int64_t o = 0;
  for (; o + 16 <= outer; o += 16) logsumexp8x8<2>(x + o * 8, y + o);
  for (; o + 8 <= outer; o += 8) logsumexp8x8<1>(x + o * 8, y + o);
  if (o < outer) {
    // The last rows through the same code, padded with zeros (their results are dropped).
    alignas(32) float rows[64] = {}, out[8];
    std::memcpy(rows, x + o * 8, sizeof(float) * size_t((outer - o) * 8));
    logsumexp8x8<1>(rows, out);
    std::memcpy(y + o, out, sizeof(float) * size_t(outer - o));
  }
  return true;
}
#endif
