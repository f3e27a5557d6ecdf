"""The Python anchor for `blocksparse sparsify`: onnx.load + numpy zeroing + onnx.save.

For every Conv/Gemm weight, zero the 50% of its 8x8 blocks (8 output x 8 input channels, whole
kernel) with the smallest L2 norm, then save the model. Run as a whole process:
`python3 block_sparsify.py model.onnx out.onnx`.
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def sparsify(w: np.ndarray, target: float) -> np.ndarray:
    shape = w.shape
    w = w.reshape(shape[0], shape[1], -1)
    cout, cin, k = w.shape
    po, pi = -cout % 8, -cin % 8
    p = np.pad(w, ((0, po), (0, pi), (0, 0))).reshape((cout + po) // 8, 8, (cin + pi) // 8, 8, k)
    norms = np.sqrt(np.sum(p.astype(np.float64) ** 2, axis=(1, 3, 4)))
    n = int(round(norms.size * target))
    if n == 0:
        return w.reshape(shape)
    cut = np.argsort(norms, axis=None, kind="stable")[:n]
    mask = np.ones(norms.size, dtype=bool)
    mask[cut] = False
    mask = mask.reshape(norms.shape)
    p = p * mask[:, None, :, None, None]
    return p.reshape(cout + po, cin + pi, k)[:cout, :cin].reshape(shape).astype(w.dtype)


def main(src: str, dst: str) -> None:
    model = onnx.load(src)
    inits = {t.name: t for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type not in ("Conv", "Gemm") or len(node.input) < 2:
            continue
        t = inits.get(node.input[1])
        if t is None:
            continue
        w = numpy_helper.to_array(t)
        if w.ndim < 2 or w.shape[1] < 8:
            continue
        t.CopyFrom(numpy_helper.from_array(sparsify(w, 0.5), t.name))
    onnx.save(model, dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
