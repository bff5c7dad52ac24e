#!/usr/bin/env python3
# bench/bench_encoder_torch.py - the PyTorch (CPU) side of the encoder
# throughput benchmark: the same shapes as xfcast's default encoders.
#
#     /usr/bin/python3 bench/bench_encoder_torch.py --probe
#     /usr/bin/python3 bench/bench_encoder_torch.py infer|train --arch gru|tcn
#                       [--threads N] [--batch B] [--reps R] [--context T]
#                       [--hidden H] [--layers L] [--channels C] [--blocks N]
#                       [--kernel K]
#
# --probe prints "torch=VERSION python=VERSION" and exits (status 1 without
# torch).  Otherwise one line of key=value pairs in the format of
# bench/bench_encoder:
#
#     impl=torch arch=gru mode=infer threads=2 batch=256 context=512 ...
#     best_s=... median_s=... windows_per_s=... check=...
#
# Models (float32, CPU, torch.set_num_threads(THREADS), interop threads 1):
#   GRU: torch.nn.GRU(2, 64, num_layers=1, batch_first=True) on [B, T, 2];
#        embedding = the last hidden state of every layer (h_n).
#   TCN: exactly xfcast's: Conv1d(2, 32, 1) input projection, then 9 blocks
#        (dilation 2^i) of two causal dilated Conv1d(32, 32, 3) (left
#        padding (k-1)*d) with ReLU and the residual relu(x + h2); embedding
#        = every block's output at the last step, concatenated.  Input
#        [B, 2, T] (torch's native channels-first layout).
# infer: the model's forward under torch.inference_mode().
# train: one step of forward, a Linear(E, 64) head, MSE loss against random
#        targets, backward and torch.optim.Adam (zero_grad set_to_none).
# Inputs are random (standard normal value channel, all-ones mask channel);
# best (and median) of REPS timed calls after two warm-up calls.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
import argparse
import sys
import time


def probe():
    try:
        import torch
    except ImportError:
        return 1
    print("torch=%s python=%s" % (torch.__version__, sys.version.split()[0]))
    return 0


def build(torch, arch, hidden, layers, channels, blocks, kernel):
    nn = torch.nn
    F = torch.nn.functional

    if arch == "gru":
        class GRUEnc(nn.Module):
            def __init__(self):
                super().__init__()
                self.gru = nn.GRU(2, hidden, num_layers=layers, batch_first=True)

            def forward(self, x):  # x [B, T, 2]
                _, h = self.gru(x)
                return h.transpose(0, 1).reshape(x.shape[0], -1)

        return GRUEnc(), hidden * layers

    class TCNEnc(nn.Module):
        def __init__(self):
            super().__init__()
            self.inp = nn.Conv1d(2, channels, 1)
            self.c1 = nn.ModuleList()
            self.c2 = nn.ModuleList()
            self.pads = []
            for i in range(blocks):
                d = 2 ** i
                self.c1.append(nn.Conv1d(channels, channels, kernel, dilation=d))
                self.c2.append(nn.Conv1d(channels, channels, kernel, dilation=d))
                self.pads.append((kernel - 1) * d)

        def forward(self, x):  # x [B, 2, T]
            h = self.inp(x)
            embs = []
            for c1, c2, pad in zip(self.c1, self.c2, self.pads):
                h1 = F.relu(c1(F.pad(h, (pad, 0))))
                h2 = F.relu(c2(F.pad(h1, (pad, 0))))
                h = F.relu(h + h2)
                embs.append(h[:, :, -1])
            return torch.cat(embs, dim=1)

    return TCNEnc(), channels * blocks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", nargs="?", choices=["infer", "train"])
    ap.add_argument("--probe", action="store_true")
    ap.add_argument("--arch", choices=["gru", "tcn"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--context", type=int, default=512)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--channels", type=int, default=32)
    ap.add_argument("--blocks", type=int, default=9)
    ap.add_argument("--kernel", type=int, default=3)
    a = ap.parse_args()
    if a.probe:
        return probe()
    if a.mode is None or a.arch is None:
        ap.error("need a mode (infer|train) and --arch")
    import torch

    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(1)
    model, E = build(torch, a.arch, a.hidden, a.layers, a.channels, a.blocks, a.kernel)
    B, T = a.batch, a.context
    if a.arch == "gru":
        x = torch.stack([torch.randn(B, T), torch.ones(B, T)], dim=2).contiguous()
    else:
        x = torch.stack([torch.randn(B, T), torch.ones(B, T)], dim=1).contiguous()

    if a.mode == "infer":
        model.eval()

        def step():
            with torch.inference_mode():
                return model(x)
    else:
        head = torch.nn.Linear(E, 64)
        y = torch.randn(B, 64)
        params = list(model.parameters()) + list(head.parameters())
        opt = torch.optim.Adam(params, lr=1e-6)
        model.train()

        def step():
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.mse_loss(head(model(x)), y)
            loss.backward()
            opt.step()
            return loss.detach()

    for _ in range(2):
        out = step()
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        out = step()
        times.append(time.perf_counter() - t0)
    times.sort()
    n = len(times)
    med = times[n // 2] if n % 2 else 0.5 * (times[n // 2 - 1] + times[n // 2])
    best = times[0]
    gru = a.arch == "gru"
    print("impl=torch arch=%s mode=%s threads=%d batch=%d context=%d hidden=%d layers=%d "
          "channels=%d blocks=%d kernel=%d head=%d reps=%d best_s=%.6f median_s=%.6f "
          "windows_per_s=%.2f check=%.9g"
          % (a.arch, a.mode, a.threads, B, T, a.hidden if gru else 0, a.layers if gru else 0,
             0 if gru else a.channels, 0 if gru else a.blocks, 0 if gru else a.kernel,
             64 if a.mode == "train" else 0, a.reps, best, med, B / best,
             float(out.double().sum())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
