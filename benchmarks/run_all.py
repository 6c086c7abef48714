"""Run the build benchmark on the sample manual and (if present) the dev scans (`make bench`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_build import bench, print_result  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", type=Path, default=Path("samples/generated/corvane-240"))
    ap.add_argument("--devdata", type=Path, default=Path("../shared/devdata"))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    for src in (args.sample, args.devdata):
        if src.is_dir():
            print_result(bench(src.resolve(), args.workers))
        else:
            print(f"skipped (not found): {src}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
