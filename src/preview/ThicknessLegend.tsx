// The wall-thickness map's legend over the 3D view: the colour bar in mm as printed, its ticks, the
// printer's minimum wall marked, and the same in words.
import { fmtLegendMm, legendGradient, type ThicknessLegend as Legend } from './thicknessColors';

export function ThicknessLegend({ legend, printer }: { legend: Legend; printer: string }) {
  const at = (mm: number) => `${(100 * Math.min(mm, legend.maxMm)) / legend.maxMm}%`;
  const range =
    legend.lowestMm === null ? 'nothing measured' : `${fmtLegendMm(legend.lowestMm)} to ${fmtLegendMm(legend.highestMm!)} mm`;
  return (
    <figure className="thickness-legend" aria-label="Wall thickness legend">
      <figcaption>Wall thickness, mm as printed</figcaption>
      <div
        className="thickness-bar"
        style={{ background: legendGradient(legend) }}
        role="img"
        aria-label={`Colour scale from 0 to ${fmtLegendMm(legend.maxMm)} mm or more, dark purple to yellow; red under ${fmtLegendMm(legend.minWallMm)} mm`}
      >
        <span className="thickness-min" style={{ left: at(legend.minWallMm) }} title={`minimum wall ${fmtLegendMm(legend.minWallMm)} mm`} />
      </div>
      <ol className="thickness-ticks" aria-hidden="true">
        {legend.ticks.map((t, i) => (
          <li key={t} style={{ left: at(t) }}>
            {fmtLegendMm(t)}
            {i === legend.ticks.length - 1 ? '+' : ''}
          </li>
        ))}
      </ol>
      <p className="thickness-text" data-testid="thickness-range">
        Measured {range}. <span className="thickness-red">Red</span>: under the {fmtLegendMm(legend.minWallMm)} mm minimum wall of the {printer}
        {legend.unmeasured > 0 ? `; grey: not measured (${legend.unmeasured.toLocaleString('en-US')} vertices)` : ''}.
      </p>
    </figure>
  );
}
