#!/usr/bin/env bash
# Download the Python 3.12 x86-64 wheels that benchmarks/gpu/run.sh installs on the GPU machine into
# .whl/ at the repository root (ignored through .git/info/exclude), as /work/.library/device/README.md
# describes. Run it here, on the CPU machine, before the one device call.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo '/.whl/' >> .git/info/exclude
mkdir -p .whl
grep -v '^#' benchmarks/gpu/wheels.txt | grep -v '^$' | while read -r req; do
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64 \
    --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64 \
    --platform any -d .whl "$req"
done
du -sh .whl
ls -1 .whl
