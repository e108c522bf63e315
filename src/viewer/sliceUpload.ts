// The volume's slices go to WebGL through one reused Float32 buffer.
//
// Without 16-bit normalised textures (software WebGL, GPUs without EXT_texture_norm16) Cornerstone's
// volume texture is a float one, and vtk.js's `updateArrayDataTypeForGL` makes a new Float32Array
// for every slice Cornerstone uploads: 4 × the int16 volume of fresh memory (315 MB for 512² × 300),
// each megabyte faulted in page by page. On this machine that was 1.0 s of the page's main thread
// between the volume being ready and its first slice being drawn. texSubImage3D copies its data
// before it returns (WebGL), so one slice-sized buffer can carry every slice.
//
// vtk.js freezes each object once made, so the conversion is replaced where textures are made:
// Cornerstone's streaming texture extends vtk.js's OpenGL texture through this module's `extend`.
import vtkOpenGLTexture from '@kitware/vtk.js/Rendering/OpenGL/Texture';

type Convert = (dataType: string, data: (ArrayLike<number> | null)[], depth?: boolean, imageExtents?: unknown[]) => (ArrayLike<number> | null)[];

interface TextureApi {
  isA(className: string): boolean;
  updateArrayDataTypeForGL: Convert;
  getOpenGLDataType(): number | undefined;
  getWidth(): number;
  getHeight(): number;
  getComponents(): number;
}

/** Cornerstone's per-slice volume texture (its class name in vtk.js). */
const STREAMING_TEXTURE = 'vtkStreamingOpenGLTexture';

let installed = false;

/**
 * From now on, every Cornerstone volume texture converts each non-float slice into one reused
 * Float32Array when the texture is a float one. Every other upload (norm16, half float, a whole
 * volume at once, extents, a slice of another size, vtk.js's other textures) goes through vtk.js
 * unchanged. Idempotent.
 */
export function reuseSliceBuffers(): void {
  if (installed) return;
  installed = true;
  const target = vtkOpenGLTexture as unknown as { extend: (publicAPI: TextureApi, model: object, initialValues?: object) => void };
  const extend = target.extend;
  target.extend = (publicAPI, model, initialValues = {}) => {
    extend(publicAPI, model, initialValues);
    const convert = publicAPI.updateArrayDataTypeForGL;
    let buffer: Float32Array | null = null;
    publicAPI.updateArrayDataTypeForGL = (dataType, data, depth = false, imageExtents = []) => {
      const slice = data.length === 1 ? data[0] : null;
      const values = publicAPI.getWidth() * publicAPI.getHeight() * publicAPI.getComponents();
      const plain = !depth && imageExtents.length === 0 && slice !== null && !(slice instanceof Float32Array) && slice.length === values;
      if (!plain || publicAPI.getOpenGLDataType() !== WebGL2RenderingContext.FLOAT || !publicAPI.isA(STREAMING_TEXTURE)) return convert(dataType, data, depth, imageExtents);
      if (buffer?.length !== values) buffer = new Float32Array(values);
      buffer.set(slice);
      return [buffer];
    };
  };
}
