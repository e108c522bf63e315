// Memory set aside for the next build and mapped while the page is idle. Every build's arrays are new
// memory, and the OS maps new memory a page at a time at its first write: 10–16 µs a page on the
// 2-core machine here, which on the 157 Mvox phantom was 112,000 faults, about 1.5 s of CPU inside
// the build, and they scale badly over threads (bench/threadScaling.ts: 1.70× on two). A reserve is one
// buffer of the size the build will take (meshEstimate.ts reserveBytes), its pages mapped ahead on
// idle workers (mapPages: a write access per page that changes no value, safe beside a build that
// has started writing there); the build's arena (memory.ts) then draws from it first.
//
// The buffer is a growable shared WebAssembly memory, so that the WebAssembly kernels (wasm/kernels.ts)
// work on every array of the build in place: a build that needs more than was set aside grows the same
// memory (new pages, mapped at their first write like any new memory). A build without a reserve set
// aside draws from one of none (pipeline.ts), which then only grows.
import { growMemory, plainMemory, sharedMemory, wasmMemory, type Alloc } from './memory';

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
  /** what the last build took from what was set aside, and what it took beyond (grown or fresh memory) */
  used = 0;
  overflow = 0;
  /** the WebAssembly memory (null where none can be had: plain shared memory, then fresh memory beyond it) */
  private readonly memory: WebAssembly.Memory | null;

  /** `bytes` set aside (whole pages: WebAssembly's where it has memory, else 4 KB ones). */
  constructor(bytes: number) {
    const size = Math.max(0, bytes);
    this.memory = wasmMemory(size, true);
    this.buffer = (this.memory?.buffer as SharedArrayBuffer | undefined) ?? new SharedArrayBuffer(Math.ceil(size / PAGE) * PAGE);
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
   * The memory of one build: zeroed regions from here in order (8-byte aligned), the memory grown when
   * they reach past its end; from `fresh` where it cannot grow (or is not WebAssembly's, for a kernel's
   * region). Null while another build holds the reserve (until its close()).
   */
  open(fresh: Alloc = sharedMemory): Alloc | null {
    if (this.held) return null;
    this.held = true;
    const open = ++this.opens;
    this.next = 0;
    this.used = 0;
    this.overflow = 0;
    return (bytes, kernel) => {
      const at = this.next;
      const current = this.held && open === this.opens;
      if (!current) return fresh(bytes, kernel);
      const buffer = at + bytes <= this.bytes ? this.buffer : this.memory && growMemory(this.memory, at + bytes);
      if (!buffer || (kernel && !this.memory)) {
        this.overflow += bytes;
        return fresh(bytes, kernel);
      }
      this.next = Math.ceil((at + bytes) / 8) * 8;
      this.used = Math.min(this.next, this.bytes);
      this.overflow += Math.max(0, at + bytes - Math.max(at, this.bytes));
      // (a build before left its values there)
      if (at < this.dirty) new Uint8Array(buffer, at, Math.min(bytes, this.dirty - at)).fill(0);
      return { buffer, byteOffset: at };
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

/**
 * Memory for one job of this thread: one WebAssembly memory that grows as the job asks (a reserve of
 * none), so the kernels reach all of it; plain memory where there is no WebAssembly memory to be had.
 */
export const growingMemory = (): Alloc => new MemoryReserve(0).open(plainMemory)!;
