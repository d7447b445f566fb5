import { Sample } from './stats';

/** One figure of BENCHMARKS.md: the system's number beside the raw baseline measured in the same run. */
export interface BenchFigure {
  title: string;
  what: string;
  unit: string;
  measured: Sample;
  baseline?: Sample;
  baselineWhat?: string;
  /** measured/baseline, or the inverse where higher is better. */
  ratio?: number;
  target: string;
  met: boolean;
  notes?: string[];
}
