import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFileName } from './modelFile';

test('file names are sanitised series descriptions', () => {
  assert.equal(modelFileName('PANCREAS DI, iDose (3)'), 'PANCREAS_DI_iDose_3.stl');
  assert.equal(modelFileName('Demo head phantom'), 'Demo_head_phantom.stl');
  assert.equal(modelFileName('  ../../etc/passwd  '), 'etc_passwd.stl');
  assert.equal(modelFileName('Crâne 3D'), 'Crane_3D.stl');
  assert.equal(modelFileName(''), 'model.stl');
  assert.equal(modelFileName('***'), 'model.stl');
  assert.equal(modelFileName('x'.repeat(100)).length, 64);
  assert.equal(modelFileName('Demo head phantom', '3mf', 'Bone (dicom2stl)'), 'Demo_head_phantom_Bone_dicom2stl.3mf');
  assert.equal(modelFileName('', 'obj', 'Skin'), 'Skin.obj');
});
