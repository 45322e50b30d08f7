"""make bench, the attention rows, PyTorch's side: bench/attn_steps.c's
forward and backward through torch.nn.functional.scaled_dot_product_attention
(causal, its default CPU backend: fused, never keeping the T x T scores).

    torch_attention.py THREADS ROUNDS B H DH T...

Prints, for the harness, lines as attn_steps does:
    torch VERSION BLAS FOLDER
    round T I SECONDS      seconds per forward + backward
or "nosdpa" after the first line when this PyTorch has no
scaled_dot_product_attention (before 2.0).
"""
import os
import sys
import time

import torch
from torch.nn import functional as F

from torch_mlp import blas


def step(q, k, v, dO):
    q.grad = k.grad = v.grad = None
    F.scaled_dot_product_attention(q, k, v, is_causal=True).backward(dO)


def seconds_per_step(tensors):
    calls, start = 0, time.perf_counter()
    now = start
    while now - start < 0.2:
        step(*tensors)
        calls += 1
        now = time.perf_counter()
    return (now - start) / calls


def main():
    threads, rounds, B, H, dh = (int(a) for a in sys.argv[1:6])
    lengths = [int(a) for a in sys.argv[6:]]
    torch.set_num_threads(threads)
    print("torch", torch.__version__, blas(), os.path.dirname(torch.__file__), flush=True)
    if not hasattr(F, "scaled_dot_product_attention"):
        print("nosdpa", flush=True)
        return
    torch.manual_seed(1)
    shapes = {}
    for T in lengths:
        q, k, v = (torch.rand(B, H, T, dh).mul_(2).sub_(1).requires_grad_() for _ in range(3))
        shapes[T] = (q, k, v, torch.rand(B, H, T, dh).mul_(2).sub_(1))
        step(*shapes[T])
    for i in range(1, rounds + 1):
        for T in lengths:
            print(f"round {T} {i} {seconds_per_step(shapes[T]):.6f}", flush=True)


if __name__ == "__main__":
    main()
