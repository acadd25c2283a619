"""tui-workshop: the mathematics behind artificial neural networks, in the terminal."""

__version__ = "0.1.0"
