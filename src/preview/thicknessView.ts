// The wall-thickness map on the 3D view's model: per-vertex colours (thicknessColors.ts) put on and
// taken off the meshes' materials, and the legend of what is shown.
import { useMemo } from 'react';
import * as THREE from 'three';
import { thicknessLegend, thicknessVertexColors, type ThicknessLegend } from './thicknessColors';

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
