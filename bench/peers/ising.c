/*
 * The machine's reference for bench/ising.ts: the 2-D Ising model on periodic L × L lattices as one would
 * write it plainly in C. Heat bath in checkerboard order (the acceptance probability of each of the five
 * neighbour sums tabulated once), and Wolff clusters grown from a stack. xoshiro256** for the uniforms.
 * Compiled by the benchmark at run time (gcc -O2); not committed as a binary.
 *
 *   ising heatbath L T lattices sweeps     prints {"seconds", "flips", "magnetisation"}
 *   ising wolff L T lattices clusters      prints {"seconds", "flips", "magnetisation"}
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t s[4];
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline uint64_t next(void) {
  const uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
  return result;
}
static inline double uniform(void) { return (next() >> 11) * 0x1.0p-53; }

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc != 6) return fprintf(stderr, "usage: ising heatbath|wolff L T lattices steps\n"), 2;
  const int L = atoi(argv[2]), N = L * L, lattices = atoi(argv[4]), steps = atoi(argv[5]);
  const double T = atof(argv[3]);
  s[0] = 0x9E3779B97F4A7C15u; s[1] = 0xBF58476D1CE4E5B9u; s[2] = 0x94D049BB133111EBu; s[3] = 42;
  int8_t* spin = malloc((size_t)N * lattices);
  memset(spin, 1, (size_t)N * lattices);
  int* stack = malloc(sizeof(int) * N);
  uint8_t* in = malloc(N);
  double flips = 0;
  const double start = now();
  if (strcmp(argv[1], "heatbath") == 0) {
    double up[5];  // P(s = +1) for neighbour sums −4, −2, 0, 2, 4
    for (int k = 0; k < 5; k++) up[k] = 1 / (1 + exp(-2 * (2 * k - 4) / T));
    for (int m = 0; m < lattices; m++) {
      int8_t* x = spin + (size_t)m * N;
      for (int t = 0; t < steps; t++)
        for (int colour = 0; colour < 2; colour++)
          for (int r = 0; r < L; r++)
            for (int c = (r + colour) & 1; c < L; c += 2) {
              const int sum = x[((r + L - 1) % L) * L + c] + x[((r + 1) % L) * L + c] + x[r * L + (c + L - 1) % L] + x[r * L + (c + 1) % L];
              x[r * L + c] = uniform() < up[(sum + 4) >> 1] ? 1 : -1;
            }
    }
    flips = (double)N * lattices * steps;
  } else {
    const double add = 1 - exp(-2 / T);
    for (int m = 0; m < lattices; m++) {
      int8_t* x = spin + (size_t)m * N;
      for (int t = 0; t < steps; t++) {
        memset(in, 0, N);
        int top = 0, seed = (int)(uniform() * N);
        const int8_t s0 = x[seed];
        stack[top++] = seed;
        in[seed] = 1;
        x[seed] = -s0;
        while (top > 0) {
          const int i = stack[--top], r = i / L, c = i % L;
          const int nb[4] = {((r + L - 1) % L) * L + c, ((r + 1) % L) * L + c, r * L + (c + L - 1) % L, r * L + (c + 1) % L};
          for (int k = 0; k < 4; k++) {
            const int j = nb[k];
            if (!in[j] && x[j] == s0 && uniform() < add) {
              in[j] = 1;
              x[j] = -s0;
              stack[top++] = j;
              flips++;
            }
          }
        }
        flips++;
      }
    }
  }
  const double seconds = now() - start;
  double M = 0;
  for (size_t i = 0; i < (size_t)N * lattices; i++) M += spin[i];
  printf("{\"seconds\": %.6f, \"flips\": %.0f, \"magnetisation\": %.6f}\n", seconds, flips, fabs(M) / ((double)N * lattices));
  return 0;
}
