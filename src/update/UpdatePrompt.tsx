// "A new version is ready": shown when the service worker has a newer build waiting. Reloading is the
// user's choice, so a scan or a model in progress is never thrown away by an update.
import { useSyncExternalStore } from 'react';

let apply: (() => void) | null = null;
const listeners = new Set<() => void>();
const set = (next: (() => void) | null) => {
  apply = next;
  listeners.forEach((l) => l());
};

/** Offers the update; `reload` activates the waiting build and reloads the page. */
export const offerUpdate = (reload: () => void) => set(reload);

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function UpdatePrompt() {
  const reload = useSyncExternalStore(subscribe, () => apply);
  if (!reload) return null;
  return (
    <div
      role="region"
      aria-label="New version"
      style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 1000, display: 'flex', gap: 8, alignItems: 'center', padding: '8px 12px', borderRadius: 6, background: '#2a2f3a', color: '#eee', boxShadow: '0 2px 8px #0008' }}
    >
      <span>A new version of the app is ready.</span>
      <button type="button" onClick={reload}>
        Reload to update
      </button>
      <button type="button" onClick={() => set(null)}>
        Later
      </button>
    </div>
  );
}
