"""make bench, the LSTM row, PyTorch's side: bench/lstm_steps.c's training
in PyTorch, as a student would write it.

    torch_lstm.py THREADS STEPS ROUNDS V E H B T TEXT

The same character model: nn.Embedding(V, E), one nn.LSTM(E, H) layer (on
x86 PyTorch runs it through oneDNN's fused LSTM), nn.Linear(H, V);
CrossEntropyLoss, Adam 2e-3, clip_grad_norm_ at 1, the first 90% of the
text read as B streams in windows of T, the state carried from window to
window and detached (truncated backpropagation through time). Prints, for
the harness, lines as lstm_steps does:
    torch VERSION BLAS FOLDER
    round I SECONDS LOSS
Only the training steps are timed, as on our side.
"""
import os
import sys
import time

import torch
from torch import nn

from torch_mlp import blas


class CharModel(nn.Module):
    def __init__(self, V, E, H):
        super().__init__()
        self.embed = nn.Embedding(V, E)
        self.lstm = nn.LSTM(E, H)
        self.head = nn.Linear(H, V)

    def forward(self, x, state):
        out, state = self.lstm(self.embed(x), state)
        return self.head(out), state


def streams(text, B, T):
    """The windows (X, Y), each (T, B), of B contiguous streams, in order."""
    length = (len(text) - 1) // B
    for pos in range(0, length - T + 1, T):
        idx = torch.arange(B) * length + pos
        at = idx[None, :] + torch.arange(T)[:, None]
        yield text[at], text[at + 1]


def train_round(text, steps, V, E, H, B, T, seed):
    torch.manual_seed(seed)
    model = CharModel(V, E, H)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    state, loss = None, None
    windows = streams(text, B, T)
    start = time.perf_counter()
    for _ in range(steps):
        X, Y = next(windows)
        logits, state = model(X, state)
        state = tuple(s.detach() for s in state)
        loss = loss_fn(logits.reshape(-1, V), Y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    return time.perf_counter() - start, loss.item()


def main():
    threads, steps, rounds, V, E, H, B, T = (int(a) for a in sys.argv[1:9])
    torch.set_num_threads(threads)
    print("torch", torch.__version__, blas(), os.path.dirname(torch.__file__), flush=True)
    with open(sys.argv[9], encoding="ascii") as f:
        raw = f.read()
    chars = sorted(set(raw))
    assert len(chars) == V, f"{len(chars)} symbols, {V} on our side"
    code = {c: i for i, c in enumerate(chars)}
    text = torch.tensor([code[c] for c in raw[: int(0.9 * len(raw))]], dtype=torch.long)
    for i in range(1, rounds + 1):
        seconds, loss = train_round(text, steps, V, E, H, B, T, i)
        print(f"round {i} {seconds:.3f} {loss:.4f}", flush=True)


if __name__ == "__main__":
    main()
