"""The pure-NumPy engine: activations, losses, models, optimisers, training.

Import submodules directly (``from tui_workshop.nn import datasets, optim``);
this package imports only what it needs to offer :class:`MLP`. Nothing here
imports textual, rich or plotext.
"""

from tui_workshop.nn.mlp import MLP

__all__ = ["MLP"]
