// Memory every worker sees: the volume, masks and meshes live in SharedArrayBuffers, so no stage copies them.

/** Allocates memory that every worker can see (plain memory where SharedArrayBuffer is missing). */
export function sharedBytes(byteLength: number): ArrayBuffer | SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(byteLength) : new ArrayBuffer(byteLength);
}
