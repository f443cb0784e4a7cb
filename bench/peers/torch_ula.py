"""The PyTorch ULA step both peer benchmarks time: x ← x − h·∇E(x) + √(2h)·ξ, an autograd loop."""
import math

import torch


def ula_runner(energy, x, h):
    """Returns run(n), which moves the chains x by n ULA steps of size h (keeping x between calls)."""
    scale = math.sqrt(2 * h)

    def run(n):
        nonlocal x
        for _ in range(n):
            x = x.detach().requires_grad_(True)
            (g,) = torch.autograd.grad(energy(x).sum(), x)
            x = x.detach() - h * g + scale * torch.randn_like(x)

    return run
