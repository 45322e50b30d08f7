"""The CUDA track's attention rows, PyTorch's side: gpu/dev/attention.cu's
timed shape in PyTorch on the same GPU.

    torch_attention.py T...

Causal torch.nn.functional.scaled_dot_product_attention, FP32, batch 8,
12 heads of 64, for each T given: once with PyTorch's default choice of
backend (for FP32 on a recent GPU, its memory-efficient kernel: FlashAttention's
own needs FP16 or BF16), once with the math backend (the scores
materialised, as attention1_naive does), each selected with
torch.nn.attention.sdpa_kernel. No TF32: FP32 as ours. Prints, for
gpu/bench/run:
    torch VERSION
    sdpa BACKEND T MS      (BACKEND default or math; the median call)
    sdpa BACKEND T failed REASON   (out of memory, or no kernel for it)
"""
import sys

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

BATCH, HEADS, DIM, SEED = 8, 12, 64, 1
BACKENDS = {"default": None, "math": SDPBackend.MATH}


def time_ms(fn):
    """The median of at least 5 calls and about 0.3 s of them, after two
    warm-up calls, by CUDA events (as gpu/dev/dev.h's time_ms)."""
    fn()
    fn()
    torch.cuda.synchronize()
    times = []
    while len(times) < 5 or (sum(times) < 300 and len(times) < 1000):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return sorted(times)[len(times) // 2]


def run(backend, T):
    """One line: the backend's milliseconds per call at length T."""
    shape = (BATCH, HEADS, T, DIM)
    q, k, v = (torch.empty(shape, device="cuda").uniform_(-1, 1) for _ in range(3))
    call = lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True)  # noqa: E731
    try:
        if BACKENDS[backend] is None:
            ms = time_ms(call)
        else:
            with sdpa_kernel(BACKENDS[backend]):
                ms = time_ms(call)
        print(f"sdpa {backend} {T} {ms:.3f}", flush=True)
    except (RuntimeError, torch.cuda.OutOfMemoryError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        print(f"sdpa {backend} {T} failed {reason}", flush=True)
    finally:
        del q, k, v
        torch.cuda.empty_cache()


def main():
    lengths = [int(a) for a in sys.argv[1:]] or [1024, 4096]
    torch.manual_seed(SEED)
    torch.backends.cuda.matmul.allow_tf32 = False  # FP32, as ours
    torch.backends.cudnn.allow_tf32 = False
    print("torch", torch.__version__)
    for T in lengths:
        for backend in BACKENDS:
            run(backend, T)


if __name__ == "__main__":
    main()
