"""Fine-tune a PyTorch model with Block Sparse Studio's 8x8 block masks held fixed.

The paper's recipe ("Weight Block Sparsity: Training, Compilation, and AI Engine Accelerators",
D'Alberto et al., 2024): compute the block mask once from the dense model, zero the blocks, and
fine-tune with the mask fixed. This module needs only torch (1.10 or newer).

    import blocksparse_finetune as bsf
    bsf.apply_masks(model, "masks.safetensors")   # every masked weight is weight_orig * mask
    ...train as usual; a zeroed block stays zero whatever the optimizer does...
    print(bsf.block_sparsity(model))               # the achieved 8x8 block sparsity
    bsf.finalize(model)                            # bake the masks in, before torch.onnx.export

The masks come from `blocksparse masks model.onnx --out masks.safetensors` or
`blocksparse sparsify model.onnx --masks-out masks.safetensors`: one uint8 0/1 tensor per
layer in the shape of its PyTorch weight, keyed `<module path>.weight_mask`.
"""
import json
import struct

import torch
from torch.nn.utils import prune

MASK_FORMAT = "blocksparse.masks/1"
_DTYPES = {"U8": torch.uint8, "I8": torch.int8, "F32": torch.float32, "F16": torch.float16,
           "I64": torch.int64}


def load_masks(path):
    """The masks of a safetensors file as {key: uint8 tensor}, and its metadata."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    if metadata.get("format") != MASK_FORMAT:
        raise ValueError(f"{path} is not a Block Sparse Studio mask file "
                         f"(format {metadata.get('format')!r}, expected {MASK_FORMAT!r})")
    body = data[8 + n:]
    masks = {}
    for key, entry in header.items():
        begin, end = entry["data_offsets"]
        t = torch.frombuffer(bytearray(body[begin:end]), dtype=_DTYPES[entry["dtype"]])
        masks[key] = t.reshape(entry["shape"])
    return masks, metadata


def _module_path(key, names):
    if names and key in names:
        return names[key]
    if key.endswith(".weight_mask"):
        return key[: -len(".weight_mask")]
    raise KeyError(f"mask {key!r} names an ONNX initializer, not a PyTorch module: "
                   f"pass names={{{key!r}: 'the.module.path'}}")


def apply_masks(model, path, names=None, strict=True):
    """Attaches every mask of the file to its module's weight with prune.custom_from_mask.

    The forward pass then computes weight = weight_orig * weight_mask every step, so a zeroed
    block stays zero through fine-tuning. `names` maps keys that are ONNX initializer names to
    module paths. With strict=False, masks whose module is missing are skipped. Returns the
    module paths that were masked.
    """
    masks, _ = load_masks(path)
    applied = []
    for key, mask in masks.items():
        target = _module_path(key, names)
        try:
            module = model.get_submodule(target)
        except AttributeError as e:
            if strict:
                raise KeyError(f"mask {key!r}: the model has no module {target!r}") from e
            continue
        weight = getattr(module, "weight", None)
        if weight is None:
            raise ValueError(f"mask {key!r}: module {target!r} ({type(module).__name__}) has no weight")
        if tuple(weight.shape) != tuple(mask.shape):
            raise ValueError(f"mask {key!r}: module {target!r} has a weight of shape "
                             f"{tuple(weight.shape)}, the mask is {tuple(mask.shape)}")
        prune.custom_from_mask(module, "weight", mask.to(device=weight.device, dtype=weight.dtype))
        applied.append(target)
    return applied


def _block_counts(weight, groups, block):
    """(zero blocks, blocks) of a weight [Cout, Cin/groups, k...] or a Linear [out, in]."""
    out_b, in_b = block
    w = weight.detach().reshape(weight.shape[0], weight.shape[1], -1).abs().sum(dim=2)
    cout, cin = w.shape
    per_group = cout // groups
    zero = total = 0
    for g in range(groups):
        wg = w[g * per_group:(g + 1) * per_group]
        rows = -(-per_group // out_b)
        cols = -(-cin // in_b)
        padded = torch.zeros(rows * out_b, cols * in_b, dtype=wg.dtype, device=wg.device)
        padded[:per_group, :cin] = wg
        blocks = padded.reshape(rows, out_b, cols, in_b).sum(dim=(1, 3))
        zero += int((blocks == 0).sum())
        total += rows * cols
    return zero, total


def block_sparsity(model, block=(8, 8)):
    """The achieved block sparsity of every Conv and Linear, from the live (masked) weights:
    {module path: zero-block fraction} plus "__total__" over all of them."""
    result = {}
    zero_all = total_all = 0
    for name, module in model.named_modules():
        if isinstance(module, (torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d, torch.nn.Linear)):
            groups = getattr(module, "groups", 1)
            zero, total = _block_counts(module.weight, groups, block)
            result[name] = zero / total if total else 0.0
            zero_all += zero
            total_all += total
    result["__total__"] = zero_all / total_all if total_all else 0.0
    return result


def finalize(model):
    """Makes the masks permanent (prune.remove): call it before torch.onnx.export."""
    done = []
    for name, module in model.named_modules():
        if prune.is_pruned(module) and hasattr(module, "weight_mask"):
            prune.remove(module, "weight")
            done.append(name)
    return done
