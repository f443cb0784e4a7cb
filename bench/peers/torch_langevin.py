"""Peer benchmark: the same Langevin work as bench/sampler.ts in PyTorch on the CPU (an autograd loop).

Usage: python3 torch_langevin.py --threads N --steps K
Prints one JSON line: {"mlp": steps/s, "mixture": steps/s} (a step moves every chain once).
With --serve it stays up and answers lines "mlp|mixture THREADS STEPS" on stdin with one JSON line
{"rate": steps/s} each, so that bench/sampler.ts can alternate short measurements of both systems.
The weights are the deterministic ones of bench/sampler.ts: w[i] = scale * sin(seed * (i + 1)).
"""
import argparse
import json
import math
import sys
import time

import torch
from torch_ula import ula_runner

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--steps", type=int, default=300)
parser.add_argument("--serve", action="store_true")
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)


def weights(n, seed, scale, shape):
    return torch.tensor([scale * math.sin(seed * (i + 1)) for i in range(n)], dtype=torch.float32).reshape(shape)


hidden = 128
W1 = weights(2 * hidden, 1.1, 0.7, (2, hidden))
b1 = weights(hidden, 1.3, 0.1, (hidden,))
W2 = weights(hidden * hidden, 0.7, 1 / math.sqrt(hidden), (hidden, hidden))
b2 = weights(hidden, 1.9, 0.1, (hidden,))
w3 = weights(hidden, 2.3, 1 / math.sqrt(hidden), (hidden, 1))


def mlp(x):
    h1 = torch.nn.functional.silu(x @ W1 + b1)
    h2 = torch.nn.functional.silu(h1 @ W2 + b2)
    return (h2 @ w3).reshape(-1)


means = torch.tensor([[2 * math.cos(2 * math.pi * k / 8), 2 * math.sin(2 * math.pi * k / 8)] for k in range(8)], dtype=torch.float32)


def mixture(x):
    d = x[:, None, :] - means[None, :, :]
    return -torch.logsumexp(-2 * (d * d).sum(2), 1)


def langevin(energy, chains, steps, h=1e-3):
    run = ula_runner(energy, torch.sin(0.37 * torch.arange(chains * 2, dtype=torch.float32)).reshape(chains, 2), h)
    run(max(5, steps // 10))  # warm-up
    started = time.perf_counter()
    run(steps)
    return steps / (time.perf_counter() - started)


if args.serve:
    for line in sys.stdin:
        work, threads, steps = line.split()
        torch.set_num_threads(int(threads))
        rate = langevin(mlp if work == "mlp" else mixture, 1024 if work == "mlp" else 4096, int(steps))
        print(json.dumps({"rate": rate}), flush=True)
else:
    print(json.dumps({"mlp": langevin(mlp, 1024, args.steps), "mixture": langevin(mixture, 4096, args.steps)}))
