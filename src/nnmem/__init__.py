"""nnmem: the companion package of *Neural Networks and Memory*.

Small, readable numpy implementations of the models in the book, each tested
against the mathematics and the published results the book describes.
"""

from nnmem._checks import TrainingDivergedError

__version__ = "0.1.0"

__all__ = ["TrainingDivergedError", "__version__"]
