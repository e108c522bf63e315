import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describedName, labelFileName, NameBook, sanitizeName } from './naming';

test("names as the app's modelFileName makes them: letters, digits, - and _, accents dropped, 60 characters", () => {
  assert.equal(sanitizeName('PANCREAS DI, iDose (3)', 'bone'), 'PANCREAS_DI_iDose_3_bone');
  assert.equal(sanitizeName('Tête  Crâne', 'iso400'), 'Tete_Crane_iso400');
  assert.equal(sanitizeName('', 'bone'), 'bone');
  assert.equal(sanitizeName('', ''), 'model');
  assert.equal(sanitizeName('x'.repeat(70)).length, 60);
  assert.equal(sanitizeName('__a b__'), 'a_b');
});

test('a NIfTI described by its path is named by its file name; label files go beside the output', () => {
  assert.equal(describedName('', '/data/nifti/ct_abdomen.nii.gz'), 'ct_abdomen');
  assert.equal(describedName('', 'C:\\scans\\head.nii'), 'head');
  assert.equal(describedName('', 'scans/case 7/'), 'case 7');
  assert.equal(describedName('', 'series.zip'), 'series');
  assert.equal(describedName('STD BRAIN 5MM', 'x.nii'), 'STD BRAIN 5MM');
  assert.equal(labelFileName('out/model.stl', 2, 41, 'rib left 7'), 'out/model_03_rib_left_7.stl');
  assert.equal(labelFileName('model.v2/out', 0, 3, 'liver'), 'model.v2/out_1_liver');
});

test('names within one run are unique (_2, _3 in the order asked, any case)', () => {
  const b = new NameBook();
  assert.deepEqual([b.reserve('bone', 'stl'), b.reserve('bone', 'stl'), b.reserve('BONE', 'stl'), b.reserve('bone', 'obj')], ['bone.stl', 'bone_2.stl', 'BONE_3.stl', 'bone.obj']);
});
