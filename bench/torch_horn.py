"""HORN at S0's shape in PyTorch: a transcription of braints' HORN equations (brainmass's
HORNSeqNetwork: one layer of 64 driven damped oscillators, symplectic Euler with h = 1), readout of
the final position, softmax cross-entropy, Adam lr 3e-2, batch 32, 8 steps of 2 one-hot symbols.

    I  = x_t W_ih + b_ih + (y W_hh + b_hh) + v x
    y' = y + h (alpha tanh(I) - omega^2 x - 2 gamma y)
    x' = x + h y'

Usage: /usr/bin/python3 torch_horn.py <threads> <eager|jit> [unused] [steps per rep] [warmup].
`eager` runs the time loop in Python; `jit` compiles it with torch.jit.script. Both project the
inputs of all steps in one product before the loop."""
import math
import torch
import torch.nn as nn

from torch_peer import parse_args, time_steps

threads, mode, _, steps, warmup = parse_args(__doc__)
if mode not in ("eager", "jit"):
    raise SystemExit(f"unknown mode {mode}: expected eager or jit")

NIN, H, NOUT, T, B = 2, 64, 2, 8, 32


class HORN(nn.Module):
    def __init__(self, alpha: float, omega: float, gamma: float, v: float, h: float):
        super().__init__()
        self.i2h = nn.Linear(NIN, H)
        self.h2h = nn.Linear(H, H)
        self.h2o = nn.Linear(H, NOUT)
        for lin in (self.i2h, self.h2h, self.h2o):
            # brainmass's default: Kaiming normal (truncated), scale 2; biases zero.
            nn.init.trunc_normal_(lin.weight, std=math.sqrt(2.0 / lin.in_features))
            nn.init.zeros_(lin.bias)
        self.alpha = alpha
        self.omega2 = omega * omega
        self.gamma2 = 2 * gamma
        self.v = v
        self.h = h
        self.hidden = H

    def forward(self, inputs):
        drive = self.i2h(inputs).unbind(0)
        x = torch.zeros(inputs.shape[1], self.hidden)
        y = torch.zeros(inputs.shape[1], self.hidden)
        for t in range(len(drive)):
            current = drive[t] + self.h2h(y) + self.v * x
            y = y + self.h * (self.alpha * torch.tanh(current) - self.omega2 * x - self.gamma2 * y)
            x = x + self.h * y
        return self.h2o(x)


net = HORN(alpha=0.2, omega=2 * math.pi / 28, gamma=0.01, v=0.0, h=1.0)
if mode == "jit":
    net = torch.jit.script(net)
opt = torch.optim.Adam(net.parameters(), lr=3e-2)
crit = nn.CrossEntropyLoss()
# Delayed match-to-sample: a one-hot cue at t = 0, a one-hot probe at t = T - 1, label 1 on a match.
cue = torch.randint(0, NIN, (B,))
probe = torch.randint(0, NIN, (B,))
xs = torch.zeros(T, B, NIN)
xs[0, torch.arange(B), cue] = 1.0
xs[T - 1, torch.arange(B), probe] = 1.0
labels = (cue == probe).long()


def step():
    opt.zero_grad(set_to_none=True)
    loss = crit(net(xs), labels)
    loss.backward()
    opt.step()
    return loss.item()


time_steps(f"HORN S0 {'TorchScript' if mode == 'jit' else 'eager'}", threads, step, steps, warmup)
