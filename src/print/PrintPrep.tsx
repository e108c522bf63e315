import { PrintabilityReport } from '../export/PrintabilityReport';
import type { MeshFormat } from '../../workers/core/writers';
import type { DeviationShown, Model } from '../model/useModel';
import { PrinterChoice } from './PrinterChoice';
import type { Printer } from './printers';
import type { usePrintPrep } from './usePrintPrep';

interface Props {
  model: Model;
  /** the model's deviation, once measured (see useModel) */
  deviationMm: DeviationShown;
  printer: Printer;
  onPrinter: (p: Printer) => void;
  prep: ReturnType<typeof usePrintPrep>;
  format: MeshFormat;
  fileBytes: number | null;
  scalePercent: number;
  /** ticks "Fill enclosed cavities" (the one-click fix the report offers for unwanted voids) */
  onFillCavities: () => void;
  /** the file's drain holes (null: none drilled) */
  drained?: { voidsBefore: number; voidsAfter: number } | null;
}

/** The printability report of the model as it will be written for the printer, then the printer (its choice follows the report). */
export function PrintPrep({ model, deviationMm, printer, onPrinter, prep, format, fileBytes, scalePercent, onFillCavities, drained }: Props) {
  const r = model.result;
  return (
    <>
      {prep.error && (
        <p className="error" role="alert">
          {prep.error}
        </p>
      )}
      <PrintabilityReport
        report={r.report}
        deviationMm={deviationMm}
        fileBytes={fileBytes}
        format={format}
        printer={printer}
        scalePercent={scalePercent}
        size={prep.current?.size ?? null}
        firstLayer={prep.current ? { mm2: prep.current.firstLayerMm2, holds: prep.current.firstLayerHolds } : null}
        pieces={prep.facts?.pieces ?? null}
        walls={prep.facts?.walls ?? null}
        wallsCurrent={prep.wallsCurrent}
        wallsProgress={prep.wallsProgress}
        keepLargest={model.edit.keepLargest}
        hollow={r.hollow}
        hollowWallMm={model.refine.hollow?.wallMm ?? null}
        onFillCavities={model.edit.fillCavities ? undefined : onFillCavities}
        segments={model.segments}
        drained={drained}
      />
      <PrinterChoice printer={printer} onPrinter={onPrinter} />
    </>
  );
}
