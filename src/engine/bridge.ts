// One bridge per worker: starts it on first use, names it, runs calls on it, and aborts them by
// terminating it (a computation in a worker cannot be interrupted any other way), or renews it once
// it is idle; the next call starts a fresh worker. A pool is a row of bridges that abort together.
import { wrap, type Endpoint, type Remote } from 'comlink';

/** Rejection of every call that was running on a bridge when it was aborted. */
export class Aborted extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'Aborted';
  }
}

export interface BridgeOptions {
  /** shown in the browser's task manager and in error messages */
  name: string;
  /** makes the worker: `new Worker(new URL(…), { type: 'module', name })` (a literal URL, for the bundler) */
  start: (name: string) => Worker;
  /** where comlink talks to it; the worker itself unless its script listens elsewhere (see decode.worker.ts) */
  connect?: (worker: Worker) => Endpoint;
}

export class WorkerBridge<T> {
  readonly name: string;
  #options: BridgeOptions;
  #worker: Worker | null = null;
  #remote: Remote<T> | null = null;
  /** settles (rejects) when the current worker fails to start or is aborted */
  #ended: Promise<never> | null = null;
  #end: ((e: Error) => void) | null = null;
  /** calls in flight through run() or held() (of any worker this bridge started), and whether to stop the worker once there are none */
  #running = 0;
  #renewing = false;

  constructor(options: BridgeOptions) {
    this.name = options.name;
    this.#options = options;
  }

  /** The worker's API; starts the worker on first use. Calls made through it are not abortable: use run(). */
  get remote(): Remote<T> {
    if (!this.#remote) {
      const worker = this.#options.start(this.name);
      this.#ended = new Promise<never>((_, reject) => {
        this.#end = reject;
      });
      this.#ended.catch(() => {}); // observed by run()
      worker.addEventListener('error', (e) => this.#end?.(new Error(`the ${this.name} worker failed (${e.message || 'script error'})`)));
      this.#worker = worker;
      this.#remote = wrap<T>(this.#options.connect?.(worker) ?? worker);
    }
    return this.#remote;
  }

  /** Whether a worker is running (started and not aborted since). */
  get started(): boolean {
    return this.#worker !== null;
  }

  /** Rejects when the current worker fails or is aborted (starts the worker). */
  get failure(): Promise<never> {
    void this.remote;
    return this.#ended!;
  }

  /** Runs `call` on this worker; rejects as soon as the worker fails or abort() is called. */
  run<R>(call: (api: Remote<T>) => Promise<R>): Promise<R> {
    const api = this.remote;
    return this.held(Promise.race([call(api), this.#ended!]));
  }

  /** `work` (running on this worker) counted as a call in flight until it settles: see renew(). */
  held<R>(work: Promise<R>): Promise<R> {
    this.#running++;
    const release = () => {
      if (--this.#running === 0 && this.#renewing) this.abort(`${this.name}: renewed`);
    };
    work.then(release, release);
    return work;
  }

  /**
   * Stops the worker as soon as no call made through run() or held() is in flight (at once if none
   * is), so no call is cut off; the next call starts a fresh worker.
   */
  renew(): void {
    if (!this.#worker) return;
    if (this.#running === 0) this.abort(`${this.name}: renewed`);
    else this.#renewing = true;
  }

  /** Stops whatever the worker is doing (terminates it); calls running through run() reject with Aborted. */
  abort(why = `${this.name}: stopped`): void {
    if (!this.#worker) return;
    this.#worker.terminate();
    this.#renewing = false;
    this.#end?.(new Aborted(why));
    this.#worker = null;
    this.#remote = null;
    this.#ended = null;
    this.#end = null;
  }
}

/** Workers of one kind, started together, aborted together. */
export class WorkerPool<T> {
  readonly bridges: WorkerBridge<T>[];

  constructor(size: number, options: Omit<BridgeOptions, 'name'> & { name: string }) {
    this.bridges = Array.from({ length: size }, (_, i) => new WorkerBridge<T>({ ...options, name: `${options.name}-${i}` }));
  }

  get size(): number {
    return this.bridges.length;
  }

  /** Every worker's API (started now). */
  remotes(): Remote<T>[] {
    return this.bridges.map((b) => b.remote);
  }

  /**
   * Runs `work` over the whole pool (e.g. the mesh pipeline, which spreads its calls over the
   * workers itself); rejects as soon as a worker fails or the pool is aborted.
   */
  run<R>(work: (apis: Remote<T>[]) => Promise<R>): Promise<R> {
    const apis = this.remotes();
    return this.held(Promise.race([work(apis), this.failure]));
  }

  /** `work` (running on the pool's workers) counted as a call in flight on each until it settles: see renew(). */
  held<R>(work: Promise<R>): Promise<R> {
    for (const b of this.bridges) b.held(work);
    return work;
  }

  /** Rejects when one of the workers running now fails or the pool is aborted (starts the workers). */
  get failure(): Promise<never> {
    return Promise.race(this.bridges.map((b) => b.failure));
  }

  abort(why?: string): void {
    for (const b of this.bridges) b.abort(why);
  }

  /** Every worker stopped once idle, and started afresh on its next call (see WorkerBridge.renew). */
  renew(): void {
    for (const b of this.bridges) b.renew();
  }
}

/** Workers a pool gets: one per core, at most 8 (each holds its own heap). */
export const POOL_SIZE = Math.max(1, Math.min(globalThis.navigator?.hardwareConcurrency || 2, 8));
