"""Load a trained run and answer questions with it (the contract the evaluation side calls).

``load_run_model(run_dir)`` rebuilds the base model exactly as the run trained it (a tiny run's random
base is read from ``base/``), puts the adapter on it and returns ``(model, tokenizer)`` in eval mode;
a router run (``manualtune route``) returns a :class:`~manualtune.train.routing.RoutedModel` that
``generate_answers`` dispatches per question. Generation is greedy and deterministic, with the chat
template and system prompt of the training rows; each question is the user turn verbatim.
"""

from __future__ import annotations

from pathlib import Path

from manualtune.exceptions import BadAdapterError
from manualtune.train.config import TrainConfig
from manualtune.train.registry import read_run
from manualtune.train.templates import END_OF_TURN


def default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def load_adapter_model(run_dir: Path, device: str | None = None, base=None):
    """``(peft_model, tokenizer, config)`` of a trained run."""
    from peft import PeftModel

    from manualtune.train.model import load_base_model, load_tokenizer

    run_dir = Path(run_dir)
    rec = read_run(run_dir)
    cfg = TrainConfig.model_validate(rec["config"])
    adapter = run_dir / "adapter"
    if not (adapter / "adapter_config.json").is_file():
        raise BadAdapterError(f"run '{rec['run_id']}' has no adapter ({adapter}/adapter_config.json missing)")
    tokenizer = load_tokenizer(cfg, saved=run_dir / "tokenizer")
    base = base if base is not None else load_base_model(cfg, tokenizer, saved_base=run_dir / "base")
    try:
        model = PeftModel.from_pretrained(base, str(adapter), adapter_name=rec["run_id"])
    except (OSError, ValueError, RuntimeError, KeyError) as e:
        raise BadAdapterError(f"adapter of run '{rec['run_id']}' does not load ({str(e).splitlines()[0][:120]})") from e
    if not cfg.model.load_in_4bit:
        model.to(device or default_device())
    model.eval()
    model.manualtune_system_prompt = rec.get("system_prompt")
    return model, tokenizer, cfg


def load_run_model(run_dir: Path, device: str | None = None):
    """``(model, tokenizer)``: base + adapter in eval mode (or the router of a ``route`` run)."""
    rec = read_run(Path(run_dir))
    if rec.get("kind") == "router":
        from manualtune.train.routing import load_router_model

        return load_router_model(Path(run_dir), device)
    model, tokenizer, _ = load_adapter_model(run_dir, device)
    return model, tokenizer


def stop_token_ids(tokenizer) -> list[int]:
    ids = {tokenizer.eos_token_id}
    for token in END_OF_TURN.values():
        tid = tokenizer.convert_tokens_to_ids(token)
        if isinstance(tid, int) and tid != tokenizer.unk_token_id and tid is not None:
            ids.add(tid)
    return sorted(i for i in ids if i is not None)


def render_prompts(tokenizer, questions: list[str], system_prompt: str | None) -> list[str]:
    prompts = []
    for q in questions:
        messages = ([{"role": "system", "content": system_prompt}] if system_prompt else []) + [
            {"role": "user", "content": q}
        ]
        prompts.append(tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))
    return prompts


def generate_answers(
    model,
    tokenizer,
    questions: list[str],
    *,
    max_new_tokens: int = 128,
    batch_size: int = 8,
    system_prompt: str | None = None,
) -> list[str]:
    """Greedy answers, one per question, in order (``system_prompt`` None: the one used in training)."""
    import torch

    from manualtune.train.routing import RoutedModel

    if isinstance(model, RoutedModel):
        return model.generate_answers(tokenizer, questions, max_new_tokens=max_new_tokens,
                                      batch_size=batch_size, system_prompt=system_prompt)
    if system_prompt is None:
        system_prompt = getattr(model, "manualtune_system_prompt", None)
    stops = stop_token_ids(tokenizer)
    side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    answers: list[str] = []
    try:
        device = next(model.parameters()).device
        for start in range(0, len(questions), batch_size):
            prompts = render_prompts(tokenizer, questions[start : start + batch_size], system_prompt)
            enc = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
            with torch.no_grad():
                out = model.generate(
                    **enc,
                    max_new_tokens=max_new_tokens,
                    do_sample=False,
                    pad_token_id=tokenizer.pad_token_id,
                    eos_token_id=stops,
                )
            new = out[:, enc["input_ids"].shape[1] :]
            answers.extend(t.strip() for t in tokenizer.batch_decode(new, skip_special_tokens=True))
    finally:
        tokenizer.padding_side = side
    return answers
