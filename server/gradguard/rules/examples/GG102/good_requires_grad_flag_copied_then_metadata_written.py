"""A copy keeps the flag it found (`requires_grad_(requires_grad=...)`); a dict gets a name written."""
import numpy as np
import torch


class Key:
    FILENAME = "filename_or_obj"


def switch_endianness(data):
    if isinstance(data, torch.Tensor):
        requires_grad = data.requires_grad
        array = data.detach().numpy().astype(np.dtype("<f4"))
        data = torch.from_numpy(array).requires_grad_(requires_grad=requires_grad)
    elif isinstance(data, dict):
        data = {k: switch_endianness(v) for k, v in data.items()}
    return data


def load(meta_data, filename):
    meta_data = switch_endianness(meta_data)
    meta_data[Key.FILENAME] = filename
    return meta_data


if __name__ == "__main__":
    print(load({"affine": torch.eye(4)}, "image.nii"))
