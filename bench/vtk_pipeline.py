#!/usr/bin/python3
"""dicom2stl-like VTK pipeline for `npm run bench -- --peers` (run with Debian's python3-vtk9).

Reads a NIfTI volume (int16, written by bench/peers.ts), then: isosurface at the threshold
(vtkFlyingEdges3D), largest connected region (vtkPolyDataConnectivityFilter), smoothing
(vtkWindowedSincPolyDataFilter, N iterations), decimation (vtkDecimatePro, target reduction R,
topology preserved as dicom2stl asks), binary STL. Prints one JSON line: milliseconds per stage and
triangle counts. Usage: vtk_pipeline.py IN.nii THRESHOLD SMOOTH_ITERATIONS REDUCTION OUT.stl
"""
import json
import sys
import time

try:
    import vtk
except ImportError as e:  # the bench prints the reason and goes on
    print(json.dumps({"skipped": f"python3 cannot import vtk ({e}); apt-get install -y python3-vtk9"}))
    sys.exit(0)

path, threshold, smooth, reduction, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
vtk.vtkObject.GlobalWarningDisplayOff()
stages = []


def timed(name, algorithm):
    t = time.perf_counter()
    algorithm.Update()
    stages.append({"name": name, "ms": (time.perf_counter() - t) * 1000})
    return algorithm


reader = vtk.vtkNIFTIImageReader()
reader.SetFileName(path)
timed("load", reader)
iso = vtk.vtkFlyingEdges3D()
iso.SetInputConnection(reader.GetOutputPort())
iso.SetValue(0, threshold - 0.5)
iso.ComputeNormalsOff()
iso.ComputeGradientsOff()
iso.ComputeScalarsOff()
timed("isosurface", iso)
triangles_iso = iso.GetOutput().GetNumberOfCells()
largest = vtk.vtkPolyDataConnectivityFilter()
largest.SetInputConnection(iso.GetOutputPort())
largest.SetExtractionModeToLargestRegion()
timed("largest", largest)
clean = vtk.vtkCleanPolyData()
clean.SetInputConnection(largest.GetOutputPort())
timed("clean", clean)
smoother = vtk.vtkWindowedSincPolyDataFilter()
smoother.SetInputConnection(clean.GetOutputPort())
smoother.SetNumberOfIterations(smooth)
smoother.BoundarySmoothingOff()
smoother.FeatureEdgeSmoothingOff()
smoother.NonManifoldSmoothingOn()
smoother.NormalizeCoordinatesOn()
timed("smoothing", smoother)
decimate = vtk.vtkDecimatePro()
decimate.SetInputConnection(smoother.GetOutputPort())
decimate.SetTargetReduction(reduction)
decimate.PreserveTopologyOn()
timed("decimation", decimate)
writer = vtk.vtkSTLWriter()
writer.SetInputConnection(decimate.GetOutputPort())
writer.SetFileName(out)
writer.SetFileTypeToBinary()
t = time.perf_counter()
writer.Write()
stages.append({"name": "write", "ms": (time.perf_counter() - t) * 1000})
print(json.dumps({
    "vtk": vtk.vtkVersion.GetVTKVersion(),
    "stages": stages,
    "trianglesIsosurface": triangles_iso,
    "triangles": decimate.GetOutput().GetNumberOfCells(),
}))
