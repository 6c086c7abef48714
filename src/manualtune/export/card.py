"""Dataset card (``hf/README.md``): YAML front matter for the Hub plus sizes, method and limitations."""

from __future__ import annotations

import yaml
from jinja2 import Environment, StrictUndefined

from manualtune.export.config import ExportConfig

TASKS = ("SPEC", "PROCEDURE", "EXPLANATION", "WIRING", "TROUBLESHOOTING")
CARD_SPLITS = (("train", "train"), ("val", "validation"), ("test", "test"), ("synthetic", "validation_synthetic"))

_SIZE_BOUNDS = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))

_BODY = """\
# {{ name }}

Instruction-tuning data grounded in {{ source }}. Every example is a question about the manual
with an answer taken from it (specifications with units and conditions, procedures, explanations,
wiring and troubleshooting), and keeps the ids of the facts and pages it came from in the build
folder (`dataset/examples.jsonl`).

## Sizes

| split | file | {{ tasks | join(" | ") }} | total |
|---|---|{% for _ in tasks %}---:|{% endfor %}---:|
{% for key, split, file in splits -%}
| {{ split }} | `{{ file }}` | {% for t in tasks %}{{ counts.get(key, {}).get(t, 0) }} | {% endfor %}{{ counts.get(key, {}).values() | sum }} |
{% endfor %}
Format: `messages` (system / user `[TASK] question` / assistant answer), `task`, `example_id`,
`group_id`. `data/autotrain_*.jsonl` hold the same train/validation rows as one `text` column
(`{{ template }}`), and `autotrain.yml` is an AutoTrain Advanced `llm-sft` config for them.
AutoTrain's `llm-sft` computes the loss over the whole `text` column (the question as well as
the answer) and packs rows into `block_size` blocks. `data/train_prompt_completion.jsonl` and
`data/val_prompt_completion.jsonl` hold the same rows as `{"prompt": [system, user], "completion":
[assistant]}`: TRL's `SFTTrainer` trains that format with the loss on the answer only.
The Arrow folders next to this card (`train/`, `validation/`, `test/`, `validation_synthetic/`)
are the same rows written with `DatasetDict.save_to_disk`: load them with `datasets.load_from_disk`.

## How it was built

1. Manual pages were OCR'd (Tesseract / RapidOCR, or the PDF text layer), cleaned with audited
   rules, and cut into blocks (headings, tables, steps, notes).
2. Numeric specifications were parsed into typed facts (value, unit, condition, variant,
   tightening stages) with their page and bounding box; procedures were parsed into steps.
3. Template-based generators wrote several phrasings per fact or procedure; a validator dropped
   examples whose answer is not supported by the source records.
4. The split is **by source unit, never by row**: all phrasings of a fact share a group, and
   groups that share a fact id or a normalised question are merged before a seeded hash places
   them (stratified by task). Measured on this build: {{ leak.shared_fact_ids }} fact ids and
   {{ leak.shared_questions }} normalised questions are shared between splits; the share of
   validation/test answer {{ leak.answer_ngram_n }}-grams also found in train answers is
   {{ "%.4f" | format(leak.answer_ngram_overlap.held_out) }}.
5. `validation_synthetic` paraphrases (rule-based rewrites) questions about validation/test facts
   only; none of its facts or groups occurs in train.

## Known limitations

- OCR of scanned pages can misread digits and units; low-confidence facts are flagged in the build,
  but some errors may remain. Check any value against the manual before using it on a car.
- Questions come from templates and rule-based paraphrases, so their wording is narrower than
  real users' questions; `validation_synthetic` measures robustness to rephrasing only partly.
- Values are specific to the engine/model variants named in the manual (S14 / M3, 320is); the
  data is not a general automotive reference.
- Small tasks have few source units, so their validation/test figures are noisy.
- Licence: the rights to the source manual are not established by this tool. Set `license`
  in the front matter before publishing, and publish only what you may share.
"""


def size_category(n: int) -> str:
    """Hub ``size_categories`` value for ``n`` rows."""
    for bound, label in _SIZE_BOUNDS:
        if n < bound:
            return label
    return "n>1M"


def card_metadata(cfg: ExportConfig, size: str) -> dict:
    """YAML front matter: licence, task categories, language, size, and configs for the JSONL files."""

    def files(pairs: list[tuple[str, str]]) -> list[dict]:
        return [{"split": split, "path": f"data/{name}"} for split, name in pairs]

    return {
        "license": cfg.license or "other",
        "language": ["en"],
        "task_categories": ["text-generation", "question-answering"],
        "size_categories": [size],
        "pretty_name": cfg.dataset_name,
        "tags": ["automotive", "service-manual", "instruction-tuning", "ocr"],
        "configs": [
            {
                "config_name": "default",
                "default": True,
                "data_files": files(
                    [
                        ("train", "train.jsonl"),
                        ("validation", "val.jsonl"),
                        ("test", "test.jsonl"),
                        ("validation_synthetic", "val_synthetic.jsonl"),
                    ]
                ),
            },
            {
                "config_name": "autotrain",
                "data_files": files([("train", "autotrain_train.jsonl"), ("validation", "autotrain_val.jsonl")]),
            },
            {
                "config_name": "prompt_completion",
                "data_files": files(
                    [("train", "train_prompt_completion.jsonl"), ("validation", "val_prompt_completion.jsonl")]
                ),
            },
        ],
    }


def render_card(cfg: ExportConfig, counts: dict[str, dict[str, int]], leakage: dict, size: str) -> str:
    """The full ``README.md`` text (deterministic: no dates, sorted YAML keys)."""
    meta = yaml.safe_dump(card_metadata(cfg, size), sort_keys=True, allow_unicode=True)
    todo = (
        ""
        if cfg.license
        else "# TODO(user): set the licence of your source material (license: other + license_name, or an id)\n"
    )
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    body = env.from_string(_BODY).render(
        name=cfg.dataset_name,
        source=cfg.source_description,
        tasks=TASKS,
        splits=[(k, s, f"data/{f}") for (k, s), f in zip(
            CARD_SPLITS, ("train.jsonl", "val.jsonl", "test.jsonl", "val_synthetic.jsonl"), strict=True
        )],
        counts=counts,
        template=cfg.autotrain_template.replace("\n", "\\n"),
        leak=leakage,
    )
    return f"---\n{todo}{meta}---\n\n{body}"
