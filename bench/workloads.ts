/**
 * The reference training workloads: how to build our step, which PyTorch programs are its peers,
 * its FLOP count and the target ratio ours / PyTorch.
 */
import { type TrainStep, makeGated, makeHorn, makeUserGru, makeW1, makeW2, makeW3 } from "./training.ts";

/**
 * A PyTorch program for a workload: a script (in the shared bench folder or this one) and its
 * arguments before `<steps> <warmup>`, with `THREADS` standing for the thread count.
 */
export interface PeerProgram {
  /** e.g. "eager", "TorchScript". */
  readonly label: string;
  /**
   * Script path, relative to the repository root, or {@link SHARED_SCRIPT} for the shared eager
   * script, which the bench finds outside the repository (bench/run.ts, `sharedScript`).
   */
  readonly script: string;
  readonly args: readonly string[];
}

export interface TrainingWorkload {
  readonly name: string;
  readonly make: () => TrainStep;
  /** Timed steps per repetition and warm-up steps. */
  readonly steps: number;
  readonly warmup: number;
  /** Multiply-adds ×2 of forward + backward (≈ 3 × forward) for a dense RNN step. */
  readonly flopsPerStep: number;
  /** The PyTorch programs to try; the fastest (over them and their thread settings) is the peer. */
  readonly peers: readonly PeerProgram[];
  /** Target for ours / the fastest peer. */
  readonly target: number;
}

/**
 * Environment of every PyTorch run: glibc's malloc keeps the memory PyTorch frees instead of giving
 * it back to the system. By default glibc serves blocks above a threshold it moves as it goes
 * (128 KiB at first) with fresh mappings and trims its heap top past twice that, so a step's
 * [T, B, H] buffers come back as new zeroed pages: W2's TorchScript step took ~2000 minor page
 * faults each, and ran 25 or 60 ms by repetition in one process as the thresholds moved. With both
 * thresholds fixed it takes none (1 thread: 76 → 20 ms CPU per step under the same load); either
 * one set alone turns off the moving and makes it worse. W1, W4 and W5 faulted 230–420 times a step.
 */
export const PEER_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(32 << 20),
  MALLOC_TRIM_THRESHOLD_: String(1 << 30),
};

/**
 * The shared PyTorch eager script, as found in a folder `shared/bench` beside the repository (or
 * beside a folder holding it, as a git worktree's is), or named by `BRAINTS_TORCH_BENCH`.
 */
export const SHARED_SCRIPT = "shared/bench/torch_bench.py";
const JIT_SCRIPT = "bench/torch_jit.py";

/** PyTorch eager (the shared script) and TorchScript (torch_jit.py) for a shared-script workload. */
function eagerAndScripted(torchName: string, T = 0): PeerProgram[] {
  const args = ["THREADS", torchName, String(T)];
  return [
    { label: "eager", script: SHARED_SCRIPT, args },
    { label: "TorchScript", script: JIT_SCRIPT, args },
  ];
}

/** 3 × forward FLOPs of an RNN: input projection, recurrence and readout at every step. */
function rnnFlops(I: number, H: number, O: number, T: number, B: number, gates = 1): number {
  return 3 * 2 * T * B * gates * (I * H + H * H) + 3 * 2 * T * B * H * O;
}

export const TRAINING_WORKLOADS: readonly TrainingWorkload[] = [
  {
    name: "W1",
    make: () => makeW1(),
    steps: 30,
    warmup: 10,
    flopsPerStep: rnnFlops(3, 128, 3, 100, 16),
    peers: eagerAndScripted("w1"),
    target: 0.25,
  },
  {
    name: "W1-big",
    make: () => makeW1({ H: 512, B: 64 }),
    steps: 10,
    warmup: 3,
    flopsPerStep: rnnFlops(3, 512, 3, 100, 64),
    peers: eagerAndScripted("w1big"),
    target: 0.9,
  },
  {
    name: "W2",
    make: () => makeW2(),
    steps: 30,
    warmup: 10,
    flopsPerStep: rnnFlops(1, 100, 1, 25, 512),
    peers: eagerAndScripted("w2"),
    target: 0.75,
  },
  // The spiking workloads are event-driven and elementwise-bound: no GFLOP/s figure.
  {
    name: "W3-T500",
    make: () => makeW3({ T: 500 }),
    steps: 10,
    warmup: 2,
    flopsPerStep: NaN,
    peers: eagerAndScripted("w3", 500),
    target: 0.1,
  },
  {
    name: "W3-T2000",
    make: () => makeW3({ T: 2000 }),
    steps: 5,
    warmup: 1,
    flopsPerStep: NaN,
    peers: eagerAndScripted("w3", 2000),
    target: 0.1,
  },
  {
    name: "W4",
    make: () => makeGated("gru"),
    steps: 30,
    warmup: 10,
    flopsPerStep: rnnFlops(3, 128, 3, 100, 16, 3),
    peers: eagerAndScripted("w4"),
    target: 0.5,
  },
  {
    name: "W5",
    make: () => makeGated("lstm"),
    steps: 30,
    warmup: 10,
    flopsPerStep: rnnFlops(3, 128, 3, 100, 16, 4),
    peers: eagerAndScripted("w5"),
    target: 0.5,
  },
  {
    name: "HORN-S0",
    make: () => makeHorn(),
    // A step of a few tenths of a millisecond: 10 warm-up steps (3 ms) leave the engine compiling
    // the step's code during the timed ones. Both sides run the same counts.
    steps: 100,
    warmup: 100,
    flopsPerStep: rnnFlops(2, 64, 0, 8, 32),
    peers: [
      { label: "eager", script: "bench/torch_horn.py", args: ["THREADS", "eager", "0"] },
      { label: "TorchScript", script: "bench/torch_horn.py", args: ["THREADS", "jit", "0"] },
    ],
    target: 0.5,
  },
];

/**
 * W6: W4's GRU written by a user from primitives (the generic path: `scan` over a step of small
 * ops), timed against W4's fused kernel in the same invocation; its target is W6 / W4. Timed with
 * W4's counts (30 steps a repetition after 10 warm-up steps), so neither side of the ratio is
 * warmer or sampled more than the other.
 */
export const USER_CELL_WORKLOAD: TrainingWorkload = {
  name: "W6",
  make: () => makeUserGru(),
  steps: 30,
  warmup: 10,
  flopsPerStep: rnnFlops(3, 128, 3, 100, 16, 3),
  peers: [],
  target: 3,
};
