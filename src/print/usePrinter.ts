// The printer profile in use, remembered in local storage (see printers.ts).
import { useCallback, useState } from 'react';
import { readPrinter, STORAGE_KEY, writePrinter, type Printer } from './printers';

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked: the first profile, not remembered
  }
}

export function usePrinter() {
  const [printer, set] = useState<Printer>(() => readPrinter(stored()));
  const setPrinter = useCallback((p: Printer) => {
    set(p);
    try {
      localStorage.setItem(STORAGE_KEY, writePrinter(p));
    } catch {
      // storage blocked or full: the choice holds for this visit
    }
  }, []);
  return { printer, setPrinter };
}
