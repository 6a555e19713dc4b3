"""Importing this module limits PyTorch (if installed) to one intra-op and one inter-op thread."""

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None

if torch is not None:
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set in this process
        pass
