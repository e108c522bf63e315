import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stlFileName } from './stlFile';

test('file names are sanitised series descriptions', () => {
  assert.equal(stlFileName('PANCREAS DI, iDose (3)'), 'PANCREAS_DI_iDose_3.stl');
  assert.equal(stlFileName('Demo head phantom'), 'Demo_head_phantom.stl');
  assert.equal(stlFileName('  ../../etc/passwd  '), 'etc_passwd.stl');
  assert.equal(stlFileName('Crâne 3D'), 'Crane_3D.stl');
  assert.equal(stlFileName(''), 'model.stl');
  assert.equal(stlFileName('***'), 'model.stl');
  assert.equal(stlFileName('x'.repeat(100)).length, 64);
});
