"""``manualtune sweep``: one run per point of the grid of every ``--set key=v1,v2,...`` list."""

from __future__ import annotations

import itertools

from manualtune.exceptions import ConfigError


def expand_grid(sets: list[str]) -> list[list[str]]:
    """``["lora.r=8,16", "training.lr=1e-4"]`` -> ``[["lora.r=8", "training.lr=1e-4"], ["lora.r=16", ...]]``.

    A value list is split on commas (a YAML list ``[a, b]`` is kept whole as one value).
    """
    axes: list[list[str]] = []
    for item in sets:
        if "=" not in item:
            raise ConfigError(f"--set '{item}' is not key=value", "write it as e.g. --set lora.r=8,16,32")
        key, raw = item.split("=", 1)
        raw = raw.strip()
        values = [raw] if raw.startswith("[") else [v.strip() for v in raw.split(",") if v.strip()]
        if not values:
            raise ConfigError(f"--set {key}: no values")
        axes.append([f"{key.strip()}={v}" for v in values])
    return [list(point) for point in itertools.product(*axes)] if axes else [[]]
