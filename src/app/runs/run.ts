/**
 * A run directory: the resolved config, the metrics history, checkpoints after every epoch, the
 * final model and the report. Every file is written to a temporary name and renamed, so a crash
 * never leaves a torn file.
 *
 * ```
 * RUN_DIR/config.json            the resolved config (every default filled in)
 * RUN_DIR/metrics.jsonl          one line per epoch (see EpochLine)
 * RUN_DIR/numerics.json          what computed the numbers, from which epoch on (see NumericsSpan)
 * RUN_DIR/checkpoints/epoch-0001.safetensors   parameters, optimizer and PRNG state after epoch 1
 * RUN_DIR/model.safetensors      the final parameters and the model config
 * RUN_DIR/report.html            figures and tables (braints report)
 * ```
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Tree } from "../../core/tree.ts";
import type { Checkpoint } from "../../io/checkpoint.ts";
import { writeFileAtomic } from "../../io/atomic.ts";
import { type KernelBackend, getBackend } from "../../kernels/index.ts";
import type { Numerics } from "../../kernels/numerics.ts";
import type { SequenceModel } from "../../models/model.ts";
import type { RunConfig } from "../recipes/runConfig.ts";
import { parseRunConfig } from "../recipes/parseConfig.ts";
import type { TrainerState } from "../../train/trainer.ts";
import { CorruptFileError } from "../../io/safetensors.ts";
import { decodeCheckedCheckpoint, encodeCheckedCheckpoint } from "../recipes/checkedCheckpoint.ts";
import { type EpochLine, formatLines, parseLines } from "./metrics.ts";
import { RunDirectoryError } from "./runDirectoryError.ts";
import { isFitConfigShape } from "../fit/fitKeys.ts";

/** What a checkpoint records of its model: the factory name and the JSON config that rebuild it. */
export type ModelTag = Pick<SequenceModel, "name" | "config">;

/** A checkpoint file of a run and the epoch it was written after. */
export interface CheckpointFile {
  readonly epoch: number;
  readonly path: string;
}

/**
 * The kernels that computed a run's epochs from `fromEpoch` on: their {@link Numerics}, and the
 * backend name and threads for information (the numbers do not depend on the threads).
 */
export interface NumericsSpan extends Numerics {
  readonly fromEpoch: number;
  readonly backend: string;
  readonly threads: number;
}

const CHECKPOINT = /^epoch-(\d+)\.safetensors$/;
/** The temporary names `writeFileAtomic` writes to before renaming. */
const TEMPORARY = /^\..+\.\d+\.tmp$/;

/** The owner of one run directory. */
export class Run {
  private constructor(
    /** The run directory. */
    readonly dir: string,
    /** The resolved config. */
    readonly config: RunConfig,
  ) {}

  /**
   * Creates `dir` (which must not exist, or be empty) and writes the config.
   * @throws RunDirectoryError when `dir` holds files
   */
  static create(dir: string, config: RunConfig): Run {
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new RunDirectoryError(
        "notEmpty",
        dir,
        `run directory ${dir} already exists and is not empty`,
        "start the run in a new or empty directory, or continue this one with resumeRun",
      );
    }
    mkdirSync(join(dir, "checkpoints"), { recursive: true });
    const run = new Run(dir, config);
    writeFileAtomic(run.path("config.json"), `${JSON.stringify(config, null, 2)}\n`);
    return run;
  }

  /**
   * Opens an existing run directory and validates its config.
   * @throws RunDirectoryError when `dir` has no config.json; ConfigError when the config is invalid
   */
  static open(dir: string): Run {
    const file = join(dir, "config.json");
    if (!existsSync(file)) {
      throw new RunDirectoryError("notARun", dir, `${dir} is not a run directory: ${file} does not exist`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new CorruptFileError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    if (isFitConfigShape(raw)) {
      throw new RunDirectoryError(
        "otherKind",
        dir,
        `${dir} is a fit run (made by braints fit), not a trained network`,
        "reportFitRun (braints report) writes its report again; eval and analyze need a trained network",
      );
    }
    return new Run(dir, parseRunConfig(raw, { source: file }));
  }

  /** The path of a file inside the run directory. */
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /**
   * A path in the run directory no file has yet, for a result that must not replace an earlier one:
   * `STEM.EXT`, else `STEM-2.EXT`, `STEM-3.EXT`, ...
   */
  newFile(stem: string, ext: string): string {
    for (let n = 1; ; n++) {
      const path = this.path(n === 1 ? `${stem}.${ext}` : `${stem}-${n}.${ext}`);
      if (!existsSync(path)) return path;
    }
  }

  /** The metrics history (empty before the first epoch). */
  readMetrics(): EpochLine[] {
    const file = this.path("metrics.jsonl");
    return existsSync(file) ? parseLines(readFileSync(file, "utf8"), file) : [];
  }

  /** Replaces the metrics history. */
  writeMetrics(lines: readonly EpochLine[]): void {
    writeFileAtomic(this.path("metrics.jsonl"), formatLines(lines));
  }

  /**
   * Records in numerics.json that `backend` computes the epochs from `fromEpoch` on (dropping spans
   * of epochs a resume recomputes).
   */
  recordNumerics(fromEpoch: number, backend: KernelBackend = getBackend()): void {
    const file = this.path("numerics.json");
    let spans: NumericsSpan[] = [];
    if (existsSync(file)) {
      try {
        spans = JSON.parse(readFileSync(file, "utf8")) as NumericsSpan[];
      } catch (e) {
        throw new CorruptFileError(`${file}: not valid JSON (${(e as Error).message})`);
      }
      if (!Array.isArray(spans)) throw new CorruptFileError(`${file}: must hold a JSON array of spans`);
      spans = spans.filter((s) => s.fromEpoch < fromEpoch);
    }
    spans.push({ fromEpoch, ...backend.numerics, backend: backend.name, threads: backend.threads });
    writeFileAtomic(file, `${JSON.stringify(spans, null, 2)}\n`);
  }

  /** The checkpoint files, oldest first. */
  checkpoints(): CheckpointFile[] {
    const dir = this.path("checkpoints");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .flatMap((name) => {
        const m = CHECKPOINT.exec(name);
        return m ? [{ epoch: Number(m[1]), path: join(dir, name) }] : [];
      })
      .sort((a, b) => a.epoch - b.epoch);
  }

  /** Writes the checkpoint of a trainer state at the end of an epoch. */
  saveCheckpoint(state: TrainerState<Tree>, model: ModelTag): string {
    const file = this.path("checkpoints", `epoch-${String(state.epoch).padStart(4, "0")}.safetensors`);
    writeChecked(file, {
      params: state.params,
      model: { name: model.name, config: model.config },
      optimizer: state.optimizer,
      rng: state.rng,
      step: state.step,
      epoch: state.epoch,
      numerics: getBackend().numerics,
    });
    return file;
  }

  /** Writes the final parameters with the model config. */
  saveModel(params: Tree, model: ModelTag): string {
    const file = this.path("model.safetensors");
    writeChecked(file, {
      params,
      model: { name: model.name, config: model.config },
      numerics: getBackend().numerics,
    });
    return file;
  }

  /**
   * Reads a checkpoint of this run (or its model file), checking every parameter's shape against
   * `like` and the numbers against the checksum written with them.
   * @throws CorruptFileError for a truncated or corrupted file; CheckpointMismatchError for another model's
   */
  load<P extends Tree>(file: string, like: P): Checkpoint<P> {
    if (!existsSync(file)) throw new RunDirectoryError("missingFile", this.dir, `${file} does not exist`);
    return decodeCheckedCheckpoint(new Uint8Array(readFileSync(file)), file, like);
  }

  /**
   * Deletes temporary files a killed process left half-written (their complete versions were never
   * renamed into place, so nothing refers to them).
   */
  removeTemporaries(): void {
    for (const dir of [this.dir, this.path("checkpoints")]) {
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) if (TEMPORARY.test(name)) rmSync(join(dir, name), { force: true });
    }
  }

  /** Deletes the run directory (used when training fails before its first checkpoint). */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function writeChecked(file: string, checkpoint: Checkpoint): void {
  writeFileAtomic(file, encodeCheckedCheckpoint(checkpoint));
}
