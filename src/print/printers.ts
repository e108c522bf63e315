// Printer profiles: the bed (width × depth × height, mm), the technology and a sensible minimum wall.
// The choice is remembered in local storage (only the profile: never anything from a scan).
import type { Vec3 } from '../../workers/core/types';

export interface Printer {
  id: string;
  label: string;
  technology: 'FDM' | 'resin';
  /** build volume: width (x), depth (y), height (z), mm */
  bedMm: Vec3;
  /** thinner walls than this are flagged (FDM: two 0.4 mm lines; resin: a supported wall) */
  minWallMm: number;
}

export const CUSTOM = 'custom';

export const PRINTERS: Printer[] = [
  { id: 'prusa-mk4', label: 'Prusa MK4 (FDM)', technology: 'FDM', bedMm: [250, 210, 220], minWallMm: 0.8 },
  { id: 'bambu-x1', label: 'Bambu Lab X1 / P1 (FDM)', technology: 'FDM', bedMm: [256, 256, 256], minWallMm: 0.8 },
  { id: 'elegoo-mars4', label: 'Elegoo Mars 4 (resin)', technology: 'resin', bedMm: [153, 77, 165], minWallMm: 0.6 },
  { id: 'form3', label: 'Formlabs Form 3 (resin)', technology: 'resin', bedMm: [145, 145, 185], minWallMm: 0.6 },
];

/** "Custom" starts from a 200 mm cube, the fixed bed the report used before profiles. */
export const DEFAULT_CUSTOM: Printer = { id: CUSTOM, label: 'Custom', technology: 'FDM', bedMm: [200, 200, 200], minWallMm: 0.8 };

export const STORAGE_KEY = 'scan2print.printer';

/** The stored choice, or the first profile when there is none or it does not parse. */
export function readPrinter(stored: string | null): Printer {
  if (!stored) return PRINTERS[0];
  try {
    const v = JSON.parse(stored) as Partial<Printer>;
    const known = PRINTERS.find((p) => p.id === v.id);
    if (known) return known;
    if (v.id === CUSTOM && validBed(v.bedMm) && positive(v.minWallMm))
      return { ...DEFAULT_CUSTOM, technology: v.technology === 'resin' ? 'resin' : 'FDM', bedMm: v.bedMm, minWallMm: v.minWallMm };
  } catch {
    // not ours, or damaged: start again
  }
  return PRINTERS[0];
}

export const writePrinter = (p: Printer): string => JSON.stringify(p.id === CUSTOM ? p : { id: p.id });

const positive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;
const validBed = (b: unknown): b is Vec3 => Array.isArray(b) && b.length === 3 && b.every(positive);

export const bedText = (p: Printer): string => `${p.bedMm.join(' × ')} mm`;

/**
 * Whether a model of `size` (mm, as placed) fits the bed as it stands; when it does not, whether it
 * would turned about the vertical (x and y swapped).
 */
export function bedFit(size: Vec3, p: Printer): 'fits' | 'turned' | 'no' {
  const [w, d, h] = p.bedMm;
  if (size[2] > h) return 'no';
  if (size[0] <= w && size[1] <= d) return 'fits';
  return size[1] <= w && size[0] <= d ? 'turned' : 'no';
}
