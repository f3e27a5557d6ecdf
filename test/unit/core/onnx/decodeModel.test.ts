import { strict as assert } from 'node:assert';
import { decodeModel } from '../../../../src/core/onnx/decodeModel';
import { resnetMini } from '../../../fixtures/models';
import { valueInfo } from '../../../fixtures/netBuilder';
import { Prng } from '../../../fixtures/prng';
import { encodeModel, metadataModel } from '../../../fixtures/specialModels';

function decodeError(bytes: Uint8Array) {
  const r = decodeModel(bytes);
  assert.equal(r.model, undefined);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].severity, 'error');
  return r.diagnostics[0];
}

describe('decodeModel', () => {
  it('reads model fields, opsets, doc strings, metadata_props and value_info', () => {
    const { model, diagnostics } = decodeModel(metadataModel());
    assert.ok(model);
    assert.deepEqual(diagnostics, []);
    assert.equal(model.irVersion, 10);
    assert.equal(model.producerName, 'pytorch');
    assert.equal(model.producerVersion, '2.5.0');
    assert.equal(model.docString, 'model doc');
    assert.deepEqual(model.opsetImports, [
      { domain: '', version: 18 },
      { domain: 'com.microsoft', version: 1 },
    ]);
    assert.deepEqual(model.metadata, [{ key: 'author', value: 'tests' }]);
    assert.equal(model.graph.docString, 'graph doc');
    const node = model.graph.nodes[0];
    assert.equal(node.docString, 'node doc');
    assert.deepEqual(node.metadata, [
      { key: 'pkg.torch.onnx.stack_trace', value: 'File "net.py", line 12' },
    ]);
    assert.deepEqual(model.graph.inputs[0].shape, ['batch', 8, 4, 4]);
    assert.deepEqual(model.graph.valueInfo[0].shape, ['batch', 8, 4, 4]);
    assert.deepEqual(node.attributes.get('kernel_shape'), { type: 'ints', value: [1, 1] });
  });

  it('keeps raw_data as a view into the file bytes (no copy)', () => {
    const bytes = resnetMini().bytes;
    const { model } = decodeModel(bytes);
    assert.ok(model);
    const w = model.graph.initializers.get('stem.conv.weight');
    assert.ok(w && w.storage.kind === 'raw');
    assert.equal(w.storage.bytes.buffer, bytes.buffer);
  });

  it('names unnamed nodes <op>_<index>', () => {
    const bytes = encodeModel({
      ir_version: 8,
      graph: {
        node: [{ op_type: 'Relu', input: ['x'], output: ['y'] }],
        input: [valueInfo('x', [1])],
      },
    });
    assert.equal(decodeModel(bytes).model?.graph.nodes[0].name, 'Relu_0');
  });

  it('reports int64 dims beyond 2^53 instead of rounding them', () => {
    const bytes = encodeModel({
      ir_version: 8,
      graph: { initializer: [{ name: 'w', data_type: 1, dims: ['9007199254740993'] }] },
    });
    const r = decodeModel(bytes);
    assert.ok(r.model);
    assert.ok(Number.isNaN(r.model.graph.initializers.get('w')?.dims[0]));
    assert.equal(r.diagnostics[0].code, 'BS1004');
  });

  it('an empty file is BS1002', () => {
    assert.equal(decodeError(new Uint8Array(0)).code, 'BS1002');
  });

  it('a truncated model is BS1001 naming truncation', () => {
    const bytes = resnetMini().bytes;
    for (const cut of [1, 100, Math.floor(bytes.length / 2), bytes.length - 3]) {
      const d = decodeError(bytes.subarray(0, cut));
      assert.ok(d.code === 'BS1001' || d.code === 'BS1003', `cut at ${cut}: ${d.code}`);
    }
  });

  it('random bytes are an error diagnostic, never an exception', () => {
    const rng = new Prng(99);
    for (let i = 0; i < 200; i++) {
      const bytes = new Uint8Array(1 + rng.int(4096)).map(() => rng.int(256));
      const r = decodeModel(bytes);
      if (!r.model) assert.equal(r.diagnostics[0].severity, 'error');
    }
  });

  it('a text file named .onnx says it looks like text', () => {
    const d = decodeError(
      new TextEncoder().encode('ir_version: 8\ngraph { node { op_type: "Relu" } }\n'),
    );
    assert.match(d.message, /text file/);
  });

  it('a protobuf without a graph is BS1003', () => {
    assert.equal(decodeError(encodeModel({ ir_version: 8 })).code, 'BS1003');
  });

  it('deeply nested subgraphs give BS1005, never a stack overflow', () => {
    // hand-encoded: GraphProto{ node { attribute { type: GRAPH, g: <graph> } } }, 300 deep (protobufjs stops at 100)
    const varint = (n: number) => {
      const out: number[] = [];
      while (n > 127) {
        out.push((n & 127) | 128);
        n = Math.floor(n / 128);
      }
      out.push(n);
      return out;
    };
    const field = (tag: number, body: number[]) => [tag, ...varint(body.length), ...body];
    let graph: number[] = [];
    for (let i = 0; i < 300; i++) {
      const attribute = [0xa0, 0x01, 0x05, ...field(0x32, graph)]; // type (20) = 5, g (6)
      graph = field(0x0a, field(0x2a, attribute)); // node (1) { attribute (5) }
    }
    const model = new Uint8Array([0x08, 0x08, ...field(0x3a, graph)]); // ir_version, graph (7)
    assert.equal(decodeError(model).code, 'BS1005');
  });

  it('a STRING / STRINGS attribute without its bytes reads as empty text (fuzz find)', () => {
    // protobufjs gives an unset bytes field a plain [] default, which TextDecoder refused
    const bytes = encodeModel({
      ir_version: 8,
      graph: {
        node: [
          {
            name: 'n',
            op_type: 'Relu',
            input: ['x'],
            output: ['y'],
            attribute: [
              { name: 'mode', type: 3, i: 5 },
              { name: 'modes', type: 8 },
            ],
          },
        ],
        input: [valueInfo('x', [1, 4])],
      },
    });
    const r = decodeModel(bytes);
    const attrs = r.model?.graph.nodes[0].attributes;
    assert.deepEqual(attrs?.get('mode'), { type: 'string', value: '' });
    assert.deepEqual(attrs?.get('modes'), { type: 'strings', value: [] });
  });
});
