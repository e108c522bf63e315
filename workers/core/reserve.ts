// Memory set aside for the next build and mapped while the page is idle. Every build's arrays are new
// memory, and the OS maps new memory a page at a time at its first write: 10–16 µs a page on the
// 2-core machine here, which on the 157 Mvox phantom was 112,000 faults, about 1.5 s of CPU inside
// the build, and they scale badly over threads (bench/threadScaling.ts: 1.70× on two). A reserve is one
// buffer of the size the build will take (meshEstimate.ts reserveBytes), its pages mapped ahead on
// idle workers (mapPages: a write access per page that changes no value, safe beside a build that
// has started writing there); the build's arena (memory.ts) then draws from it first.
import { memoryOf, sharedMemory, wasmMemory, type Alloc } from './memory';

/** Bytes of a memory page. */
const PAGE = 4096;

export class MemoryReserve {
  readonly buffer: SharedArrayBuffer;
  /** next free byte of the build holding it */
  private next = 0;
  /** bytes from the start that a build has had (not known to be zero any more) */
  private dirty = 0;
  private held = false;
  /** opens so far: an allocator of an earlier open stops drawing from here */
  private opens = 0;
  /** what the last build took from it, and what it took beyond it (fresh memory) */
  used = 0;
  overflow = 0;

  /**
   * A WebAssembly memory where one can be had (see memory.ts wasmMemory), so that the kernels
   * (wasm/kernels.ts) work on the arrays drawn from it; else plain shared memory.
   */
  constructor(bytes: number) {
    const size = Math.max(0, bytes);
    this.buffer = (wasmMemory(size)?.buffer as SharedArrayBuffer | undefined) ?? new SharedArrayBuffer(Math.ceil(size / PAGE) * PAGE);
  }

  get bytes(): number {
    return this.buffer.byteLength;
  }

  /** Views over the whole buffer, `chunkBytes` (whole pages) each, for mapPages on the workers. */
  chunks(chunkBytes: number): Int16Array[] {
    const step = Math.max(PAGE, Math.floor(chunkBytes / PAGE) * PAGE);
    const out: Int16Array[] = [];
    for (let at = 0; at < this.bytes; at += step) out.push(new Int16Array(this.buffer, at, Math.min(step, this.bytes - at) / 2));
    return out;
  }

  /**
   * The memory of one build: zeroed regions from here in order (8-byte aligned) while it lasts, then
   * from `fresh`. Null while another build holds the reserve (until its close()).
   */
  open(fresh: Alloc = sharedMemory): Alloc | null {
    if (this.held) return null;
    this.held = true;
    const open = ++this.opens;
    this.next = 0;
    this.used = 0;
    this.overflow = 0;
    const kernels = memoryOf(this.buffer) !== null;
    return (bytes, kernel) => {
      const at = this.next;
      const current = this.held && open === this.opens;
      if (!current || at + bytes > this.bytes || (kernel && !kernels)) {
        if (current) this.overflow += bytes;
        return fresh(bytes, kernel);
      }
      this.next = Math.ceil((at + bytes) / 8) * 8;
      this.used = this.next;
      // (a build before left its values there)
      if (at < this.dirty) new Uint8Array(this.buffer, at, Math.min(bytes, this.dirty - at)).fill(0);
      return { buffer: this.buffer, byteOffset: at };
    };
  }

  /** The build that opened it uses none of its memory any more (its arrays, and any measurement still reading them). */
  close(): void {
    if (!this.held) return;
    this.held = false;
    this.dirty = Math.max(this.dirty, this.next);
  }

  /** Whether a build holds it now. */
  get busy(): boolean {
    return this.held;
  }
}
