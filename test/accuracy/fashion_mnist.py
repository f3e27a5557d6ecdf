"""The paper's accuracy experiment in miniature: a small CNN on Fashion-MNIST (Debian's
dataset-fashion-mnist IDX files), trained, exported, and fine-tuned with Block Sparse Studio's
masks through the fine-tuning kit. Driven step by step by test/accuracy/accuracy.test.ts:

    python3 fashion_mnist.py train OUT                 dense.pt, dense.onnx, test_x.npy, test_y.npy
    python3 fashion_mnist.py finetune OUT MASKS NAME   NAME.onnx after fine-tuning with MASKS held
                                                       (MASKS "none": the same epochs, no masks)

Each step prints one JSON line with PyTorch's top-1 on the 10,000 test images. Fixed seeds.
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

DATA = os.environ.get("FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
TRAIN = 12000  # training subset: a couple of minutes on 2 cores
EPOCHS = 5
FINETUNE_EPOCHS = 3
LR = 2e-3
FINETUNE_LR = float(os.environ.get("FINETUNE_LR", "0.25"))  # x the base rate

torch.manual_seed(0)
torch.set_num_threads(2)


def idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 1, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)


def load():
    x = idx("train-images-idx3-ubyte.gz")[:TRAIN].astype(np.float32) / 255.0
    y = idx("train-labels-idx1-ubyte.gz")[:TRAIN]
    tx = idx("t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    ty = idx("t10k-labels-idx1-ubyte.gz")
    return torch.from_numpy(x), torch.from_numpy(y), tx, ty


class Net(nn.Module):
    """Channel counts multiples of 8 (whole 8x8 blocks); the 1-channel stem is not sparsified."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(64, 64, 3, stride=2, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        x = torch.relu(self.conv3(x))
        x = torch.flatten(x, 1)
        return self.fc2(torch.relu(self.fc1(x)))


def train(model, x, y, epochs, lr):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(1)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 64):
            b = order[i:i + 64]
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[b]), y[b]).backward()
            opt.step()


def top1(model, tx, ty):
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(torch.from_numpy(tx[i:i + 500])).argmax(1) for i in range(0, len(tx), 500)])
    return float((pred.numpy() == ty).mean())


def export(model, path):
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, input_names=["image"],
                      output_names=["logits"], dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}},
                      opset_version=13)


def main():
    step, out = sys.argv[1], sys.argv[2]
    x, y, tx, ty = load()
    if step == "train":
        model = Net()
        train(model, x, y, EPOCHS, LR)
        torch.save(model.state_dict(), os.path.join(out, "dense.pt"))
        export(model, os.path.join(out, "dense.onnx"))
        np.save(os.path.join(out, "test_x.npy"), tx)
        np.save(os.path.join(out, "test_y.npy"), ty)
        print(json.dumps({"top1": top1(model, tx, ty)}))
    elif step == "finetune":
        masks, name = sys.argv[3], sys.argv[4]
        sys.path.insert(0, os.environ["BLOCKSPARSE_KIT"])
        import blocksparse_finetune as bsf

        model = Net()
        model.load_state_dict(torch.load(os.path.join(out, "dense.pt")))
        # "none": the same fine-tuning without masks, the fair dense reference
        applied = bsf.apply_masks(model, masks) if masks != "none" else []
        before = bsf.block_sparsity(model)["__total__"]
        train(model, x, y, FINETUNE_EPOCHS, LR * FINETUNE_LR)
        after = bsf.block_sparsity(model)
        finalize = bsf.finalize(model)
        export(model, os.path.join(out, f"{name}.onnx"))
        print(json.dumps({"top1": top1(model, tx, ty), "applied": applied, "finalized": finalize,
                          "before": before, "after": after}))
    else:
        raise SystemExit(f"unknown step {step}")


if __name__ == "__main__":
    main()
