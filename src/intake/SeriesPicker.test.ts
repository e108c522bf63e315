import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { SeriesChoice } from '../../workers/intake/choices';
import { choiceLabel, SeriesPicker } from './SeriesPicker';

const axial: SeriesChoice = {
  id: 'dicom-1', description: 'STD BRAIN 5MM', modality: 'CT', slices: 28, columns: 512, rows: 512, spacing: [0.451171875, 0.451171875, 5],
  volume: true, isDefault: true, chosen: true,
};
const localizer: SeriesChoice = {
  id: 'dicom-0', description: '', modality: 'CT', slices: 1, columns: 512, rows: 256, spacing: [0.9765625, 0.9765625, 0],
  volume: false, isDefault: false, chosen: false, why: 'localizer',
};
const nifti: SeriesChoice = {
  id: 'nifti-0', description: 'mr.nii.gz', modality: '', slices: 20, columns: 117, rows: 91, spacing: [3, 3, 3],
  volume: true, isDefault: false, chosen: false, why: 'smaller',
};
const render = (series: SeriesChoice[] | undefined, current?: string, busy = false) =>
  renderToStaticMarkup(createElement(SeriesPicker, { series, current, busy, onPick: () => {} }));

test('labels name the description, modality, slice count, matrix and spacing, and why a series is not a volume', () => {
  assert.equal(choiceLabel(axial), 'STD BRAIN 5MM, CT, 28 slices, 512 × 512, 0.45 × 0.45 × 5 mm');
  assert.equal(choiceLabel(localizer), 'Unnamed series, CT, 1 image, 512 × 256, 0.98 × 0.98 mm, not a volume: localizer');
  assert.equal(choiceLabel(nifti), 'mr.nii.gz, NIfTI, 20 slices, 117 × 91, 3 × 3 × 3 mm');
});

test('the list: one item per series, the current one marked, non-volumes disabled; hidden for one series', () => {
  const html = render([axial, nifti, localizer]);
  assert.match(html, /<ul aria-label="Series in this folder">/);
  assert.equal(html.match(/<li /g)?.length, 3);
  assert.equal(html.match(/aria-current="true"/g)?.length, 1);
  assert.match(html, /<button type="button" aria-label="STD BRAIN 5MM, CT, 28 slices[^"]*" aria-current="true"/);
  assert.match(html, /aria-label="Unnamed series[^"]*localizer"[^>]*disabled=""/);
  assert.doesNotMatch(html, /aria-label="mr.nii.gz[^"]*"[^>]*disabled/);
  // `current` overrides `chosen`; busy disables everything
  assert.match(render([axial, nifti], 'nifti-0'), /aria-label="mr.nii.gz[^"]*" aria-current="true"/);
  assert.equal(render([axial, nifti], undefined, true).match(/disabled=""/g)?.length, 2);
  assert.equal(render([axial]), '');
  assert.equal(render(undefined), '');
});
