"""Judge examples the way a user would: a seeded, task-stratified sample beside its source crops.

``manualtune audit BUILD`` draws ``sample`` examples from ``dataset/examples.jsonl`` (refusals are a
stratum of their own), allocates them to the strata in proportion to their size (largest
remainder, at least one per stratum while the sample allows), and writes ``BUILD/audit/``:

* ``audit.html``: each example with the crop(s) of its source region (red box on the scan),
  two marks per example and a note. A person judges 60 examples in well under an hour:
  **trustworthy** = the value / steps are right for what the question asks (a mechanic could act
  on it); **good** = trustworthy *and* complete and readable (no scan debris, no split words, the
  question names the thing). Marks are kept in the browser (localStorage) and saved with
  "Download marks" as ``sheet.jsonl``;
* ``sheet.jsonl``: the same sample as blank marks (one :class:`AuditMark` per line, with the
  question and answer), to be filled in the browser or in an editor;
* ``items.json``: the sample with crop paths (for tools).

``manualtune audit --score SHEET.jsonl`` prints the figures (:func:`score_sheet`): judged,
trustworthy and good shares overall and per task. Unjudged lines are counted apart, never as
passes.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, Field

from manualtune.cache import atomic_write_bytes, atomic_write_text, read_jsonl, short_id
from manualtune.ocr.stage import page_json_path
from manualtune.records import Example, PageOCR, Record
from manualtune.report.config import ReportConfig
from manualtune.report.crops import CropError, PageImages, make_crop
from manualtune.report.figures import cite


class AuditConfig(BaseModel):
    """Knobs of :func:`write_audit_sheet`."""

    model_config = ConfigDict(extra="forbid")

    sample: int = Field(default=60, ge=1, description="examples in the sheet")
    seed: int = Field(default=0, description="random.Random seed of the draw")
    crops_per_example: int = Field(default=2, ge=1, description="source regions shown per example")
    crop_max_width: int = Field(default=900, ge=64, description="crop width cap in pixels")
    crop_max_height: int = Field(default=520, ge=64, description="crop height cap in pixels")


class AuditMark(Record):
    """One judged example (a line of ``sheet.jsonl``). ``None`` marks are not judged yet."""

    example_id: str
    task: str
    question: str = ""
    answer: str = ""
    trustworthy: bool | None = None
    good: bool | None = None
    note: str = ""


class AuditItem(Record):
    """One example of the sheet with its crops."""

    example_id: str
    task: str
    stratum: str
    question: str
    answer: str
    refusal: bool
    citations: list[str]
    crops: list[str] = []
    crop_errors: list[str] = []


class TaskScore(Record):
    judged: int
    trustworthy: int
    good: int
    trustworthy_rate: float | None
    good_rate: float | None


class AuditScore(Record):
    """Figures of one judged sheet."""

    lines: int
    unjudged: int
    overall: TaskScore
    by_task: dict[str, TaskScore]


def stratum(ex: Example) -> str:
    return "REFUSAL" if ex.refusal else ex.task


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """``n`` draws over strata of ``sizes``: proportional (largest remainder), >= 1 per non-empty
    stratum while ``n`` allows it, never more than a stratum holds."""
    strata = sorted(k for k, v in sizes.items() if v > 0)
    total = sum(sizes[k] for k in strata)
    n = min(n, total)
    if not strata or n <= 0:
        return {}
    if n < len(strata):  # fewer draws than strata: the largest strata get one each
        return {k: 1 for k in sorted(strata, key=lambda k: (-sizes[k], k))[:n]}
    alloc = {k: 1 for k in strata}
    rest = n - len(strata)
    if rest > 0:
        room = {k: sizes[k] - alloc[k] for k in strata}
        room_total = sum(room.values())
        quota = {k: rest * room[k] / room_total for k in strata}
        for k in strata:
            alloc[k] += min(room[k], int(quota[k]))
        left = n - sum(alloc.values())
        for k in sorted(strata, key=lambda k: (-(quota[k] - int(quota[k])), k)):
            if left <= 0:
                break
            if alloc[k] < sizes[k]:
                alloc[k] += 1
                left -= 1
        for k in strata:  # a full stratum's share goes to the next one with room
            while left > 0 and alloc[k] < sizes[k]:
                alloc[k] += 1
                left -= 1
    return {k: v for k, v in alloc.items() if v}


def draw_sample(examples: list[Example], n: int, seed: int) -> list[Example]:
    """Seeded draw stratified by task (refusals apart), at most one phrasing of each source unit
    (``group_id``: a fact asked two ways is judged once); deterministic for the same examples."""
    by: dict[str, dict[str, list[Example]]] = defaultdict(lambda: defaultdict(list))
    for ex in sorted(examples, key=lambda e: e.example_id):
        by[stratum(ex)][ex.group_id].append(ex)
    alloc = allocate({k: len(v) for k, v in by.items()}, n)
    rng = random.Random(seed)
    picked: list[Example] = []
    for k in sorted(alloc):
        for group in rng.sample(sorted(by[k]), alloc[k]):
            picked.append(rng.choice(by[k][group]))
    return sorted(picked, key=lambda e: (stratum(e), e.example_id))


def _crop_cfg(cfg: AuditConfig) -> ReportConfig:
    return ReportConfig(crop_max_width=cfg.crop_max_width, crop_max_height=cfg.crop_max_height,
                        crop_min_height_frac=0.18, crop_colors=0)


def write_audit_sheet(build_dir: Path, out_dir: Path | None = None, cfg: AuditConfig | None = None) -> Path:
    """Write ``audit.html``, ``sheet.jsonl``, ``items.json`` and ``crops/`` (see the module docstring);
    returns the path of ``audit.html``. Raises ``FileNotFoundError`` when the build has no examples."""
    cfg = cfg or AuditConfig()
    build_dir = Path(build_dir)
    out_dir = Path(out_dir) if out_dir is not None else build_dir / "audit"
    ex_path = build_dir / "dataset" / "examples.jsonl"
    if not ex_path.is_file():
        raise FileNotFoundError(f"{ex_path} not found: run `manualtune build` first")
    examples = read_jsonl(ex_path, Example)
    picked = draw_sample(examples, cfg.sample, cfg.seed)
    summary = json.loads((build_dir / "summary.json").read_text(encoding="utf-8"))
    root = summary.get("source_root")
    page_ids = sorted({s.page_id for ex in picked for s in ex.sources if s.page_id})
    ocr_pages = [PageOCR.model_validate_json(path.read_text(encoding="utf-8"))
                 for path in (page_json_path(build_dir, pid) for pid in page_ids) if path.is_file()]
    images = PageImages(Path(root) if root else None, ocr_pages, _crop_cfg(cfg))
    crops_dir = out_dir / "crops"
    items: list[AuditItem] = []
    for ex in picked:
        item = AuditItem(example_id=ex.example_id, task=ex.task, stratum=stratum(ex), question=ex.question,
                         answer=ex.answer, refusal=ex.refusal, citations=[cite(s) for s in ex.sources])
        for i, src in enumerate(ex.sources[: cfg.crops_per_example]):
            try:
                crop = make_crop(images, src, _crop_cfg(cfg))
            except CropError as e:
                item.crop_errors.append(str(e))
                continue
            name = f"{short_id(ex.example_id, i, n=16)}.png"
            atomic_write_bytes(crops_dir / name, crop.png)
            item.crops.append(f"crops/{name}")
        items.append(item)
    marks = [AuditMark(example_id=it.example_id, task=it.stratum, question=it.question, answer=it.answer)
             for it in items]
    atomic_write_text(out_dir / "sheet.jsonl", "".join(m.model_dump_json() + "\n" for m in marks))
    atomic_write_text(out_dir / "items.json",
                      json.dumps([it.model_dump() for it in items], indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    env = Environment(loader=PackageLoader("manualtune.quality", "templates"), autoescape=select_autoescape())
    marks_key = "manualtune-audit-" + short_id([it.example_id for it in items], n=12)
    html = env.get_template("audit.html.j2").render(
        items=items, build=str(build_dir), seed=cfg.seed, n=len(items), marks_key=marks_key,
    )
    index = out_dir / "audit.html"
    atomic_write_text(index, html)
    return index


def _task_score(marks: list[AuditMark]) -> TaskScore:
    judged = [m for m in marks if m.trustworthy is not None]
    trust = sum(1 for m in judged if m.trustworthy)
    good = sum(1 for m in judged if m.trustworthy and m.good)
    return TaskScore(judged=len(judged), trustworthy=trust, good=good,
                     trustworthy_rate=round(trust / len(judged), 3) if judged else None,
                     good_rate=round(good / len(judged), 3) if judged else None)


def score_sheet(path: Path) -> AuditScore:
    """Figures of a judged ``sheet.jsonl``: a mark ``good`` counts only on a trustworthy example."""
    marks = read_jsonl(Path(path), AuditMark)
    by: dict[str, list[AuditMark]] = defaultdict(list)
    for m in marks:
        by[m.task].append(m)
    return AuditScore(
        lines=len(marks),
        unjudged=sum(1 for m in marks if m.trustworthy is None),
        overall=_task_score(marks),
        by_task={t: _task_score(ms) for t, ms in sorted(by.items())},
    )
