"""Reference losses and gradients from PyTorch, in float64, for every model family braints provides.

Writes pytorch.json beside this file; test/models/pytorch-reference.test.ts checks braints' float64
values and gradients against it. Run it with Debian's python3-torch (CI does not need torch):

    /usr/bin/python3 test/models/reference/pytorch.py

Each case runs a model over inputs xs [T, B, nIn] and reduces the outputs (and, for LIF, the
membrane-potential and adaptation traces) to a scalar with fixed weights: loss = sum(weights * out).
Parameters are drawn here with a seeded generator and stored in braints' layout ([in, out] weights);
the gated cells run through torch.nn.GRU / torch.nn.LSTM (weights transposed into PyTorch's
[out, in]), the vanilla RNN through torch.nn.RNN, and the leaky RNN, HORN and LIF are transcribed
from their equations (../shared/specs/models.md and the TSDoc of src/models). LIF's spike is the
Heaviside step forward with braints' surrogate derivative backward, transcribed exactly.
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20261203)


def normal(*shape, std=1.0, mean=0.0):
    return torch.randn(*shape, generator=gen) * std + mean


def uniform(*shape, lo, hi):
    return torch.rand(*shape, generator=gen) * (hi - lo) + lo


def leafs(params):
    return {k: v.clone().requires_grad_(True) for k, v in params.items()}


def as_json(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def entry(name, factory, options, xs, weights, params, loss, grads, probe=None):
    """One case of the fixture: everything the test needs to rebuild and check it."""
    return {
        "name": name,
        "factory": factory,
        "options": options,
        **({"probe": probe} if probe else {}),
        "xs": as_json(xs),
        "weights": as_json(weights),
        "params": {k: as_json(v) for k, v in params.items()},
        "loss": float(loss),
        "grads": {k: as_json(grads[k]) for k in params},
    }


def case(name, factory, options, xs, params, forward, probe=None):
    """Runs forward(params, xs) -> [T, B, nOut'] and records the loss and its gradients."""
    traced = leafs(params)
    out = forward(traced, xs)
    weights = normal(*out.shape)
    loss = (weights * out).sum()
    loss.backward()
    grads = {k: v.grad for k, v in traced.items()}
    return entry(name, factory, options, xs, weights, params, loss, grads, probe)


T, B, NIN, H = 6, 2, 3, 4


# --- leaky (continuous-time) RNN: h' = (1 - a) h + a f(x W_in + h W_rec + b)  (rate order)
#                                   h' = f((1 - a) h + a (x W_in + h W_rec + b)) (current order)
def leaky_forward(alpha, f, order):
    def run(p, xs):
        h = p["h0"].expand(xs.shape[1], -1)
        hs = []
        for x in xs:
            z = x @ p["wIn"] + h @ p["wRec"] + p["b"]
            h = (1 - alpha) * h + alpha * f(z) if order == "rate" else f((1 - alpha) * h + alpha * z)
            hs.append(h)
        return torch.stack(hs)

    return run


def rnn_params(std=0.5):
    return {"wIn": normal(NIN, H, std=std), "wRec": normal(H, H, std=std), "b": normal(H, std=0.3), "h0": normal(H, std=0.5)}


cases = [
    case(
        "leakyRNN (rate order, tanh, trainable h0)",
        "leakyRNN",
        {"nIn": NIN, "nHidden": H, "tauMs": 100, "dtMs": 20, "activation": "tanh", "trainableH0": True},
        normal(T, B, NIN),
        rnn_params(),
        leaky_forward(0.2, torch.tanh, "rate"),
    ),
    case(
        "leakyRNN (current order, softplus, trainable h0)",
        "leakyRNN",
        {"nIn": NIN, "nHidden": H, "tauMs": 50, "dtMs": 20, "order": "current", "activation": "softplus", "trainableH0": True},
        normal(T, B, NIN),
        rnn_params(),
        leaky_forward(0.4, torch.nn.functional.softplus, "current"),
    ),
]


# --- vanilla RNN, GRU and LSTM through torch.nn.RNN / GRU / LSTM. braints' weights are [in, out]:
# PyTorch's weight_ih_l0 is wIn^T (wIh^T for the gated cells). The vanilla RNN has one bias b,
# which is nn.RNN's bias_ih_l0 with bias_hh_l0 held at zero.
def torch_module_case(name, factory, options, xs, params, module, names, h0=None):
    """Loads braints-layout params into a torch.nn module, runs it and maps the gradients back."""
    with torch.no_grad():
        for ours, theirs in names.items():
            value = params[ours].t() if params[ours].dim() == 2 else params[ours]
            getattr(module, theirs).copy_(value)
        if "bias_hh_l0" not in names.values():
            module.bias_hh_l0.zero_()
            module.bias_hh_l0.requires_grad_(False)
    h0_leaf = h0.clone().requires_grad_(True) if h0 is not None else None
    state = (h0_leaf.expand(xs.shape[1], -1).unsqueeze(0),) if h0_leaf is not None else ()
    out, _ = module(xs, *state)
    weights = normal(*out.shape)
    loss = (weights * out).sum()
    loss.backward()
    grads = {}
    for ours, theirs in names.items():
        g = getattr(module, theirs).grad
        grads[ours] = g.t() if g.dim() == 2 else g
    if h0_leaf is not None:
        grads["h0"] = h0_leaf.grad
    all_params = dict(params, **({"h0": h0} if h0 is not None else {}))
    return entry(name, factory, options, xs, weights, all_params, loss, grads)


vanilla = rnn_params()
cases.append(
    torch_module_case(
        "vanillaRNN (relu, trainable h0)",
        "vanillaRNN",
        {"nIn": NIN, "nHidden": H, "trainableH0": True},
        normal(T, B, NIN),
        {k: vanilla[k] for k in ("wIn", "wRec", "b")},
        torch.nn.RNN(NIN, H, nonlinearity="relu"),
        {"wIn": "weight_ih_l0", "wRec": "weight_hh_l0", "b": "bias_ih_l0"},
        h0=vanilla["h0"],
    )
)

for name, module, gates in (("gru", torch.nn.GRU(NIN, H), 3), ("lstm", torch.nn.LSTM(NIN, H), 4)):
    cases.append(
        torch_module_case(
            name,
            name,
            {"nIn": NIN, "nHidden": H},
            normal(T, B, NIN),
            {
                "wIh": normal(NIN, gates * H, std=0.5),
                "wHh": normal(H, gates * H, std=0.5),
                "bIh": normal(gates * H, std=0.3),
                "bHh": normal(gates * H, std=0.3),
            },
            module,
            {"wIh": "weight_ih_l0", "wHh": "weight_hh_l0", "bIh": "bias_ih_l0", "bHh": "bias_hh_l0"},
        )
    )


# --- HORN, symplectic Euler with step h, recurrence on the velocity y:
#   I  = x_in W_ih + b_ih + g (y W_hh + b_hh) + v x
#   y' = y + h (alpha tanh(I) - omega^2 x - 2 gamma y);  x' = x + h y'
def horn_forward(h, g):
    def run(p, xs):
        x = torch.zeros(xs.shape[1], H)
        y = torch.zeros(xs.shape[1], H)
        positions = []
        for u in xs:
            current = u @ p["wIh"] + p["bIh"] + g * (y @ p["wHh"] + p["bHh"]) + p["v"] * x
            y = y + h * (p["alpha"] * torch.tanh(current) - p["omega"] ** 2 * x - 2 * p["gamma"] * y)
            x = x + h * y
            positions.append(x)
        return torch.stack(positions)

    return run


horn_params = {
    "wIh": normal(NIN, H, std=0.8),
    "bIh": normal(H, std=0.3),
    "wHh": normal(H, H, std=0.8),
    "bHh": normal(H, std=0.3),
    "alpha": uniform(H, lo=0.1, hi=0.5),
    "omega": uniform(H, lo=0.2, hi=0.6),
    "gamma": uniform(H, lo=0.01, hi=0.1),
    "v": normal(H, std=0.1),
}
cases.append(
    case(
        "horn (per-unit trainable alpha, omega, gamma, v; step 0.5, gain 1/sqrt(n))",
        "horn",
        {
            "nIn": NIN,
            "nHidden": H,
            "h": 0.5,
            "recurrentGain": "inverseSqrtN",
            "alpha": [0.2] * H,
            "omega": [0.4] * H,
            "gamma": [0.05] * H,
            "v": [0.0] * H,
            "trainable": ["alpha", "omega", "gamma", "v"],
        },
        normal(T, B, NIN),
        horn_params,
        horn_forward(0.5, 1 / math.sqrt(H)),
    )
)


# --- LIF (src/models/spiking/lif.ts), one step with input current I:
#   V1 = V_inf + (V - V_inf) exp(-dt / tau),  V_inf = V_rest + R I      (exponential Euler)
#   V1 = V where the refractory countdown is non-zero
#   theta = V_th + beta a;  s = H(V1 - theta) (1 where V1 >= theta), surrogate derivative backward
#   V' = V1 + (V_reset - V1) sd (hard) | V1 - theta sd (soft); sd = detached s unless detachReset false
#   countdown' = N where s else max(countdown - 1, 0) (no gradient);  a' = a exp(-dt / tau_a) + s
SURROGATES = {
    # braints' surrogateDerivatives (src/models/spiking/surrogate.ts), scale k.
    "fastSigmoid": lambda x, k: 1 / (k * x.abs() + 1) ** 2,
    "sigmoid": lambda x, k: k * torch.sigmoid(k * x) * (1 - torch.sigmoid(k * x)),
    "arctan": lambda x, k: (k / 2) / (1 + (math.pi * k * x / 2) ** 2),
    "triangle": lambda x, k: k * torch.clamp(1 - k * x.abs(), min=0),
    "gaussian": lambda x, k: k / math.sqrt(2 * math.pi) * torch.exp(-((k * x) ** 2) / 2),
}


def spike_function(name, k):
    class Spike(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return (x >= 0).to(x.dtype)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * SURROGATES[name](x, k)

    return Spike.apply


def lif_forward(o):
    spike = spike_function(o["surrogate"]["name"], o["surrogate"]["scale"])
    dt = o["dtMs"]
    steps = round(o["refractoryMs"] / dt)
    beta = o["adaptation"]["beta"]
    decay_a = math.exp(-dt / o["adaptation"]["tauMs"])
    v_rest, v_reset, r = 0.0, 0.0, 1.0

    def run(p, xs):
        batch = xs.shape[1]
        v = torch.full((batch, H), v_rest)
        countdown = torch.zeros(batch, H)
        a = torch.zeros(batch, H)
        spikes, vs, adaptation = [], [], []
        for current in xs:
            v_inf = v_rest + r * current
            v1 = v_inf + (v - v_inf) * torch.exp(-dt / p["tau"])
            v1 = torch.where(countdown != 0, v, v1)
            theta = p["vTh"] + beta * a
            s = spike(v1 - theta)
            sd = s.detach() if o["detachReset"] else s
            v = v1 + (v_reset - v1) * sd if o["reset"] == "hard" else v1 - theta * sd
            countdown = torch.where(s != 0, torch.full_like(s, steps), torch.clamp(countdown - 1, min=0)).detach()
            a = a * decay_a + s
            spikes.append(s)
            vs.append(v)
            adaptation.append(a)
        # outputs, then the probed traces "v" and "a", on the last axis (as the test concatenates them)
        return torch.cat([torch.stack(spikes), torch.stack(vs), torch.stack(adaptation)], dim=2)

    return run


LIF_T = 16
for reset, detach, surrogate in (("hard", True, {"name": "fastSigmoid", "scale": 10}), ("soft", False, {"name": "sigmoid", "scale": 4})):
    options = {
        "n": H,
        "dtMs": 1,
        "tauMs": 5,
        "reset": reset,
        "detachReset": detach,
        "refractoryMs": 3,
        "adaptation": {"tauMs": 20, "beta": 0.5},
        "trainableTau": True,
        "trainableThreshold": True,
        "surrogate": surrogate,
    }
    cases.append(
        case(
            f"lif ({reset} reset, {'detached' if detach else 'differentiated'} reset, refractory 3 steps, ALIF, {surrogate['name']} surrogate)",
            "lif",
            options,
            normal(LIF_T, B, H, std=2.0, mean=2.0),
            {"tau": uniform(H, lo=4.0, hi=8.0), "vTh": uniform(H, lo=0.8, hi=1.2)},
            lif_forward(options),
            probe=["v", "a"],
        )
    )

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "pytorch.json"), "w") as f:
    json.dump({"generator": "test/models/reference/pytorch.py", "torch": torch.__version__, "dtype": "float64", "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to pytorch.json")
