"""Peer of bench/products.ts: the ULA step on the MLP energy D->H->H->1 (SiLU, float32) in PyTorch, and the
same step's products alone as float32 matmuls in numpy (which links the machine's OpenBLAS sgemm: check with
numpy.show_config() and ldd; on Debian libblas.so.3 resolves to openblas-pthread).

Serves lines on stdin, one JSON line {"rate": per second} each:
  step D H C THREADS SECONDS   ULA steps/s of C chains (autograd for grad_x E), PyTorch on THREADS threads
  sgemm D H C THREADS SECONDS  evaluations/s of the six products of one grad_x E (forward x W1, h1 W2, h2 w3;
                               backward t3 w3^T, t2 W2^T, t1 W1^T), OpenBLAS on THREADS threads
Each measurement warms up, estimates its rate, then times about SECONDS of work.
The weights are those of bench/mlp-grid.ts: w[i] = scale * sin(seed * (i + 1)).
"""
import ctypes
import json
import math
import sys
import time

import numpy as np
import torch
from torch_ula import ula_runner


def openblas_threads():
    # numpy's sgemm goes through libblas.so.3 (OpenBLAS); its thread count is set through OpenBLAS itself.
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            return lib.openblas_set_num_threads
        except (OSError, AttributeError):
            continue
    return None


set_blas_threads = openblas_threads()


def weights(n, seed, scale, shape):
    return (scale * np.sin(seed * np.arange(1, n + 1, dtype=np.float64))).astype(np.float32).reshape(shape)


models = {}


def model(D, H):
    if (D, H) not in models:
        models.clear()  # one point at a time: the largest weights are 12 MB each
        models[(D, H)] = dict(
            W1=weights(D * H, 1.1, 1 / math.sqrt(D), (D, H)),
            b1=weights(H, 1.3, 0.1, (H,)),
            W2=weights(H * H, 0.7, 1 / math.sqrt(H), (H, H)),
            b2=weights(H, 1.9, 0.1, (H,)),
            w3=weights(H, 2.3, 1 / math.sqrt(H), (H, 1)),
        )
    return models[(D, H)]


def timed(run, seconds):
    run(2)  # warm-up
    n, elapsed = 1, 0.0
    while elapsed < 0.05:  # estimate the rate, then time about `seconds`
        started = time.perf_counter()
        run(n)
        elapsed = time.perf_counter() - started
        if elapsed < 0.05:
            n *= 4
    n = max(1, int(n * seconds / elapsed))
    started = time.perf_counter()
    run(n)
    return n / (time.perf_counter() - started)


def ula_rate(D, H, C, seconds, h=1e-3):
    p = {k: torch.from_numpy(v) for k, v in model(D, H).items()}

    def energy(x):
        h1 = torch.nn.functional.silu(x @ p["W1"] + p["b1"])
        h2 = torch.nn.functional.silu(h1 @ p["W2"] + p["b2"])
        return (h2 @ p["w3"]).reshape(-1)

    x = (0.5 * torch.sin(0.37 * torch.arange(C * D, dtype=torch.float64))).float().reshape(C, D)
    return timed(ula_runner(energy, x, h), seconds)


def sgemm_rate(D, H, C, seconds):
    p = model(D, H)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((C, D), dtype=np.float32)
    a = rng.standard_normal((C, H), dtype=np.float32)
    t3 = rng.standard_normal((C, 1), dtype=np.float32)
    out = {k: np.empty(s, dtype=np.float32) for k, s in dict(h1=(C, H), h2=(C, H), e=(C, 1), g3=(C, H), g2=(C, H), g1=(C, D)).items()}
    W1t, W2t, w3t = p["W1"].T, p["W2"].T, p["w3"].T  # transposed views: sgemm's transB, no copy

    def run(n):
        for _ in range(n):
            np.matmul(x, p["W1"], out=out["h1"])
            np.matmul(a, p["W2"], out=out["h2"])
            np.matmul(a, p["w3"], out=out["e"])
            np.matmul(t3, w3t, out=out["g3"])
            np.matmul(a, W2t, out=out["g2"])
            np.matmul(a, W1t, out=out["g1"])

    return timed(run, seconds)


for line in sys.stdin:
    what, D, H, C, threads, seconds = line.split()
    D, H, C, threads, seconds = int(D), int(H), int(C), int(threads), float(seconds)
    torch.set_num_threads(threads)
    if set_blas_threads is not None:
        set_blas_threads(threads)
    rate = ula_rate(D, H, C, seconds) if what == "step" else sgemm_rate(D, H, C, seconds)
    print(json.dumps({"rate": rate}), flush=True)
