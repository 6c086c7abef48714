#!/usr/bin/env bash
# The one prepared GPU check of issue 12, run through the device tool from the repository root:
#   installs the carried wheels (.whl/, see fetch_wheels.sh), prints the device, then runs
#   benchmarks/gpu_train.py (manualtune's 4-bit QLoRA path vs plain TRL SFTTrainer defaults on
#   random-init Llama-3.2-3B and Llama-3.1-8B shapes), writing everything into $OUT.
# See benchmarks/gpu/README.md for the exact device call. Exit codes: 0 ok, 3 wheel install failed,
# 4 no GPU, other: the benchmark's.
set -uo pipefail
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
OUT="${OUT:-/tmp/gpu-out}"; mkdir -p "$OUT"
STEPS="${STEPS:-30}"
SHAPES="${SHAPES:-llama-3.2-3b llama-3.1-8b}"
LIMIT_S="${LIMIT_S:-480}"

python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
  > "$OUT/pip.log" 2>&1 || { cat "$OUT/pip.log"; exit 3; }
export PYTHONPATH="/tmp/site:$PWD/src"

{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  python3 - <<'PY'
import importlib.metadata as m, torch
print("torch", torch.__version__, "cuda", torch.version.cuda, "gpu", torch.cuda.is_available() and torch.cuda.get_device_name(0))
for n in ("transformers", "trl", "peft", "datasets", "pyarrow", "huggingface-hub", "bitsandbytes", "accelerate", "liger-kernel", "pydantic"):
    try:
        print(n, m.version(n))
    except m.PackageNotFoundError:
        print(n, "missing")
PY
} 2>&1 | tee "$OUT/device.txt"
python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 4)" || exit 4

BUILD=build
[ -f build/dataset/train.jsonl ] || BUILD=tests/train/resources/build
echo "dataset: $BUILD/dataset/train.jsonl ($(wc -l < "$BUILD/dataset/train.jsonl") rows)" | tee -a "$OUT/device.txt"

# shellcheck disable=SC2086
timeout "$LIMIT_S" python3 benchmarks/gpu_train.py --build "$BUILD" --shapes $SHAPES --steps "$STEPS" \
  --out "$OUT" 2>&1 | tee "$OUT/bench.log"
rc=${PIPESTATUS[0]}
echo "gpu_train.py exit code: $rc" | tee -a "$OUT/device.txt"
exit "$rc"
