// Keyboard shortcuts for the whole flow (load → choose → build → export), listed in the page.
import { useEffect, useRef } from 'react';

export interface ShortcutActions {
  openFiles?: () => void;
  openFolder?: () => void;
  make?: () => void;
  download?: () => void;
  cancel?: () => void;
  step?: (n: number) => void;
  help?: () => void;
}

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'O', what: 'Open files' },
  { keys: 'F', what: 'Open a folder' },
  { keys: '1 – 4', what: 'Go to a step: load, choose, build, export' },
  { keys: 'M', what: 'Make the 3D model' },
  { keys: 'D', what: 'Download the model' },
  { keys: 'Esc', what: 'Cancel loading or the build' },
  { keys: 'Ctrl+Z', what: 'Undo' },
  { keys: 'Ctrl+Shift+Z', what: 'Redo' },
  { keys: 'Tab', what: 'Move between controls; arrow keys move sliders and histogram handles' },
  { keys: '?', what: 'Show or hide this list' },
];

/** Whether a key press belongs to a field the user is typing in (then single keys are not shortcuts). */
function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  return el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'file', 'range'].includes((el as HTMLInputElement).type);
}

export function useShortcuts(actions: ShortcutActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = ref.current;
      if (e.key === 'Escape') {
        if (a.cancel) {
          a.cancel();
          e.preventDefault();
        }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const k = e.key;
      const run = (f?: () => void) => {
        if (!f) return;
        f();
        e.preventDefault();
      };
      if (k === 'o' || k === 'O') run(a.openFiles);
      else if (k === 'f' || k === 'F') run(a.openFolder);
      else if (k === 'm' || k === 'M') run(a.make);
      else if (k === 'd' || k === 'D') run(a.download);
      else if (k === '?') run(a.help);
      else if (k >= '1' && k <= '4' && a.step) run(() => a.step!(Number(k)));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function ShortcutList({ onClose }: { onClose: () => void }) {
  return (
    <div className="shortcuts" role="dialog" aria-label="Keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map((s) => (
          <div key={s.keys}>
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{s.what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button secondary" onClick={onClose} autoFocus>
        Close
      </button>
    </div>
  );
}
