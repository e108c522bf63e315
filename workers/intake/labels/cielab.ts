// DICOM's recommended display colours are CIELab, scaled to 16 bits (PS3.3 C.10.7.1.1): L* 0–100 as
// 0–65535, a* and b* −128–127 as 0–65535. To sRGB the way dcmqi/DCMTK (and so 3D Slicer and OHIF)
// convert them: Lab → XYZ with the D65 white point (0.950456, 1, 1.088754) → linear sRGB → sRGB gamma,
// clipped to the gamut. (The standard's PCS is D50; newer DCMTK adapts from D50 instead, which moves
// colours by a few units. D65 is what the files written by dcmqi and Slicer round-trip with: the
// liver of dcmqi's example SEG comes back as Slicer's liver colour, 221 130 101.)
import type { Rgb } from '../../core/segments';

const WHITE = [0.950456, 1, 1.088754];

/** f⁻¹ of CIELab: t³ above 6/29, linear below. */
const finv = (t: number) => (t > 6 / 29 ? t * t * t : 3 * (6 / 29) ** 2 * (t - 4 / 29));

/** sRGB transfer function of a linear value in [0, 1]. */
const gamma = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/** A DICOM CIELab triplet (three 0–65535 values) as sRGB 0–255. */
export function dicomLabToRgb(lab: ArrayLike<number>): Rgb {
  const L = (lab[0] * 100) / 65535, a = (lab[1] * 255) / 65535 - 128, b = (lab[2] * 255) / 65535 - 128;
  const fy = (L + 16) / 116;
  const X = WHITE[0] * finv(fy + a / 500), Y = WHITE[1] * finv(fy), Z = WHITE[2] * finv(fy - b / 200);
  const lin = [3.2406 * X - 1.5372 * Y - 0.4986 * Z, -0.9689 * X + 1.8758 * Y + 0.0415 * Z, 0.0557 * X - 0.204 * Y + 1.057 * Z];
  return lin.map((c) => Math.round(255 * gamma(Math.min(1, Math.max(0, c))))) as Rgb;
}
