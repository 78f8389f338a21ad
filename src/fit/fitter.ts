/**
 * {@link Fitter}: fits parameters of any simulation to data under one interface — a problem
 * (parameters, a simulation, an objective) and a backend: gradients (BPTT through the simulation,
 * Adam) or gradient-free search (CMA-ES, random, grid).
 */
import { DivergenceError, ValueError } from "../base/errors.ts";
import { Rng } from "../base/random.ts";
import { type Tensor, add, mul, scalar, square, sub, valueAndGrad } from "../core/index.ts";
import { adam } from "../optim/adam.ts";
import { cmaes } from "./cmaes.ts";
import type { Objective } from "./objectives.ts";
import {
  type FitParameters,
  type ResolvedParameters,
  constrainedSlope,
  priorPenalty,
  resolveParameters,
  toConstrained,
  toConstrainedTensor,
  toUnconstrained,
} from "./parameters.ts";

/** What a fit needs: parameters, a simulation of them and an objective on its signal. */
export interface FitProblem {
  readonly parameters: FitParameters;
  /**
   * Simulates with the parameters (every one, fitted or fixed, as a float64 scalar tensor) and
   * returns the signal the objective reads, e.g. `[T, N]`. Must be deterministic (fix the noise
   * seed) so that losses of different parameters compare.
   */
  simulate(theta: Readonly<Record<string, Tensor>>): Tensor;
  readonly objective: Objective;
}

/** Gradient descent with Adam on the unconstrained coordinates, gradients by BPTT. */
export interface GradientBackend {
  readonly kind: "gradient";
  /** Adam steps. */
  readonly iterations: number;
  /** Learning rate in the unconstrained coordinates (default 0.05). */
  readonly lr?: number;
}

/** CMA-ES on the unconstrained coordinates. */
export interface CmaesBackend {
  readonly kind: "cmaes";
  /** Generations. */
  readonly iterations: number;
  readonly population?: number;
  /** Initial step size in the unconstrained coordinates (default 0.5). */
  readonly sigma?: number;
  readonly seed?: number;
}

/** Uniform samples within the bounds (every fitted parameter needs finite bounds). */
export interface RandomBackend {
  readonly kind: "random";
  readonly samples: number;
  readonly seed?: number;
}

/** Every point of a grid over the bounds, `points` per parameter, ends included. */
export interface GridBackend {
  readonly kind: "grid";
  readonly points: number;
}

export type FitBackend = GradientBackend | CmaesBackend | RandomBackend | GridBackend;

/** What {@link Fitter.fit} returns. */
export interface FitResult {
  readonly backend: FitBackend["kind"];
  /** The best parameters found (fitted and fixed), in the model's units. */
  readonly best: Record<string, number>;
  /** The loss there (objective plus prior penalties). */
  readonly loss: number;
  /** Gradient: the loss at each step; CMA-ES: each generation's best; random and grid: each sample's. */
  readonly history: number[];
  readonly evaluations: number;
  /**
   * CMA-ES only: the final search distribution's standard deviation per fitted parameter carried
   * to the model's units (`|dθ/du| σ sqrt(C_ii)` at the mean) — how well the loss pins it down.
   */
  readonly uncertainty?: Record<string, number>;
  readonly seconds: number;
}

/** Called after every step, generation or sample. */
export type FitProgress = (iteration: number, loss: number) => void;

/**
 * Fits a problem's parameters; {@link fit} runs one backend.
 * @example
 * const fitter = new Fitter({ parameters: { a: { init: 0.5, bounds: [0, 2] } }, simulate, objective });
 * const { best, history } = fitter.fit({ kind: "cmaes", iterations: 30 });
 */
export class Fitter {
  readonly problem: FitProblem;
  readonly parameters: ResolvedParameters;

  constructor(problem: FitProblem) {
    this.problem = problem;
    this.parameters = resolveParameters("Fitter", problem.parameters);
  }

  /** The loss (objective plus prior penalties) at parameters given by name (fitted ones; fixed ones are added). */
  evaluate(theta: Readonly<Record<string, number>>): number {
    const values = this.parameters.fitted.map((p) => {
      const v = theta[p.name];
      if (v === undefined) throw new ValueError(`Fitter.evaluate: missing parameter ${p.name}`);
      return v;
    });
    return this.lossAt(values);
  }

  private named(values: readonly number[]): Record<string, number> {
    const out: Record<string, number> = { ...this.parameters.fixed };
    this.parameters.fitted.forEach((p, i) => (out[p.name] = values[i] as number));
    return out;
  }

  private lossAt(values: readonly number[]): number {
    const theta = Object.fromEntries(
      Object.entries(this.named(values)).map(([k, v]) => [k, scalar(v, "float64")]),
    );
    const loss = this.problem.objective.loss(this.problem.simulate(theta)).data[0] as number;
    return loss + priorPenalty(this.parameters.fitted, values);
  }

  /**
   * Checks a backend's options against this problem without simulating anything: positive integer
   * budgets, `lr > 0`, a differentiable objective for gradients, finite bounds for random and grid
   * search, a grid of at most 1e6 points. {@link fit} calls it first.
   * @throws ValueError naming the option, its value and what is allowed
   */
  check(backend: FitBackend): void {
    const fitted = this.parameters.fitted;
    const where = `Fitter (${backend.kind})`;
    const positiveInt = (name: string, v: number) => {
      if (!Number.isInteger(v) || v < 1)
        throw new ValueError(`${where}: ${name} must be a positive integer, got ${v}`);
    };
    switch (backend.kind) {
      case "gradient": {
        positiveInt("iterations", backend.iterations);
        if (!this.problem.objective.differentiable) {
          throw new ValueError(
            `${where}: the objective ${this.problem.objective.name} is not differentiable; use the cmaes, random or grid backend`,
          );
        }
        const lr = backend.lr ?? 0.05;
        if (!(lr > 0)) throw new ValueError(`${where}: lr must be > 0, got ${lr}`);
        return;
      }
      case "cmaes":
        positiveInt("iterations", backend.iterations);
        return;
      case "random":
      case "grid": {
        const unbounded = fitted.find((p) => !(Number.isFinite(p.lo) && Number.isFinite(p.hi)));
        if (unbounded) {
          throw new ValueError(
            `${where}: every fitted parameter needs finite bounds; ${unbounded.name} has [${unbounded.lo}, ${unbounded.hi}]`,
          );
        }
        if (backend.kind === "random") {
          positiveInt("samples", backend.samples);
          return;
        }
        if (!Number.isInteger(backend.points) || backend.points < 2) {
          throw new ValueError(
            `${where}: points must be an integer >= 2 per parameter, got ${backend.points}`,
          );
        }
        const total = backend.points ** fitted.length;
        if (total > 1e6)
          throw new ValueError(
            `${where}: the grid has ${total} points (> 1e6); use fewer points or random search`,
          );
        return;
      }
      default:
        throw new ValueError(
          `Fitter: backend kind must be "gradient", "cmaes", "random" or "grid", got "${String((backend as { kind: unknown }).kind)}"`,
        );
    }
  }

  /** Runs a backend from the parameters' starts. */
  fit(backend: FitBackend, onProgress?: FitProgress): FitResult {
    this.check(backend);
    const t0 = performance.now();
    const r = this.run(backend, onProgress);
    return { backend: backend.kind, ...r, seconds: (performance.now() - t0) / 1000 };
  }

  private run(backend: FitBackend, onProgress?: FitProgress): Omit<FitResult, "backend" | "seconds"> {
    const fitted = this.parameters.fitted;
    const where = `Fitter (${backend.kind})`;
    switch (backend.kind) {
      case "gradient": {
        const optimizer = adam({ lr: backend.lr ?? 0.05 });
        let u: Record<string, Tensor> = Object.fromEntries(
          fitted.map((p) => [p.name, scalar(toUnconstrained(p, p.init), "float64")]),
        );
        let state = optimizer.init(u);
        const lossOf = valueAndGrad((uu: Record<string, Tensor>) => {
          const theta: Record<string, Tensor> = Object.fromEntries(
            Object.entries(this.parameters.fixed).map(([k, v]) => [k, scalar(v, "float64")]),
          );
          let prior: Tensor | number = 0;
          for (const p of fitted) {
            const th = toConstrainedTensor(p, uu[p.name] as Tensor);
            theta[p.name] = th;
            if (p.prior) prior = add(prior, mul(square(sub(th, p.prior.mean)), 0.5 / p.prior.sd ** 2));
          }
          return add(this.problem.objective.loss(this.problem.simulate(theta)), prior);
        });
        const history: number[] = [];
        let best = { loss: Infinity, values: fitted.map((p) => p.init) };
        for (let it = 0; it < backend.iterations; it++) {
          const { value, grads } = lossOf(u);
          if (!Number.isFinite(value)) {
            throw new DivergenceError(
              `${where}: the loss is ${value} at step ${it} (parameters ${JSON.stringify(this.named(fitted.map((p) => toConstrained(p, u[p.name]?.data[0] as number))))}); lower lr or tighten bounds`,
            );
          }
          const values = fitted.map((p) => toConstrained(p, u[p.name]?.data[0] as number));
          history.push(value);
          if (value < best.loss) best = { loss: value, values };
          onProgress?.(it, value);
          ({ params: u, state } = optimizer.update(grads, state, u));
        }
        return { best: this.named(best.values), loss: best.loss, history, evaluations: backend.iterations };
      }
      case "cmaes": {
        const rng = Rng.fromSeed(backend.seed ?? 0);
        const r = cmaes(
          (u) => this.lossAt(fitted.map((p, i) => toConstrained(p, u[i] as number))),
          Float64Array.from(fitted, (p) => toUnconstrained(p, p.init)),
          rng,
          {
            iterations: backend.iterations,
            ...(backend.population !== undefined ? { population: backend.population } : {}),
            ...(backend.sigma !== undefined ? { sigma: backend.sigma } : {}),
          },
          onProgress,
        );
        const uncertainty = Object.fromEntries(
          fitted.map((p, i) => [
            p.name,
            Math.abs(constrainedSlope(p, r.mean[i] as number)) * (r.spread[i] as number),
          ]),
        );
        return {
          best: this.named(fitted.map((p, i) => toConstrained(p, r.best[i] as number))),
          loss: r.bestValue,
          history: r.history,
          evaluations: r.evaluations,
          uncertainty,
        };
      }
      case "random":
      case "grid": {
        let points: number[][];
        if (backend.kind === "random") {
          const rng = Rng.fromSeed(backend.seed ?? 0);
          points = Array.from({ length: backend.samples }, () =>
            fitted.map((p) => rng.uniformIn(p.lo, p.hi)),
          );
        } else {
          const axes = fitted.map((p) =>
            Array.from(
              { length: backend.points },
              (_, k) => p.lo + ((p.hi - p.lo) * k) / (backend.points - 1),
            ),
          );
          points = axes.reduce<number[][]>(
            (acc, axis) => acc.flatMap((pt) => axis.map((v) => [...pt, v])),
            [[]],
          );
        }
        const history: number[] = [];
        let best = { loss: Infinity, values: fitted.map((p) => p.init) };
        points.forEach((values, i) => {
          const raw = this.lossAt(values);
          const loss = Number.isFinite(raw) ? raw : Infinity;
          history.push(loss);
          if (loss < best.loss) best = { loss, values };
          onProgress?.(i, loss);
        });
        return { best: this.named(best.values), loss: best.loss, history, evaluations: points.length };
      }
    }
  }
}
