"""The neural-mass network benchmark written in PyTorch eager, for `bench/masses.ts`.

Simulates the same network as braints: N Hopf nodes, diffusive coupling over a connectome with
conduction delays, Heun's method with additive white noise. Written as fast as eager PyTorch goes
on this problem (each choice below measured faster than the plainer idiom it replaced, about 2x
in all): the state is one (N, 2) tensor z = (x, y); the delay line is a preallocated ring of H past
states written in place each step (autograd records the writes and differentiates through them)
and read by one advanced index per step, with the flat indices of every ring phase computed once;
loop invariants are hoisted (gain * W, gain * row sums, the linear part of the Hopf field as a
2x2 matrix); the noise of the whole run is drawn in one call.

usage: python3 masses_torch.py SPEC.json MODE STEPS REPS THREADS
  MODE: "forward" (no autograd), "gradient" (forward + backward of mean(x^2)), or "check"
  (float64, noise-free; prints the last readouts and the gradient of mean(x^2) with respect to
  a, omega, beta and gain, to compare with braints).
  THREADS: torch.set_num_threads; the caller sets OMP_WAIT_POLICY in the environment if wanted.
Prints one JSON line: {"ms": [...], "cpu_ms": [...]} (wall and process CPU time of each timed
repetition, after one untimed warm-up), or {"x_last": [...], "grads": {...}} for "check".
"""

import json
import math
import sys
import time

import torch


def simulate(spec, params, steps, dtype):
    n, dt, ring_len = spec["N"], spec["dt"], spec["H"]
    w = torch.tensor(spec["weights"], dtype=dtype)
    delay = torch.tensor(spec["delays"], dtype=torch.long)
    a, omega, beta, gain, sigma = params
    gw = gain * w
    g_row = gain * w.sum(1, keepdim=True)
    # dz/dt = z A - beta |z|^2 z + coupling, with A = [[a, omega], [-omega, a]] acting on rows.
    lin = torch.stack([torch.stack([a, omega]), torch.stack([-omega, a])])
    z = torch.tensor([[spec["x0"], spec["y0"]]], dtype=dtype).expand(n, 2).clone()
    ring = z[None].expand(ring_len, n, 2).clone()
    flat = ring_len * n
    # Pair (i, j) at ring phase s reads row ((s - d_ij) mod H) * n + j of ring.view(H * n, 2).
    back = (-delay) * n + torch.arange(n)[None, :]
    index = [((back + s * n) % flat).reshape(-1) for s in range(ring_len)]
    noise = (sigma * math.sqrt(dt)) * torch.randn(steps, n, 2, dtype=dtype)
    out = []
    for t in range(steps):
        slot = t % ring_len
        ring[slot] = z
        delayed = ring.view(flat, 2)[index[slot]].view(n, n, 2)
        c = torch.einsum("ij,ijc->ic", gw, delayed) - g_row * z
        nz = noise[t]

        def f(z):
            return z @ lin - beta * (z * z).sum(1, keepdim=True) * z + c

        k1 = f(z)
        k2 = f(z + dt * k1 + nz)
        z = z + dt / 2 * (k1 + k2) + nz
        out.append(z[:, 0])
    return torch.stack(out)


def main():
    path, mode, steps, reps, threads = sys.argv[1:6]
    steps, reps = int(steps), int(reps)
    torch.set_num_threads(int(threads))
    torch.manual_seed(0)
    with open(path) as f:
        spec = json.load(f)
    p = spec["params"]
    values = [p["a"], p["omega"], p["beta"], p["gain"], p["sigma"]]
    if mode == "check":
        params = [torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for v in values[:4]]
        params.append(torch.tensor(0.0, dtype=torch.float64))
        x = simulate(spec, params, steps, torch.float64)
        (x * x).mean().backward()
        grads = {k: float(q.grad) for k, q in zip(["a", "omega", "beta", "gain"], params)}
        print(json.dumps({"x_last": x[-1].tolist(), "grads": grads}))
        return
    params = [torch.tensor(float(v), requires_grad=(mode == "gradient")) for v in values]
    times = []
    cpu = []
    for r in range(reps + 1):
        t0 = time.perf_counter()
        c0 = time.process_time()
        if mode == "forward":
            with torch.no_grad():
                simulate(spec, params, steps, torch.float32)
        else:
            x = simulate(spec, params, steps, torch.float32)
            (x * x).mean().backward()
        if r > 0:  # the first repetition warms up
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    print(json.dumps({"ms": times, "cpu_ms": cpu}))


if __name__ == "__main__":
    main()
