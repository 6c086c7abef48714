"""One small build of the sample manual (the pages the hand-written questions need), made once per process.

Used by ``tests/retrieve`` and ``tests/evaluate`` (both conftests call :func:`subset_build`).
"""

from __future__ import annotations

from pathlib import Path

from handwritten import PAGES

from manualtune.pipeline import build
from manualtune.sample import generate_sample_manual

_BUILT: dict[str, Path] = {}


def subset_build(tmp_path_factory) -> Path:
    if "build" not in _BUILT:
        root = tmp_path_factory.mktemp("eval-sample")
        generate_sample_manual(root / "src", seed=0, pages=PAGES)
        result = build(root / "src", root / "build", workers=2)
        assert result.exit_code in (0, 3), result
        _BUILT["build"] = root / "build"
    return _BUILT["build"]
