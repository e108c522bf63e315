// Files skipped by a load, counted by reason, with the damaged ones named.

export const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** Files skipped, by reason, and one message per damaged file ("name: what is wrong"). */
export interface Skipped {
  count: number;
  reasons: Record<string, number>;
  problems: string[];
}

export const noSkips = (): Skipped => ({ count: 0, reasons: {}, problems: [] });

export function addSkip(s: Skipped, reason: string, problem?: string) {
  s.count++;
  s.reasons[reason] = (s.reasons[reason] ?? 0) + 1;
  if (problem) s.problems.push(problem);
}

/** At most this many damaged files are named one by one; the rest are summed up. */
const MAX_NAMED_PROBLEMS = 20;

/** The messages naming damaged files, capped so a folder of junk does not flood the notes. */
export function problemNotes(problems: string[]): string[] {
  if (problems.length <= MAX_NAMED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_NAMED_PROBLEMS), `…and ${problems.length - MAX_NAMED_PROBLEMS} more damaged files`];
}
