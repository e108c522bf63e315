// The UI's one way to the workers: loading scans, the live preview, building and writing models.
// Everything heavy runs in Web Workers that share the volume's SharedArrayBuffer; components and
// hooks never start or call a worker themselves.
export { loadDemoVolume, loadFiles, loadSeries, currentSeriesId, type LoadedVolume, type Progress } from './scan';
export { startPreview, previewMesh, printMask, PREVIEW_VOXELS } from './preview';
export { makeMesh, cancelBuild, wasCancelled, exportModel, BuildCancelled } from './model';
export { LoadCancelled, type LoadControl } from '../../workers/intake/loadTypes';
