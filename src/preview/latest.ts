// "Latest wins" for live work: while one run is in flight, new requests replace each other and only
// the newest starts when it finishes. Stale work is dropped, never queued.

export function latestOnly<A, R>(run: (args: A) => Promise<R>, onResult: (result: R, args: A) => void, onError: (e: unknown) => void) {
  let running = false;
  let pending: { args: A } | null = null;
  const start = (args: A) => {
    running = true;
    run(args)
      .then((r) => onResult(r, args), onError)
      .finally(() => {
        running = false;
        const next = pending;
        pending = null;
        if (next) start(next.args);
      });
  };
  return (args: A) => {
    if (running) pending = { args };
    else start(args);
  };
}
