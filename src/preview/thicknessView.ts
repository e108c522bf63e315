// The wall-thickness map on the 3D view's model: per-vertex colours (thicknessColors.ts) put on and
// taken off the meshes' materials, and the legend of what is shown.
import { useMemo } from 'react';
import * as THREE from 'three';
import { fmtLegendMm, thicknessColor, thicknessLegend, thicknessVertexColors, type ThicknessLegend } from './thicknessColors';

/** How the map is shown: the export scale (1 = 100 %) and the printer's minimum wall (mm, as printed). */
export interface WallMapView {
  scale: number;
  minWallMm: number;
  /** the printer's name, for the legend */
  printer: string;
}

/** The legend of the maps shown (null when no object carries one, or no view is asked). */
export function useThicknessLegend(maps: (Float32Array | undefined)[], view: WallMapView | null | undefined): ThicknessLegend | null {
  return useMemo(() => {
    if (!view || !maps.length || maps.some((m) => !m)) return null;
    return thicknessLegend(maps as Float32Array[], view.scale, view.minWallMm);
  }, [maps, view]);
}

/**
 * Colours each mesh's vertices by its map (`maps[i]` for `meshes[i]`, one value a vertex) on `legend`
 * at `scale`, or, with a null legend, gives the meshes their own colour back.
 */
export function paintThickness(meshes: THREE.Mesh[], maps: (Float32Array | undefined)[], scale: number, legend: ThicknessLegend | null): void {
  meshes.forEach((mesh, i) => {
    const material = mesh.material as THREE.MeshStandardMaterial;
    const geometry = mesh.geometry;
    const map = maps[i];
    if (material.userData.base === undefined) material.userData.base = material.color.getHex();
    const on = !!legend && !!map && map.length === geometry.getAttribute('position').count;
    if (on) {
      geometry.setAttribute('color', new THREE.BufferAttribute(thicknessVertexColors(map, scale, legend), 3));
      material.color.set(0xffffff);
    } else {
      geometry.deleteAttribute('color');
      material.color.setHex(material.userData.base);
    }
    if (material.vertexColors !== on) {
      material.vertexColors = on;
      material.needsUpdate = true;
    }
  });
}

/** The legend drawn into a picture of the view (top right, as on screen); `k`: canvas pixels per CSS pixel. */
export function drawThicknessLegend(ctx: CanvasRenderingContext2D, legend: ThicknessLegend, printer: string, k: number): void {
  const w = 220 * k, pad = 8 * k, barH = 10 * k, x0 = ctx.canvas.width - w - 8 * k, y0 = 6 * k;
  const range = legend.lowestMm === null ? 'Nothing measured' : `Measured ${fmtLegendMm(legend.lowestMm)} to ${fmtLegendMm(legend.highestMm!)} mm`;
  const lines = ['Wall thickness, mm as printed', range, `Red: under the ${fmtLegendMm(legend.minWallMm)} mm minimum wall`, `of the ${printer}`];
  ctx.save();
  ctx.shadowBlur = 0;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.fillRect(x0, y0, w, 110 * k);
  ctx.font = `${Math.round(11 * k)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillStyle = '#cbd5e1';
  ctx.fillText(lines[0], x0 + pad, y0 + pad);
  const bx = x0 + pad, by = y0 + pad + 16 * k, bw = w - 2 * pad;
  for (let x = 0; x < bw; x++) {
    ctx.fillStyle = `rgb(${thicknessColor(((x + 0.5) / bw) * legend.maxMm, legend).join(' ')})`;
    ctx.fillRect(bx + x, by, 1, barH);
  }
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(bx + (Math.min(legend.minWallMm, legend.maxMm) / legend.maxMm) * bw - k, by - 3 * k, 2 * k, barH + 6 * k);
  legend.ticks.forEach((t, i) => {
    ctx.textAlign = i === 0 ? 'left' : i === legend.ticks.length - 1 ? 'right' : 'center';
    ctx.fillText(`${fmtLegendMm(t)}${i === legend.ticks.length - 1 ? '+' : ''}`, bx + (t / legend.maxMm) * bw, by + barH + 3 * k);
  });
  ctx.textAlign = 'left';
  lines.slice(1).forEach((line, i) => ctx.fillText(line, bx, by + barH + (20 + 14 * i) * k));
  ctx.restore();
}
