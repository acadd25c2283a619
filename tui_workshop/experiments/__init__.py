"""Interactive experiments, one module per kind; lessons name them by ``name``.

Each experiment ``<name>`` lives in ``experiments/<name>.py`` and declares its
parameters in ``experiments/specs/<name>.py`` (NumPy-free). :func:`catalogue`
reads the specs, so validating lessons and drawing the first screen need
neither NumPy nor the engine; experiment modules load on first use
(:func:`create`). :data:`REGISTRY` holds the classes loaded so far (tests may
register their own).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import cache
from typing import Any

from tui_workshop.experiments import specs
from tui_workshop.experiments.base import (
    REGISTRY,
    Bars,
    Experiment,
    Frame,
    Heatmap,
    LinePlot,
    Panel,
    Series,
    Table,
    TextPanel,
    TrainerExperiment,
    frozen_array,
    register,
)
from tui_workshop.experiments.schema import Param, ParameterError, named

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
    "TrainerExperiment",
    "catalogue",
    "create",
    "experiment_class",
    "frozen_array",
    "load_all",
    "names",
    "register",
]


@cache
def names() -> tuple[str, ...]:
    """Every shipped experiment, from the spec modules."""
    return tuple(sorted(m.name for m in pkgutil.iter_modules(specs.__path__)))


@cache
def _shipped_schema(name: str) -> Mapping[str, Param]:
    module = importlib.import_module(f"{specs.__name__}.{name}")
    return named(module.SCHEMA)


def experiment_class(name: str) -> type[Experiment]:
    """The class registered as ``name``, importing its module when needed (KeyError if none)."""
    if name not in REGISTRY and name in names():
        importlib.import_module(f"{__name__}.{name}")
    return REGISTRY[name]


def create(name: str, params: Mapping[str, Any] | None = None) -> Experiment:
    """Build the experiment registered as ``name`` (KeyError if there is none)."""
    return experiment_class(name)(params)


def load_all() -> dict[str, type[Experiment]]:
    """Import every experiment module; returns :data:`REGISTRY`."""
    for name in names():
        experiment_class(name)
    return REGISTRY


def catalogue() -> dict[str, Mapping[str, Param]]:
    """Every experiment name -> its schema, without importing the experiment modules.

    Classes registered at run time (tests) come from :data:`REGISTRY`.
    """
    entries: dict[str, Mapping[str, Param]] = {name: _shipped_schema(name) for name in names()}
    for name, cls in REGISTRY.items():
        if name not in entries:
            entries[name] = cls.SCHEMA
    return entries
