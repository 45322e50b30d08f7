"""make bench, the GPT row, PyTorch's side: bench/gpt_steps.c's training
in PyTorch, as nanoGPT writes it.

    torch_gpt.py THREADS STEPS ROUNDS V T D H LAYERS B TEXT

The same model: token and learned position embeddings, LAYERS pre-norm
blocks (nn.LayerNorm, one nn.Linear for Q, K and V, causal
scaled_dot_product_attention, nn.Linear back, an MLP of 4D with GELU's
tanh form), a final layer norm and a head without bias; cross-entropy,
AdamW 1e-3 with weight decay 0.1 on the matrices only, clip_grad_norm_ at
1, random windows of the first 90% of the text. Prints, for the harness,
lines as gpt_steps does:
    torch VERSION BLAS FOLDER
    round I SECONDS LOSS
Only the training steps are timed, as on our side.
"""
import os
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

from torch_mlp import blas


class Block(nn.Module):
    def __init__(self, D, H):
        super().__init__()
        self.H = H
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.qkv, self.proj = nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.fc, self.out = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
        q, k, v = (t.view(B, T, self.H, D // self.H).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, V, T, D, H, layers):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, D), nn.Embedding(T, D)
        self.blocks = nn.ModuleList(Block(D, H) for _ in range(layers))
        self.ln_f = nn.LayerNorm(D)
        self.head = nn.Linear(D, V, bias=False)

    def forward(self, x):
        h = self.wte(x) + self.wpe(torch.arange(x.shape[1]))
        for block in self.blocks:
            h = block(h)
        return self.head(self.ln_f(h))


def train_round(text, steps, V, T, D, H, layers, B, seed):
    torch.manual_seed(seed)
    model = GPT(V, T, D, H, layers)
    params = [p for p in model.parameters() if p.requires_grad]
    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=1e-3)
    losses = []
    start = time.perf_counter()
    for _ in range(steps):
        at = torch.randint(len(text) - T - 1, (B,))
        X = torch.stack([text[i : i + T] for i in at])
        Y = torch.stack([text[i + 1 : i + T + 1] for i in at])
        loss = F.cross_entropy(model(X).view(-1, V), Y.view(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    seconds = time.perf_counter() - start
    tail = losses[len(losses) - max(1, len(losses) // 10):]
    return seconds, sum(tail) / len(tail)


def main():
    threads, steps, rounds, V, T, D, H, layers, B = (int(a) for a in sys.argv[1:10])
    torch.set_num_threads(threads)
    print("torch", torch.__version__, blas(), os.path.dirname(torch.__file__), flush=True)
    with open(sys.argv[10], encoding="ascii") as f:
        raw = f.read()
    chars = sorted(set(raw))
    assert len(chars) == V, f"{len(chars)} symbols, {V} on our side"
    code = {c: i for i, c in enumerate(chars)}
    text = torch.tensor([code[c] for c in raw[: int(0.9 * len(raw))]], dtype=torch.long)
    for i in range(1, rounds + 1):
        seconds, loss = train_round(text, steps, V, T, D, H, layers, B, i)
        print(f"round {i} {seconds:.3f} {loss:.4f}", flush=True)


if __name__ == "__main__":
    main()
