// Progress on standard error: on a terminal one bar redrawn in place (every scan's share, and what each
// running scan is doing); piped or redirected, one plain line whenever a scan starts a new stage, so a
// log stays readable. Messages (notes, errors) go above the bar.
import type { Writable } from 'node:stream';

export interface Progress {
  /** scan `scan` is at `stage` (e.g. "decoding slices 40/96"), `fraction` of its work done */
  update(scan: number, stage: string, fraction: number): void;
  /** scan `scan` has finished (well or not) */
  done(scan: number): void;
  /** a message line, printed above the bar (to `to`, default standard error) */
  line(text: string, to?: Writable): void;
  /** removes the bar */
  finish(): void;
}

const BAR = 24;
const REDRAW_MS = 100;

/** The stage without its counts: "decoding slices 40/96" → "decoding slices". */
const stageKey = (stage: string) => stage.replace(/\s+\d+\/\d+$/, '');

/** On a terminal a scan is shown by its last path component ("ct.nii.gz", "ct_abdomen_tcia_pancreas"). */
const short = (label: string) => label.split(', ').map((p) => p.replace(/[/\\]+$/, '').replace(/^.*[/\\]/, '')).join(', ');

export function createProgress(labels: string[], out: Writable & { isTTY?: boolean; columns?: number }): Progress {
  const scans = labels.map((label) => ({ label: out.isTTY ? short(label) : label, stage: '', fraction: 0, done: false, printed: '' }));
  if (!out.isTTY) {
    return {
      update(i, stage) {
        const s = scans[i];
        const key = stageKey(stage);
        if (key !== s.printed) {
          s.printed = key;
          out.write(`scan2print: ${s.label}: ${key}\n`);
        }
      },
      done(i) {
        scans[i].done = true;
      },
      line: (text, to = out) => to.write(`${text}\n`),
      finish() {},
    };
  }
  let last = 0;
  let shown = false;
  const render = (force = false) => {
    const now = Date.now();
    if (!force && now - last < REDRAW_MS) return;
    last = now;
    const total = scans.reduce((s, x) => s + (x.done ? 1 : x.fraction), 0) / scans.length;
    const filled = Math.round(total * BAR);
    const finished = scans.filter((x) => x.done).length;
    const running = scans.filter((x) => !x.done && x.stage).map((x) => `${x.label}: ${x.stage}`);
    let text = `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(Math.floor(total * 100)).padStart(3)}%`;
    if (scans.length > 1) text += `  ${finished}/${scans.length} scans`;
    if (running.length) text += `  ${running.join(' · ')}`;
    const width = (out.columns ?? 100) - 1;
    out.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    shown = true;
  };
  const clear = () => {
    if (shown) out.write('\r\x1b[2K');
    shown = false;
  };
  return {
    update(i, stage, fraction) {
      Object.assign(scans[i], { stage, fraction: Math.max(scans[i].fraction, Math.min(1, fraction)) });
      render();
    },
    done(i) {
      scans[i].done = true;
      render(true);
    },
    line(text, to = out) {
      clear();
      to.write(`${text}\n`);
      render(true);
    },
    finish: clear,
  };
}
