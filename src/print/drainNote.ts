// What the drain holes gave, in words: how many were cut, and for each one left out, why (drain.ts's reason).
import type { DrainReport } from '../../workers/core/drainFile';

const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
const mm = (x: number) => `${+x.toFixed(1)} mm`;

/** Automatic holes are named "automatic hole k", clicked ones "hole k" as the list of clicked holes numbers them. */
export function drainNote(report: DrainReport | null, minVoidMl: number): string {
  if (!report) return 'Drilling drain holes…';
  const cut = report.holes.filter((h) => h.cut);
  const auto = report.holes.filter((h) => h.kind === 'auto');
  const parts: string[] = [];
  if (report.holes.length === 0) parts.push('No enclosed cavity to drain.');
  else {
    const kinds = [
      cut.filter((h) => h.kind === 'auto').length ? `${cut.filter((h) => h.kind === 'auto').length} automatic` : '',
      cut.filter((h) => h.kind === 'click').length ? `${cut.filter((h) => h.kind === 'click').length} clicked` : '',
    ].filter(Boolean);
    const removed = report.removedMm3 > 0 ? `, ${Math.round(report.removedMm3).toLocaleString('en-US')} mm³ removed` : '';
    parts.push(`${plural(cut.length, 'drain hole')} cut (${mm(report.diameterMm)}${kinds.length ? `: ${kinds.join(', ')}` : ''}${removed}).`);
  }
  report.holes.forEach((h, i) => {
    if (h.cut) return;
    const name = h.kind === 'auto' ? `Automatic hole ${i + 1}` : `Hole ${i - auto.length + 1}`;
    parts.push(`${name} left out: ${h.why ?? 'it could not be cut'}.`);
  });
  if (report.voidsAfter > 0) parts.push(`${plural(report.voidsAfter, 'cavity', 'cavities')} still enclosed.`);
  else if (report.voidsBefore > 0) parts.push('No cavity left enclosed.');
  if (report.smallVoids > 0) parts.push(`${plural(report.smallVoids, 'void')} under ${minVoidMl} mL left without a hole.`);
  return parts.join(' ');
}
