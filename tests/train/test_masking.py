"""Loss on the assistant turn only, asserted on token ids: the tiny ChatML template and Gemma's template."""

from __future__ import annotations

import pytest

from manualtune.exceptions import NoSupervisedTokensError
from manualtune.train.data import load_training_data, tokenize_row, tokenize_rows
from manualtune.train.model import train_tiny_tokenizer
from manualtune.train.presets import preset_dict
from manualtune.train.templates import GEMMA


@pytest.fixture(scope="module")
def rows(build_dir, tiny_config):
    return load_training_data(build_dir, tiny_config().data).train


@pytest.fixture(scope="module")
def tokenizer(rows):
    texts = [m["content"] for r in rows for m in r["prompt"] + r["completion"]]
    return train_tiny_tokenizer(texts, 800)


def _check_row(tokenizer, row, end: str):
    tok, is_prefix = tokenize_row(tokenizer, row, max_length=4096)
    ids, labels = tok["input_ids"], tok["labels"]
    prompt_text = tokenizer.apply_chat_template(row["prompt"], tokenize=False, add_generation_prompt=True)
    prompt_ids = tokenizer(prompt_text, add_special_tokens=False)["input_ids"]
    assert is_prefix and ids[: len(prompt_ids)] == prompt_ids
    # every system/user/template token of the prompt is masked, every answer token is kept
    assert labels[: len(prompt_ids)] == [-100] * len(prompt_ids)
    assert labels[len(prompt_ids):] == ids[len(prompt_ids):] and -100 not in labels[len(prompt_ids):]
    answer = row["completion"][0]["content"]
    assert tokenizer.decode(ids[len(prompt_ids):]) == answer.strip() + end
    for m in row["prompt"]:  # the system prompt and the question appear only in the masked part
        assert m["content"].strip()[:40] in tokenizer.decode(ids[: len(prompt_ids)])


def test_tiny_chatml_template_masks_prompt_and_keeps_answer(tokenizer, rows):
    for row in rows:
        _check_row(tokenizer, row, "<|im_end|>\n")


def test_gemma_template_string_form_masks_prompt_and_keeps_answer(rows):
    texts = [m["content"] for r in rows for m in r["prompt"] + r["completion"]]
    tok = train_tiny_tokenizer(texts, 800)
    tok.add_special_tokens({"additional_special_tokens": ["<start_of_turn>", "<end_of_turn>"]})
    tok.chat_template = GEMMA
    row = rows[0]
    full = tok.apply_chat_template(row["prompt"] + row["completion"], tokenize=False)
    system, user = row["prompt"][0]["content"], row["prompt"][1]["content"]
    answer = row["completion"][0]["content"]
    # Gemma's string form: system folded into the first user turn, the assistant is "model"
    assert full == (f"{tok.bos_token}<start_of_turn>user\n{system}\n\n{user}<end_of_turn>\n"
                    f"<start_of_turn>model\n{answer}<end_of_turn>\n")
    for r in rows:
        _check_row(tok, r, "<end_of_turn>\n")
    assert preset_dict("gemma3-270m-cpu")["model"]["chat_template"] == "gemma"


def test_collated_batch_labels_mask_prompt_and_padding(tokenizer, rows):
    from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

    toks, report = tokenize_rows(tokenizer, rows[:4], max_length=4096)
    batch = DataCollatorForLanguageModeling(pad_token_id=tokenizer.pad_token_id)(toks)
    for i, t in enumerate(toks):
        n = len(t["input_ids"])
        supervised = [int(x) for x in batch["labels"][i][:n] if x != -100]
        assert supervised == [x for x in t["labels"] if x != -100]
        assert all(int(x) == -100 for x in batch["labels"][i][n:])  # padding never trains
    assert report.examples == 4 and report.min_supervised > 0 and report.prompt_not_prefix == 0


def test_refuses_to_start_when_an_example_has_no_supervised_token(tokenizer, rows):
    tokenizer = train_tiny_tokenizer([m["content"] for r in rows for m in r["prompt"]], 800)
    # A template that drops assistant turns (the silent all -100 case TRL/Axolotl users hit).
    tokenizer.chat_template = ("{% for m in messages %}{% if m['role'] != 'assistant' %}{{ m['content'] }}\n"
                               "{% endif %}{% endfor %}")
    with pytest.raises(NoSupervisedTokensError) as err:
        tokenize_rows(tokenizer, rows, max_length=4096)
    assert f"example {rows[0]['example_id']}" in str(err.value) and "chat template" in str(err.value)
    ok = train_tiny_tokenizer([m["content"] for r in rows for m in r["prompt"] + r["completion"]], 800)
    with pytest.raises(NoSupervisedTokensError, match="max_length 20"):  # the answer cut off by truncation
        tokenize_rows(ok, rows, max_length=20)


def test_a_model_folder_without_chat_template_gets_chatml(tmp_path, tokenizer):
    from manualtune.train.config import resolve_config
    from manualtune.train.model import load_tokenizer, template_name
    from manualtune.train.templates import CHATML

    tokenizer.chat_template = None
    tokenizer.save_pretrained(str(tmp_path))
    tokenizer.chat_template = CHATML
    cfg = resolve_config("tiny-cpu", model=str(tmp_path))
    tok = load_tokenizer(cfg)
    assert tok.chat_template == CHATML and template_name(cfg, tok) == "chatml"
    gemma = load_tokenizer(resolve_config("tiny-cpu", sets=["model.chat_template=gemma"], model=str(tmp_path)))
    assert gemma.chat_template == GEMMA
