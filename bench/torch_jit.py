"""TorchScript variants of the shared torch_bench.py workloads, so the peer is PyTorch at its best:
the same networks, losses, initialisation and Adam steps, with the forward compiled by
torch.jit.script (no Python interpreter in the time loop) and the input projection of every step
done as one product before the loop. The bench takes, per workload, the fastest of these and the
shared eager script.

Usage: /usr/bin/python3 torch_jit.py <threads> <w1|w1big|w2|w3|w4|w5> [T for w3] [steps per rep] [warmup]"""
import math
from typing import List

import torch
import torch.nn as nn

from torch_peer import parse_args, time_steps

threads, wl, T_arg, steps, warmup = parse_args(__doc__)


class CTRNN(nn.Module):
    """W1: h_t = (1 - alpha) h + alpha relu(x_t W_in + b_in + h W_rec + b_rec), readout every step."""

    def __init__(self, I: int, H: int, O: int, alpha: float):
        super().__init__()
        self.input2h = nn.Linear(I, H)
        self.h2h = nn.Linear(H, H)
        self.fc = nn.Linear(H, O)
        self.H = H
        self.alpha = alpha

    def forward(self, x):
        drive = self.input2h(x).unbind(0)
        h = torch.zeros(x.shape[1], self.H)
        outs: List[torch.Tensor] = []
        for t in range(x.shape[0]):
            h = h * (1 - self.alpha) + torch.relu(drive[t] + self.h2h(h)) * self.alpha
            outs.append(h)
        return self.fc(torch.stack(outs, 0))


class Integrator(nn.Module):
    """W2: h_t = relu([x_t, h] W + b) with nn.Linear(I + H, H), split into its x and h columns."""

    def __init__(self, I: int, H: int, O: int):
        super().__init__()
        self.cell = nn.Linear(I + H, H)
        self.fc = nn.Linear(H, O)
        self.I = I
        self.H = H

    def forward(self, x):
        w = self.cell.weight
        drive = torch.matmul(x, w[:, : self.I].t()).add(self.cell.bias).unbind(0)
        w_rec = w[:, self.I :].t()
        h = torch.zeros(x.shape[1], self.H)
        outs: List[torch.Tensor] = []
        for t in range(x.shape[0]):
            h = torch.relu(drive[t] + torch.mm(h, w_rec))
            outs.append(h)
        return self.fc(torch.stack(outs, 0))


class Gated(nn.Module):
    """W4/W5: PyTorch's fused nn.GRU / nn.LSTM and a linear readout of every step."""

    def __init__(self, kind: str, I: int, H: int, O: int):
        super().__init__()
        self.rnn = nn.GRU(I, H) if kind == "gru" else nn.LSTM(I, H)
        self.fc = nn.Linear(H, O)

    def forward(self, x):
        return self.fc(self.rnn(x)[0])


def classifier_step(net, x, y, lr, loss_of):
    opt = torch.optim.Adam(net.parameters(), lr=lr)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_of(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def every_step_ce(I, H, O, T, B, make):
    net = torch.jit.script(make())
    x = torch.randn(T, B, I)
    y = torch.randint(0, O, (T, B))
    crit = nn.CrossEntropyLoss()
    return classifier_step(net, x, y, 0.01, lambda out, y: crit(out.view(-1, O), y.view(-1)))


def make_w2(I=1, H=100, O=1, T=25, B=512, l2=2e-4):
    net = torch.jit.script(Integrator(I, H, O))
    x = 0.1 * torch.randn(T, B, I)
    tgt = torch.cumsum(x, 0)

    def loss_of(out, tgt):
        return ((out - tgt) ** 2).mean() + l2 * (net.cell.weight.pow(2).sum() + net.fc.weight.pow(2).sum())

    return classifier_step(net, x, tgt, 0.01, loss_of)


@torch.jit.script
def spiking_forward(h1: torch.Tensor, w2: torch.Tensor, alpha: float, beta: float, kappa: float, scale: float):
    """The shared script's spiking chain; the spike's surrogate gradient 1/(scale|x| + 1)² is the
    derivative of x / (scale|x| + 1), added and subtracted around the Heaviside step."""
    B, T, NH = h1.shape
    syn = torch.zeros(B, NH)
    mem = torch.zeros(B, NH)
    inputs = h1.unbind(1)
    recs: List[torch.Tensor] = []
    for t in range(T):
        x = mem - 1.0
        smooth = x / (scale * x.abs() + 1.0)
        out = (x > 0).float() + smooth - smooth.detach()
        rst = out.detach()
        syn = alpha * syn + inputs[t]
        mem = (beta * mem + syn) * (1.0 - rst)
        recs.append(out)
    spk = torch.stack(recs, 1)
    h2 = torch.einsum("abc,cd->abd", spk, w2).unbind(1)
    o = torch.zeros(B, w2.shape[1])
    orec: List[torch.Tensor] = []
    for t in range(T):
        o = kappa * o + h2[t]
        orec.append(o)
    return torch.stack(orec, 1)


def make_w3(T=500, NI=100, NH=10, NO=2, B=256, lr=2e-3):
    alpha = math.exp(-1 / 10)
    beta = math.exp(-1 / 10)
    kappa = math.exp(-1 / 5)
    w1 = torch.empty(NI, NH).normal_(0, 7.0 / math.sqrt(NI)).requires_grad_()
    w2 = torch.empty(NH, NO).normal_(0, 1.0 / math.sqrt(NH)).requires_grad_()
    opt = torch.optim.Adam([w1, w2], lr=lr, betas=(0.9, 0.999))
    x = (torch.rand(B, T, NI) < 0.01).float()
    y = torch.randint(0, NO, (B,))
    lossf = nn.NLLLoss()
    logsm = nn.LogSoftmax(dim=1)

    def step():
        h1 = torch.einsum("abc,cd->abd", x, w1)
        m, _ = torch.max(spiking_forward(h1, w2, alpha, beta, kappa, 100.0), 1)
        loss = lossf(logsm(m), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    return step


if wl == "w1":
    step = every_step_ce(3, 128, 3, 100, 16, lambda: CTRNN(3, 128, 3, 0.2))
elif wl == "w1big":
    step = every_step_ce(3, 512, 3, 100, 64, lambda: CTRNN(3, 512, 3, 0.2))
elif wl == "w2":
    step = make_w2()
elif wl == "w3":
    step = make_w3(T=T_arg or 500)
elif wl in ("w4", "w5"):
    step = every_step_ce(3, 128, 3, 100, 16, lambda: Gated("gru" if wl == "w4" else "lstm", 3, 128, 3))
else:
    raise SystemExit(f"unknown workload {wl}: expected w1, w1big, w2, w3, w4 or w5")
time_steps(f"TorchScript {wl.upper()}" + (f" T={T_arg}" if wl == "w3" else ""), threads, step, steps, warmup)
