"""Interactive experiments, one module per kind; lessons name them by ``name``.

Importing this package registers every experiment in :data:`REGISTRY`.
"""

from __future__ import annotations

from tui_workshop.experiments.base import (
    REGISTRY,
    Bars,
    Experiment,
    Frame,
    Heatmap,
    LinePlot,
    Panel,
    ParameterError,
    Series,
    Table,
    TextPanel,
    frozen_array,
    register,
)

__all__ = [
    "REGISTRY",
    "Bars",
    "Experiment",
    "Frame",
    "Heatmap",
    "LinePlot",
    "Panel",
    "ParameterError",
    "Series",
    "Table",
    "TextPanel",
    "create",
    "frozen_array",
    "register",
]


def _load_all() -> None:
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        if info.name != "base" and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


def create(name: str, params: dict | None = None) -> Experiment:
    """Build the experiment registered as ``name`` (KeyError if there is none)."""
    return REGISTRY[name](params)


_load_all()
