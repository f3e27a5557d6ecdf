import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { moveIntoPlace, writeFileAtomic } from '../../../src/node/atomicWrite';
import { tempDir } from '../../support/tempDir';

describe('moveIntoPlace / writeFileAtomic (the new file takes the target’s place)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  it('replaces an existing file; a reader of the old one keeps reading the old bytes', () => {
    const target = tmp.file('out.onnx', 'old bytes');
    const reader = fs.openSync(target, 'r');
    try {
      writeFileAtomic(target, 'new bytes');
      assert.equal(fs.readFileSync(target, 'utf8'), 'new bytes');
      const b = Buffer.alloc(9);
      fs.readSync(reader, b, 0, 9, 0);
      assert.equal(b.toString(), 'old bytes');
    } finally {
      fs.closeSync(reader);
    }
    assert.deepEqual(fs.readdirSync(tmp.dir), ['out.onnx'], 'no temporary file left');
  });

  it('a symbolic link in the target’s place is replaced, the file it points at left alone', () => {
    const pointed = tmp.file('elsewhere.onnx', 'not mine');
    const target = path.join(tmp.dir, 'out.onnx');
    fs.symlinkSync(pointed, target);
    const part = tmp.file('part', 'new');
    moveIntoPlace(part, target);
    assert.ok(fs.lstatSync(target).isFile());
    assert.equal(fs.readFileSync(target, 'utf8'), 'new');
    assert.equal(fs.readFileSync(pointed, 'utf8'), 'not mine');
  });

  it('a folder in the target’s place is an error, and the folder and its files stay', () => {
    const target = path.join(tmp.dir, 'out.onnx');
    tmp.file('out.onnx/inside', 'kept');
    const part = tmp.file('part', 'new');
    assert.throws(() => moveIntoPlace(part, target));
    assert.equal(fs.readFileSync(path.join(target, 'inside'), 'utf8'), 'kept');
    assert.equal(fs.readFileSync(part, 'utf8'), 'new', 'the caller removes its temporary file');
  });
});
