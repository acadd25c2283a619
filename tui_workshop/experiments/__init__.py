"""Interactive experiments, one module per kind; lessons name them by ``name``.

Experiment modules load on first use (:func:`create`, :func:`load_all`), so
that validating lessons and drawing the first screen need neither NumPy nor
the engine. :data:`REGISTRY` holds the classes loaded so far;
:func:`catalogue` names every experiment with the parameters it accepts.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

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
from tui_workshop.experiments.catalogue import CATALOGUE

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
    "catalogue",
    "create",
    "experiment_class",
    "frozen_array",
    "load_all",
    "register",
]


def experiment_class(name: str) -> type[Experiment]:
    """The class registered as ``name``, importing its module when needed (KeyError if none)."""
    if name not in REGISTRY and name in CATALOGUE:
        importlib.import_module(f"{__name__}.{CATALOGUE[name][0]}")
    return REGISTRY[name]


def create(name: str, params: dict | None = None) -> Experiment:
    """Build the experiment registered as ``name`` (KeyError if there is none)."""
    return experiment_class(name)(params)


def load_all() -> dict[str, type[Experiment]]:
    """Import every experiment module; returns :data:`REGISTRY`."""
    for name in CATALOGUE:
        experiment_class(name)
    return REGISTRY


def catalogue() -> Mapping[str, Any]:
    """Every experiment name -> an object whose ``defaults`` keys are its parameters.

    Loaded classes come from :data:`REGISTRY` (which tests may extend); the
    rest from the static table, without importing their modules.
    """
    entries: dict[str, Any] = {
        name: SimpleNamespace(defaults=dict.fromkeys(params))
        for name, (_module, params) in CATALOGUE.items()
    }
    entries.update(REGISTRY)
    return entries
