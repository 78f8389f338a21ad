/** The reference training workloads: how to build our step, its PyTorch name, and its FLOP count. */
import { type TrainStep, makeW1, makeW2, makeW3 } from "./training.ts";

export interface TrainingWorkload {
  readonly name: string;
  /** The workload argument of the PyTorch script. */
  readonly torchName: string;
  /** Sequence length argument of the PyTorch script (spiking workloads only). */
  readonly torchT?: number;
  readonly make: () => TrainStep;
  /** Timed steps per repetition and warm-up steps. */
  readonly steps: number;
  readonly warmup: number;
  /** Multiply-adds ×2 of forward + backward (≈ 3 × forward) for a dense RNN step. */
  readonly flopsPerStep: number;
}

/** 3 × forward FLOPs of an RNN: input projection, recurrence and readout at every step. */
function rnnFlops(I: number, H: number, O: number, T: number, B: number): number {
  return 3 * 2 * T * B * (I * H + H * H + H * O);
}

export const TRAINING_WORKLOADS: readonly TrainingWorkload[] = [
  {
    name: "W1",
    torchName: "w1",
    make: () => makeW1(),
    steps: 30,
    warmup: 10,
    flopsPerStep: rnnFlops(3, 128, 3, 100, 16),
  },
  {
    name: "W1-big",
    torchName: "w1big",
    make: () => makeW1({ H: 512, B: 64 }),
    steps: 10,
    warmup: 3,
    flopsPerStep: rnnFlops(3, 512, 3, 100, 64),
  },
  {
    name: "W2",
    torchName: "w2",
    make: () => makeW2(),
    steps: 30,
    warmup: 10,
    flopsPerStep: rnnFlops(1, 100, 1, 25, 512),
  },
  // The spiking workloads are event-driven and elementwise-bound: no GFLOP/s figure.
  {
    name: "W3-T500",
    torchName: "w3",
    torchT: 500,
    make: () => makeW3({ T: 500 }),
    steps: 10,
    warmup: 2,
    flopsPerStep: NaN,
  },
  {
    name: "W3-T2000",
    torchName: "w3",
    torchT: 2000,
    make: () => makeW3({ T: 2000 }),
    steps: 5,
    warmup: 1,
    flopsPerStep: NaN,
  },
];
