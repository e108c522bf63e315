// The UI's one way to the workers: loading scans, the live preview, building and writing models.
// Everything heavy runs in Web Workers that share the volume's SharedArrayBuffer; components and
// hooks never start or call a worker themselves.
import { forgetModelInputs } from './model';
import { stopPreview } from './preview';
import { stopPrintFacts } from './print';
import { forgetFiles } from './scan';
import { stopSegments } from './segments';

export { loadDemoScan, loadDemoVolume, loadFiles, loadSeries, currentSeriesId, DEMO_CREDIT, type LoadedVolume, type Progress } from './scan';
export { startPreview, previewMesh, printMask, printMaskWithStats, PREVIEW_VOXELS } from './preview';
export { makeMesh, cancelBuild, wasCancelled, exportModel, BuildCancelled, reserveBuildMemory, releaseBuildMemory } from './model';
export {
  importSegmentation,
  editSegment,
  previewSegments,
  makeSegmentMeshes,
  exportSegments,
  exportSegmentation,
  splitSegmentationFiles,
  skippedSegmentations,
} from './segments';
export { ModelTooLarge, type BuildProgress } from '../../workers/core/pipeline';
export { placeModel, printFacts, exportCut, exportWithBase, drainModel } from './print';
export { denoiseVolume, DenoiseSuperseded, type DenoiseKind } from './denoise';
export { LoadCancelled, type LoadControl } from '../../workers/intake/loadTypes';

/** Releases everything the engine holds for the scan being closed (call after stopping its build). */
export function closeScan(): void {
  forgetFiles();
  forgetModelInputs();
  stopPreview();
  stopSegments();
  stopPrintFacts();
}
