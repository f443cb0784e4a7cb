"""Peer benchmark for bench/stream.ts: the energies of a stream of records scored in batches by PyTorch on
the CPU, for an MLP 2→128→128→1 (SiLU) whose weights are those heatbath scores with.

Usage:
  python3 torch_score.py --serve RECORDS PARAMS
      RECORDS: a file of float64 records (n × 2, row-major); PARAMS: a file of float64 weights in the order
      W0 (2×128), b0 (128), W1 (128×128), b1 (128), W2 (128×1), b2 (1), heatbath's layout (x·W + b).
      Answers lines "THREADS BATCH DTYPE" on stdin (DTYPE float64 or float32) by scoring every record in
      batches of BATCH, and prints one JSON line {"rate": records/s, "first": E of record 0} each.
"""
import json
import sys
import time

import numpy as np
import torch

_, mode, records_path, params_path = sys.argv
assert mode == "--serve"
records = torch.from_numpy(np.fromfile(records_path, dtype=np.float64).reshape(-1, 2))
flat = torch.from_numpy(np.fromfile(params_path, dtype=np.float64))
shapes = [(2, 128), (128,), (128, 128), (128,), (128, 1), (1,)]
params, at = [], 0
for shape in shapes:
    size = int(np.prod(shape))
    params.append(flat[at:at + size].reshape(shape))
    at += size


def score(x, p):
    W0, b0, W1, b1, W2, b2 = p
    h = torch.nn.functional.silu(x @ W0 + b0)
    h = torch.nn.functional.silu(h @ W1 + b1)
    return (h @ W2 + b2).reshape(-1)


with torch.no_grad():
    for line in sys.stdin:
        threads, batch, dtype = line.split()
        torch.set_num_threads(int(threads))
        kind = torch.float64 if dtype == "float64" else torch.float32
        x, p = records.to(kind), [q.to(kind) for q in params]
        b = int(batch)
        started = time.perf_counter()
        first = None
        for i in range(0, x.shape[0], b):
            e = score(x[i:i + b], p)
            first = float(e[0]) if first is None else first
        print(json.dumps({"rate": x.shape[0] / (time.perf_counter() - started), "first": first}), flush=True)
