"""The neural-mass network benchmark written in PyTorch eager, for `bench/masses.ts`.

Simulates the same network as braints: N Hopf nodes, diffusive coupling over a connectome with
conduction delays (a ring of past states, read at each pair's delay), Heun's method with additive
white noise. The delay line is the differentiable eager idiom: the newest state is concatenated in
front of the previous ones every step, and pairs read it by advanced indexing.

usage: python3 masses_torch.py SPEC.json MODE STEPS REPS THREADS
  MODE: "forward" (no autograd), "gradient" (forward + backward of mean(x^2)), or "check"
  (float64, noise-free; prints the last readouts to compare with braints).
Prints one JSON line: {"ms_median": ..., "ms": [...], "cpu_ms_median": ...} (wall time, and the
process's CPU time, which other jobs on a loaded machine inflate far less; or {"x_last": [...]} for
"check").
"""

import json
import math
import sys
import time

import torch


def simulate(spec, params, steps, dtype):
    n, dt, ring = spec["N"], spec["dt"], spec["H"]
    w = torch.tensor(spec["weights"], dtype=dtype)
    delay = torch.tensor(spec["delays"], dtype=torch.long)
    source = torch.arange(n).expand(n, n)
    row_sum = w.sum(1)
    a, omega, beta, gain, sigma = params
    x = torch.full((n,), spec["x0"], dtype=dtype)
    y = torch.full((n,), spec["y0"], dtype=dtype)
    past = torch.stack([x, y], -1)[None].expand(ring - 1, n, 2)
    root_dt = math.sqrt(dt)
    out = []
    for _ in range(steps):
        full = torch.cat([torch.stack([x, y], -1)[None], past], 0)
        past = full[: ring - 1]
        sums = (w[..., None] * full[delay, source]).sum(1)
        cx = gain * (sums[:, 0] - row_sum * x)
        cy = gain * (sums[:, 1] - row_sum * y)
        nx = sigma * root_dt * torch.randn(n, dtype=dtype)
        ny = sigma * root_dt * torch.randn(n, dtype=dtype)

        def f(x, y):
            growth = a - beta * (x * x + y * y)
            return growth * x - omega * y + cx, growth * y + omega * x + cy

        k1x, k1y = f(x, y)
        k2x, k2y = f(x + dt * k1x + nx, y + dt * k1y + ny)
        x = x + dt / 2 * (k1x + k2x) + nx
        y = y + dt / 2 * (k1y + k2y) + ny
        out.append(x)
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
        params = [torch.tensor(float(v), dtype=torch.float64) for v in values[:4]] + [torch.tensor(0.0, dtype=torch.float64)]
        with torch.no_grad():
            x = simulate(spec, params, steps, torch.float64)
        print(json.dumps({"x_last": x[-1].tolist()}))
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
    times.sort()
    cpu.sort()
    print(json.dumps({"ms_median": times[len(times) // 2], "ms": times, "cpu_ms_median": cpu[len(cpu) // 2]}))


if __name__ == "__main__":
    main()
