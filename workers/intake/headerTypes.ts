// The header fields the app reads from a DICOM file, as a small plain object (cloneable to a worker).
import type { Vec3 } from '../core/types';

/** Where the pixel data sits in the dataset bytes (see `datasetBytes`): byte offsets and lengths. */
export interface PixelDataLocation {
  offset: number;
  length: number;
  /** encapsulated (compressed) data: [position, length] of each fragment, in file order; null when native */
  fragments: [number, number][] | null;
}

export interface DicomHeader {
  kind: 'image';
  fileName: string;
  sopClassUid: string;
  /** SOPInstanceUID (0008,0018), else the meta header's MediaStorageSOPInstanceUID; '' when neither: the same image sent twice has the same one */
  sopInstanceUid: string;
  modality: string;
  seriesUid: string;
  studyUid: string;
  frameOfReferenceUid: string;
  seriesDescription: string;
  seriesNumber: string;
  /** AcquisitionNumber (0020,0012), '' when absent: splits a series that holds several acquisitions of the same slices */
  acquisitionNumber: string;
  /** ImageType values, upper case (e.g. ORIGINAL, PRIMARY, AXIAL / LOCALIZER) */
  imageType: string[];
  rows: number;
  columns: number;
  /** DICOM order: [spacing between rows, spacing between columns] in mm */
  pixelSpacing: [number, number];
  /** false when neither PixelSpacing nor ImagerPixelSpacing is present (1 mm is assumed) */
  pixelSpacingKnown: boolean;
  imagePositionPatient: Vec3 | null;
  /** row direction cosines then column direction cosines, unit length (see geometryChecks); null when absent or unusable */
  imageOrientationPatient: number[] | null;
  /** why the orientation given cannot be used (zero or not perpendicular directions): the stack is refused with it */
  orientationProblem?: string;
  /** what was repaired in this header's geometry or rescale (see geometryChecks), for the notes; absent when nothing was */
  repairs?: string[];
  rescaleSlope: number;
  rescaleIntercept: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  /**
   * PixelPaddingValue (0028,0120) and, when given, PixelPaddingRangeLimit (0028,0121): the stored
   * values, inclusive [low, high], that mark pixels outside the scanned field. null when absent.
   */
  pixelPadding: [number, number] | null;
  samplesPerPixel: number;
  photometric: string;
  planarConfiguration: number;
  /** frames in the pixel data this header describes: NumberOfFrames as read; 1 on each header framesOf makes */
  numberOfFrames: number;
  transferSyntax: string;
  pixelData: PixelDataLocation;
  /** Siemens NumberOfImagesInMosaic (0019,100A): the slices tiled into this one image; absent when not a mosaic */
  mosaicImages?: number;
  /**
   * A file with functional groups (Enhanced CT/MR) as read: the values of each frame (see
   * readFrameValues); framesOf turns it into one header per frame. Absent otherwise.
   */
  perFrame?: FrameValues[];
  /** which frame of its file this header describes (headers made by framesOf); absent for a single-frame file */
  frame?: number;
  /** StackID (0020,9056) of the frame (headers made by framesOf); absent when the file gives none */
  stackId?: string;
}

export interface NotImage {
  kind: 'skip';
  fileName: string;
  /** the category, counted in the summary: e.g. "not DICOM", "DICOMDIR", "structured report", "no pixel data" */
  reason: string;
  /** set when the file looks damaged rather than merely not an image: what is wrong, for a message naming the file */
  problem?: string;
}

/** One frame's own values: from its per-frame functional groups, else the shared ones, else the top level. */
export interface FrameValues {
  imagePositionPatient: Vec3;
  imageOrientationPatient: number[] | null;
  orientationProblem?: string;
  repairs?: string[];
  pixelSpacing: [number, number];
  pixelSpacingKnown: boolean;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** StackID (0020,9056), '' when absent: frames of different stacks are different volumes */
  stackId: string;
  pixelData: PixelDataLocation;
}
