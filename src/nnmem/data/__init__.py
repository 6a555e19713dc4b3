"""Data files shipped with nnmem (read through `nnmem.datasets`)."""

__all__: list[str] = []
