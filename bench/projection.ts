// How a build would go on more workers than this machine has (--scaling): a projection from a run on
// one worker, stage by stage, as if every core ran as fast as this one does alone.
//   • Stages split into ranges or slabs over the pool (the mask, the size estimate, the isosurface, the
//     stitch, the smoothing stage with its vertex order and half-edges, the quadrics) divide by the
//     worker count.
//   • Stages one thread does (components, the decimation's compact, the check, the write) stay.
//   • The collapse passes go step by step (decimate.ts, DecimateResult.steps): a step takes at least
//     its longest partition, and at least its partitions' work shared out; what the passes spend
//     outside their partitions (histograms, barriers) stays.
// Memory and caches shared between cores are left out, so this is a bound: the machine's own probes
// (threadScaling.ts) say how far memory-bound work falls short of it here.
import type { PartitionStep } from '../workers/core/decimate';
import type { StageTiming } from '../workers/core/refine';

export interface ProjectedRun {
  stages: StageTiming[];
  /** the decimation's own stages (thread 0's view) and its collapse passes' steps */
  decimationStages: StageTiming[];
  steps: PartitionStep[];
}

/** The stages of the build (the bench's names) that are split over every worker. */
const SPLIT = new Set(['mask', 'size estimate', 'isosurface', 'stitch', 'smoothing']);

/** The collapse passes on `workers` workers, from one worker's steps and their total time (ms). */
export function passesOn(steps: PartitionStep[], passesMs: number, workers: number): number {
  let work = 0, projected = 0;
  for (const s of steps) {
    work += s.workMs;
    projected += Math.max(s.workMs / workers, s.longestMs);
  }
  return projected + Math.max(0, passesMs - work);
}

/** The build after load (ms, the sum of its stages but the load and the deviation) on `workers` workers, from one worker's run. */
export function buildOn(run: ProjectedRun, workers: number): number {
  const of = (list: StageTiming[], name: string) => list.find((s) => s.name === name)?.ms ?? 0;
  let ms = 0;
  for (const s of run.stages) {
    if (s.name === 'load' || s.name === 'deviation') continue;
    if (s.name === 'decimation') {
      const quadrics = of(run.decimationStages, 'quadrics'), passes = of(run.decimationStages, 'collapse passes');
      ms += s.ms - quadrics - passes + quadrics / workers + passesOn(run.steps, passes, workers);
    } else ms += SPLIT.has(s.name) ? s.ms / workers : s.ms;
  }
  return ms;
}
