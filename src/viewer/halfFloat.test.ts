import { test } from 'node:test';
import assert from 'node:assert/strict';
import { halfBits, int16ToHalf } from './halfFloat';

/** The number binary16 bits stand for (normal numbers and zero: all an int16 can give). */
const valueOf = (h: number) => {
  const sign = h & 0x8000 ? -1 : 1, e = (h >> 10) & 31, m = h & 1023;
  return e === 0 ? sign * m * 2 ** -24 : sign * (1 + m / 1024) * 2 ** (e - 15);
};

test('every int16 goes to its nearest half, ties to the even one; ±2048 and below exactly', () => {
  for (let v = -32768; v <= 32767; v++) {
    const h = halfBits(v);
    const x = valueOf(h);
    if (Math.abs(v) <= 2048) assert.equal(x, v, `${v}`);
    // the neighbouring halves (same sign) are no nearer, and a tie went to the even mantissa
    for (const n of [h - 1, h + 1]) {
      if ((n & 0x7c00) === 0x7c00 || (n & 0x8000) !== (h & 0x8000) || (n & 0x7fff) === 0x7fff) continue;
      const d = Math.abs(valueOf(n) - v), mine = Math.abs(x - v);
      assert.ok(mine < d || (mine === d && (h & 1) === 0), `${v}: ${x} against ${valueOf(n)}`);
    }
  }
  assert.equal(valueOf(halfBits(3071)), 3072);
  assert.equal(valueOf(halfBits(2049)), 2048); // the tie 2049 goes to the even 2048
  assert.equal(valueOf(halfBits(2051)), 2052);
  assert.equal(valueOf(halfBits(-32768)), -32768);
  assert.equal(valueOf(halfBits(32767)), 32768);
});

test('a slice converts through the table as value by value', () => {
  const src = Int16Array.from([-32768, -1024, -1, 0, 1, 300, 2049, 32767]);
  const dst = new Uint16Array(src.length);
  int16ToHalf(src, dst);
  assert.deepEqual([...dst], [...src].map(halfBits));
});
