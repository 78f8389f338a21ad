"""The timing protocol of the shared torch_bench.py, for the peer scripts in this folder
(torch_jit.py, torch_horn.py): warm-up steps, then 3 repetitions of N individually timed steps;
prints one JSON line with the median of the repetitions' medians, like the shared script, and the
process's CPU time per timed step."""
import json
import statistics
import sys
import time

import torch


def parse_args(usage):
    """threads, workload, T (or 0), steps per repetition, warm-up, from argv; sets the threads."""
    if len(sys.argv) < 3:
        sys.exit(usage)
    threads = int(sys.argv[1])
    workload = sys.argv[2]
    T = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    steps = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    warmup = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    return threads, workload, T, steps, warmup


def time_steps(name, threads, step, steps, warmup):
    """Times `step` (returns the loss) and prints the JSON line of the shared script's format."""
    l0 = step()
    for _ in range(warmup):
        step()
    reps = []
    cpu0 = time.process_time()
    for _ in range(3):
        ts = []
        for _ in range(steps):
            t0 = time.perf_counter()
            step()
            ts.append((time.perf_counter() - t0) * 1e3)
        reps.append(statistics.median(ts))
    # CPU time of every thread of the process per timed step (mean), which load inflates far less.
    cpu_ms = (time.process_time() - cpu0) * 1e3 / (3 * steps)
    l1 = step()
    print(json.dumps(dict(name=f"torch{torch.__version__} {name}", threads=threads,
                          ms_median=statistics.median(reps), ms_min=min(reps), ms_max=max(reps),
                          rep_medians=[round(v, 3) for v in reps], cpu_ms_per_step=cpu_ms,
                          steps_total=2 + warmup + 3 * steps,
                          loss_first=l0, loss_after=l1)))
