"""The Python anchor for `blocksparse analyze`: onnx.load + a numpy scan of 8x8 blocks.

What an engineer would write with the usual tools: load the model, and for every Conv/Gemm
weight count the 8 output x 8 input channel blocks (whole kernel) that are all zero; print one
line per layer and the totals. Run as a whole process: `python3 block_scan.py model.onnx`.
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def blocks(w: np.ndarray, transpose: bool) -> tuple[int, int]:
    if transpose:  # Gemm / MatMul weight [in, out] -> [out, in]
        w = w.T
    w = w.reshape(w.shape[0], w.shape[1], -1)
    cout, cin, k = w.shape
    po, pi = -cout % 8, -cin % 8
    if po or pi:
        w = np.pad(w, ((0, po), (0, pi), (0, 0)))
    nz = np.any(w.reshape((cout + po) // 8, 8, (cin + pi) // 8, 8, k) != 0, axis=(1, 3, 4))
    return nz.size, int(nz.size - np.count_nonzero(nz))


def main(path: str) -> None:
    model = onnx.load(path)
    inits = {t.name: t for t in model.graph.initializer}
    total = zero = 0
    for node in model.graph.node:
        if node.op_type not in ("Conv", "Gemm", "MatMul") or len(node.input) < 2:
            continue
        t = inits.get(node.input[1])
        if t is None:
            continue
        w = numpy_helper.to_array(t)
        if w.ndim < 2:
            continue
        trans_b = any(a.name == "transB" and a.i == 1 for a in node.attribute)
        n, z = blocks(w, node.op_type != "Conv" and not trans_b)
        total += n
        zero += z
        print(f"{node.name}\t{node.op_type}\t{list(w.shape)}\t{z}/{n}\t{z / n:.1%}")
    print(f"total\t{zero}/{total} blocks zero ({zero / max(total, 1):.1%})")


if __name__ == "__main__":
    main(sys.argv[1])
