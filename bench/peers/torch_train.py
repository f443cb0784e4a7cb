"""Peer benchmark: persistent contrastive divergence on 8gaussians in PyTorch on the CPU, the recipe of
issue 12 (and of the IGEBM/JEM toy code): an MLP 2→128→128→1 (SiLU) energy; a replay buffer of 10,000
chains, 5% of each drawn batch reinitialised uniformly on [−4, 4]²; K = 20 ULA steps
x ← x − h·∇E(x) + √(2h)·ξ with h = 0.01; batch 256 of fresh data per iteration (FFJORD's generator);
Adam, lr 1e-3, betas (0, 0.999); loss mean E(x⁺) − mean E(x⁻) + α·mean(E(x⁺)² + E(x⁻)²) with α = 0.1.
KL(data ‖ model) on a 200×200 grid over [−4, 4]²: the data's density is the exact mixture, the model's is
exp(−E) normalised over the grid.

Usage:
  python3 torch_train.py --threads N --seconds S [--kl-every T]
      trains for S seconds of training time (grid evaluations are not counted) and prints one JSON line per
      evaluation {"seconds": t, "iterations": i, "kl": KL} every T seconds, then {"rate": it/s}.
  python3 torch_train.py --serve
      answers lines "THREADS ITERATIONS" on stdin with one JSON line {"rate": it/s} each (training goes on
      from where the last request stopped), so that bench/train.ts can alternate short turns of both systems.
"""
import argparse
import json
import math
import sys
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--seconds", type=float, default=30.0)
parser.add_argument("--kl-every", type=float, default=2.0)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--serve", action="store_true")
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)

H, K, BUFFER, BATCH, REINIT, ALPHA, LOW, HIGH = 0.01, 20, 10_000, 256, 0.05, 0.1, -4.0, 4.0

centres = torch.tensor(
    [[1, 0], [-1, 0], [0, 1], [0, -1], [math.sqrt(0.5), math.sqrt(0.5)], [math.sqrt(0.5), -math.sqrt(0.5)],
     [-math.sqrt(0.5), math.sqrt(0.5)], [-math.sqrt(0.5), -math.sqrt(0.5)]], dtype=torch.float32) * 4


def data(n):
    """FFJORD's 8gaussians: N(4c, 0.5²) around 8 unit vectors, divided by 1.414."""
    c = centres[torch.randint(0, 8, (n,))]
    return (c + 0.5 * torch.randn(n, 2)) / 1.414


model = torch.nn.Sequential(torch.nn.Linear(2, 128), torch.nn.SiLU(), torch.nn.Linear(128, 128), torch.nn.SiLU(), torch.nn.Linear(128, 1))


def energy(x):
    return model(x).reshape(-1)


optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.0, 0.999))
buffer = torch.empty(BUFFER, 2).uniform_(LOW, HIGH)


def iteration():
    global buffer
    idx = torch.randint(0, BUFFER, (BATCH,))
    x = buffer[idx]
    fresh = torch.rand(BATCH) < REINIT
    x[fresh] = torch.empty(int(fresh.sum()), 2).uniform_(LOW, HIGH)
    for p in model.parameters():
        p.requires_grad_(False)
    for _ in range(K):
        x = x.detach().requires_grad_(True)
        (g,) = torch.autograd.grad(energy(x).sum(), x)
        x = x.detach() - H * g + math.sqrt(2 * H) * torch.randn_like(x)
    for p in model.parameters():
        p.requires_grad_(True)
    x = x.detach()
    buffer[idx] = x
    pos = data(BATCH)
    e_pos, e_neg = energy(pos), energy(x)
    loss = e_pos.mean() - e_neg.mean() + ALPHA * (e_pos.pow(2).mean() + e_neg.pow(2).mean())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


# The grid and the data's exact density on it.
n = 200
axis = LOW + (HIGH - LOW) * (torch.arange(n, dtype=torch.float64) + 0.5) / n
gx, gy = torch.meshgrid(axis, axis, indexing="ij")
points = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)
means = centres.double() / 1.414
s2 = (0.5 / 1.414) ** 2
log_p = torch.logsumexp(-((points[:, None, :] - means[None]) ** 2).sum(2) / (2 * s2), 1)
log_p = log_p - torch.logsumexp(log_p, 0)
p = log_p.exp()


def grid_kl():
    with torch.no_grad():
        log_q = -energy(points.float()).double()
        log_q = log_q - torch.logsumexp(log_q, 0)
        return float((p * (log_p - log_q)).sum())


if args.serve:
    for line in sys.stdin:
        threads, iterations = line.split()
        torch.set_num_threads(int(threads))
        started = time.perf_counter()
        for _ in range(int(iterations)):
            iteration()
        print(json.dumps({"rate": int(iterations) / (time.perf_counter() - started)}), flush=True)
else:
    trained, done, next_kl = 0.0, 0, 0.0
    print(json.dumps({"seconds": 0.0, "iterations": 0, "kl": grid_kl()}), flush=True)
    while trained < args.seconds:
        started = time.perf_counter()
        iteration()
        trained += time.perf_counter() - started
        done += 1
        if trained >= next_kl + args.kl_every:
            next_kl = trained
            print(json.dumps({"seconds": trained, "iterations": done, "kl": grid_kl()}), flush=True)
    print(json.dumps({"seconds": trained, "iterations": done, "kl": grid_kl()}), flush=True)
    print(json.dumps({"rate": done / trained}), flush=True)
