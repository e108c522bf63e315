import { bedText, CUSTOM, DEFAULT_CUSTOM, PRINTERS, type Printer } from './printers';

interface Props {
  printer: Printer;
  onPrinter: (p: Printer) => void;
}

const FIELDS = [
  { label: 'Bed width (mm)', get: (p: Printer) => p.bedMm[0], set: (p: Printer, v: number): Printer => ({ ...p, bedMm: [v, p.bedMm[1], p.bedMm[2]] }) },
  { label: 'Bed depth (mm)', get: (p: Printer) => p.bedMm[1], set: (p: Printer, v: number): Printer => ({ ...p, bedMm: [p.bedMm[0], v, p.bedMm[2]] }) },
  { label: 'Bed height (mm)', get: (p: Printer) => p.bedMm[2], set: (p: Printer, v: number): Printer => ({ ...p, bedMm: [p.bedMm[0], p.bedMm[1], v] }) },
  { label: 'Minimum wall (mm)', get: (p: Printer) => p.minWallMm, set: (p: Printer, v: number): Printer => ({ ...p, minWallMm: v }) },
];

/** The printer: a known machine (its bed and minimum wall shown) or "Custom" with its own numbers. */
export function PrinterChoice({ printer, onPrinter }: Props) {
  const custom = printer.id === CUSTOM;
  return (
    <div className="printer-choice">
      <label className="field">
        <span>Printer</span>
        <select
          aria-label="Printer"
          value={printer.id}
          onChange={(e) => {
            const id = e.currentTarget.value;
            // Custom starts from the machine chosen before, so its numbers are a sensible start
            onPrinter(PRINTERS.find((p) => p.id === id) ?? { ...DEFAULT_CUSTOM, technology: printer.technology, bedMm: printer.bedMm, minWallMm: printer.minWallMm });
          }}
        >
          {PRINTERS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}, {bedText(p)}
            </option>
          ))}
          <option value={CUSTOM}>Custom</option>
        </select>
      </label>
      {custom ? (
        <div className="row">
          {FIELDS.map((f) => (
            <label key={f.label} className="field">
              <span>{f.label}</span>
              <input
                type="number"
                className="small-number"
                min={f.label.startsWith('Minimum') ? 0.1 : 10}
                max={2000}
                step={f.label.startsWith('Minimum') ? 0.1 : 1}
                defaultValue={f.get(printer)}
                onChange={(e) => {
                  const v = e.currentTarget.valueAsNumber;
                  if (Number.isFinite(v) && v > 0) onPrinter(f.set(printer, v));
                }}
              />
            </label>
          ))}
        </div>
      ) : (
        <p className="muted">
          {printer.technology}, bed {bedText(printer)}, minimum wall {printer.minWallMm} mm
        </p>
      )}
    </div>
  );
}
