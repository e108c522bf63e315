// The slice views' volume texture: 16-bit where the GPU has no 16-bit normalised textures, and its
// slices sent through one reused buffer.
//
// With EXT_texture_norm16 Cornerstone sends the int16 volume as it is. Without it (software WebGL,
// some GPUs) Cornerstone's volume texture was a 32-bit float one, and vtk.js made a new Float32Array
// for every slice it sent: 4 × the int16 volume of fresh memory in the page (315 MB for 512² × 300,
// each megabyte faulted in page by page: 1.0 s of the page's main thread here) and twice the volume
// in the GPU process (allocating it took 0.8–1.0 s there before the first slice could be drawn).
// Now such a texture holds 16-bit floats (R16F, filterable in WebGL2): the volume's own size, exact
// for every value within ±2048 (all of CT's usual range; above, the step is 2 HU up to 4096), which
// only the drawn slices use (the HU probe and every mask read the int16 volume itself). Its slices
// are converted through a table into one slice-sized buffer: texSubImage3D copies its data before
// it returns (WebGL), so that buffer can carry every slice.
//
// vtk.js freezes each object once made, so the texture's methods are replaced where textures are
// made: Cornerstone's streaming texture extends vtk.js's OpenGL texture through this module's `extend`.
import vtkOpenGLTexture from '@kitware/vtk.js/Rendering/OpenGL/Texture';
import { int16ToHalf } from './halfFloat';

type Convert = (dataType: string, data: (ArrayLike<number> | null)[], depth?: boolean, imageExtents?: unknown[]) => (ArrayLike<number> | null)[];

interface TextureApi {
  isA(className: string): boolean;
  create3DFromRaw(args: { dataType: string }): boolean;
  updateArrayDataTypeForGL: Convert;
  getOpenGLDataType(): number | undefined;
  getWidth(): number;
  getHeight(): number;
  getComponents(): number;
}

/** The fields of vtk.js's texture model read or set here. */
interface TextureModel {
  oglNorm16Ext: unknown;
  enableUseHalfFloat: boolean;
  canUseHalfFloat: boolean;
}

/** Cornerstone's per-slice volume texture (its class name in vtk.js). */
const STREAMING_TEXTURE = 'vtkStreamingOpenGLTexture';

let installed = false;

/**
 * From now on, every Cornerstone volume texture of int16 values is a half-float one when there is no
 * EXT_texture_norm16, and takes each slice through one reused buffer. Every other texture and upload
 * (norm16, a whole volume at once, extents, a slice of another size, vtk.js's other textures) goes
 * through vtk.js unchanged. Idempotent.
 */
export function sixteenBitSlices(): void {
  if (installed) return;
  installed = true;
  const target = vtkOpenGLTexture as unknown as { extend: (publicAPI: TextureApi, model: TextureModel, initialValues?: object) => void };
  const extend = target.extend;
  target.extend = (publicAPI, model, initialValues = {}) => {
    extend(publicAPI, model, initialValues);
    const create3DFromRaw = publicAPI.create3DFromRaw;
    // Cornerstone sets the norm16 extension (or null), turns half floats off (its own choice of
    // accuracy over size for every texture) and resets the format just before this.
    publicAPI.create3DFromRaw = (args) => {
      if (publicAPI.isA(STREAMING_TEXTURE) && args.dataType === 'Int16Array' && !model.oglNorm16Ext) model.enableUseHalfFloat = model.canUseHalfFloat = true;
      return create3DFromRaw(args);
    };
    const convert = publicAPI.updateArrayDataTypeForGL;
    let halves: Uint16Array | null = null;
    let floats: Float32Array | null = null;
    publicAPI.updateArrayDataTypeForGL = (dataType, data, depth = false, imageExtents = []) => {
      const slice = data.length === 1 ? data[0] : null;
      const values = publicAPI.getWidth() * publicAPI.getHeight() * publicAPI.getComponents();
      const plain = !depth && imageExtents.length === 0 && slice !== null && slice.length === values && publicAPI.isA(STREAMING_TEXTURE);
      const type = publicAPI.getOpenGLDataType();
      if (plain && type === WebGL2RenderingContext.HALF_FLOAT && slice instanceof Int16Array) {
        if (halves?.length !== values) halves = new Uint16Array(values);
        int16ToHalf(slice, halves);
        return [halves];
      }
      if (plain && type === WebGL2RenderingContext.FLOAT && !(slice instanceof Float32Array)) {
        if (floats?.length !== values) floats = new Float32Array(values);
        floats.set(slice);
        return [floats];
      }
      return convert(dataType, data, depth, imageExtents);
    };
  };
}
