"""OCR error rates against hand-made transcripts: ours (the build's ``ocr/*.json``) vs raw tesseract.

Truth: ``*.truth.json`` files with a non-empty ``transcript`` (one printed body line per item).
A build page is matched to a truth file by the truth's ``file`` (path relative to the source
root), else by the truth file's own path under the truth folder (``pages/<folder>/<stem>.truth.json``
mirrors ``<folder>/<stem>.*``), else by file name, else by file stem. A name or stem fallback is
taken only when exactly one page has it and no other truth file names that page exactly: file
names repeat across folders (``00 - Torque Specs/11-19`` never scores ``11 - Engine/11-19``).
All pages of a multi-page source are scored together, in page order.

Halves: when a ``split.json`` (``{"pages": [{"file", "half"}]}``) lies in the truth folder or a
folder above it, each page carries its ``half`` (tune / check) and ``OCRScore.halves`` sums each.

Normalisation (applied to truth and OCR text alike, see :func:`normalize_text`):
Unicode NFC; dot leaders (runs of five or more dots, spaces between them allowed) are dropped,
as the transcript conventions leave them out (one index truth, 62-00-index-b, wrote its leader as
31 dots; a tesseract reading of a leader as dots is dropped alike; a "10...15" range mark has
three dots and stays); in every line, runs of whitespace become one space and the ends are stripped;
empty lines are dropped; the lines are joined with one space (so only *where* a line breaks
does not count; reading order still does). Characters are not folded: an en dash read as "-"
or "°" read as "o" counts as an error.

Running headers / footers are **not** dropped: the score is of ``PageOCR.text`` as written,
although the truth transcripts leave the header/footer out. Reasons: the raw baseline below reads
them too (dropping ours only would flatter us), and the score should not depend on the layout's
header detection. The reading order puts them first / last, never inside the body. Their cost is
known: on the sample manual's image pages CER 0.119 as scored vs 0.048 with the truth's
``header_footer`` strings removed (measured 2025 on the column-aware reading order).

``raw_*`` is plain ``tesseract IMAGE -`` (the CLI, default settings, no preprocessing) on the
original image, the baseline our text must never be worse than (``PageScore.not_worse``); without
the CLI, bare tesserocr with the same defaults. ``word_recall`` is order-free: the share of
truth words (multiset) that occur in the OCR text, a view that ignores reading-order swaps.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import jiwer  # noqa: E402
from pydantic import BaseModel, ConfigDict  # noqa: E402

from manualtune.quality.truth import read_truth_files  # noqa: E402
from manualtune.records import PageOCR  # noqa: E402

_DOT_LEADER = re.compile(r"\.(?:\s*\.){4,}")

NORMALISATION = (
    "NFC; dot leaders (5+ dots) dropped; whitespace runs -> one space per line; strip; drop empty lines; join lines with one space; "
    "no case or character folding"
)


class ErrorRates(BaseModel):
    """Ours and bare tesseract's error rates; raw_* are None where there is no image to re-OCR."""

    model_config = ConfigDict(extra="forbid")

    cer: float
    wer: float
    word_recall: float
    raw_cer: float | None = None
    raw_wer: float | None = None
    raw_word_recall: float | None = None


class PageScore(ErrorRates):
    """One transcribed page."""

    file: str
    page_id: str | None = None
    truth_chars: int
    truth_words: int
    half: str | None = None

    @property
    def not_worse(self) -> bool | None:
        """Our CER is no higher than plain tesseract's (None: no baseline)."""
        return None if self.raw_cer is None else self.cer <= self.raw_cer


class OCRScore(ErrorRates):
    """Per page and overall (errors summed over pages / truth length summed over pages)."""

    normalisation: str = NORMALISATION
    pages: list[PageScore]
    missing: list[str] = []
    halves: dict[str, ErrorRates] = {}
    worse_than_raw: list[str] = []


def normalize_text(lines: list[str] | str) -> str:
    """The scoring normalisation (see the module docstring)."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    out = (re.sub(r"\s+", " ", _DOT_LEADER.sub(" ", unicodedata.normalize("NFC", ln))).strip() for ln in lines)
    return " ".join(ln for ln in out if ln)


def word_recall(truth: str, hyp: str) -> float:
    """Share of truth words (as a multiset) found among the OCR words; order-free."""
    t, h = Counter(truth.split()), Counter(hyp.split())
    total = sum(t.values())
    return round(sum((t & h).values()) / total, 4) if total else 1.0


def _rates(truth: str, hyp: str) -> tuple[float, float, float]:
    if not truth:
        return 0.0, 0.0, 1.0
    return (
        round(float(jiwer.cer(truth, hyp)), 4) if hyp else 1.0,
        round(float(jiwer.wer(truth, hyp)), 4) if hyp else 1.0,
        word_recall(truth, hyp),
    )


def raw_tesseract_text(image_path: Path, tessdata: str = "/usr/share/tesseract-ocr/5/tessdata/", lang: str = "eng") -> str:
    """Plain ``tesseract IMAGE -`` (CLI defaults, one thread); bare tesserocr when there is no CLI."""
    import shutil
    import subprocess

    exe = shutil.which("tesseract")
    if exe:
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        done = subprocess.run([exe, str(image_path), "-", "-l", lang], capture_output=True, env=env, check=True)
        return done.stdout.decode("utf-8", errors="replace")
    import tesserocr
    from PIL import Image

    from manualtune.ocr.engines import quiet_leptonica

    quiet_leptonica()
    with tesserocr.PyTessBaseAPI(path=tessdata, lang=lang) as api, Image.open(image_path) as img:
        api.SetImage(img.convert("L"))
        return api.GetUTF8Text()


def load_halves(truth_dir: Path) -> dict[str, str]:
    """file -> half from the nearest ``split.json`` at or above ``truth_dir`` ({} when none)."""
    for d in [Path(truth_dir), *Path(truth_dir).resolve().parents]:
        p = d / "split.json"
        if p.is_file():
            try:
                data = json.loads(p.read_text(encoding="utf-8"))
                return {str(x["file"]): str(x["half"]) for x in data.get("pages", []) if "file" in x and "half" in x}
            except (OSError, ValueError, TypeError, KeyError):
                return {}
    return {}


def _load_truths(truth_dir: Path) -> list[tuple[Path, dict]]:
    return [(p, d) for p, d in read_truth_files(truth_dir) if d.get("transcript")]


def _build_pages(build_dir: Path) -> list[PageOCR]:
    """Every readable ``ocr/*.json`` page of a build, sorted by file name."""
    pages: list[PageOCR] = []
    for p in sorted((Path(build_dir) / "ocr").glob("*.json")):
        try:
            pages.append(PageOCR.model_validate_json(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return pages


def _match(truth_file: str, truth_path: Path, pages: list[PageOCR], claimed: frozenset[str] = frozenset(),
           truth_dir: Path | None = None) -> PageOCR | None:
    """The page a truth file describes; ``claimed``: the files all truths name (never a fallback)."""
    name = Path(truth_file).name if truth_file else truth_path.name.removesuffix(".truth.json")
    stem = Path(name).stem
    others = claimed - {truth_file}

    def first(found: list[PageOCR]) -> PageOCR | None:
        return sorted(found, key=lambda pg: (pg.page, pg.page_id))[0] if found else None

    exact = first([pg for pg in pages if pg.source == truth_file])
    if exact is not None:
        return exact
    if truth_dir is not None:
        try:
            rel = truth_path.resolve().relative_to(Path(truth_dir).resolve()).as_posix().removesuffix(".truth.json")
        except ValueError:
            rel = ""
        parts = rel.split("/")
        for k in range(len(parts) - 1):  # with or without leading folders of the truth tree ("pages/")
            key = "/".join(parts[k:])
            if "/" not in key:
                break
            hit = first([pg for pg in pages if str(Path(pg.source).with_suffix("")) == key])
            if hit is not None:
                return hit
    for key in (lambda pg: Path(pg.source).name == name, lambda pg: Path(pg.source).stem == stem):
        found = [pg for pg in pages if pg.source not in others and key(pg)]
        if len({pg.source for pg in found}) == 1:
            return first(found)
        if found:
            return None  # the name repeats across folders: no guess
    return None


def _overall(refs: list[str], hyps: list[str], raw_hyps: list[str]) -> ErrorRates:
    """Errors summed over pages / truth length summed over pages (raw only when every page has one)."""
    raw = len(raw_hyps) == len(refs) and bool(refs)
    return ErrorRates(
        cer=round(float(jiwer.cer(refs, hyps)), 4), wer=round(float(jiwer.wer(refs, hyps)), 4),
        word_recall=word_recall(" ".join(refs), " ".join(hyps)),
        raw_cer=round(float(jiwer.cer(refs, raw_hyps)), 4) if raw else None,
        raw_wer=round(float(jiwer.wer(refs, raw_hyps)), 4) if raw else None,
        raw_word_recall=word_recall(" ".join(refs), " ".join(raw_hyps)) if raw else None,
    )


def _source_root(build_dir: Path) -> Path | None:
    try:
        return Path(json.loads((build_dir / "summary.json").read_text(encoding="utf-8"))["source_root"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _raw_texts(images: list[Path], workers: int) -> dict[Path, str | None]:
    """Plain tesseract's text of each image (None where it failed), ``workers`` CLI runs at a time."""
    from concurrent.futures import ThreadPoolExecutor

    def one(img: Path) -> str | None:
        try:
            return normalize_text(raw_tesseract_text(img))
        except Exception:  # noqa: BLE001 - the baseline is optional
            return None

    uniq = sorted(set(images))
    with ThreadPoolExecutor(max(1, workers)) as pool:
        return dict(zip(uniq, pool.map(one, uniq), strict=True))


def score_ocr(build_dir: Path, truth_dir: Path, raw: bool = True, workers: int = 2) -> OCRScore:
    """CER / WER / word recall per transcribed page, ours and (``raw=True``) plain tesseract
    (``workers`` tesseract processes at a time)."""
    build_dir, truth_dir = Path(build_dir), Path(truth_dir)
    pages = _build_pages(build_dir)
    root = _source_root(build_dir)
    scores: list[PageScore] = []
    missing: list[str] = []
    refs: list[str] = []
    hyps: list[str] = []
    raw_hyps: list[str] = []
    truths = _load_truths(truth_dir)
    halves = load_halves(truth_dir)
    per_half: dict[str, tuple[list[str], list[str], list[str]]] = {}
    claimed = frozenset(str(t.get("file") or "") for _, t in truths)
    matched: list[tuple[Path, dict, PageOCR, Path | None]] = []
    for tpath, truth in truths:
        tfile = str(truth.get("file") or "")
        page = _match(tfile, tpath, pages, claimed, truth_dir)
        if page is None:
            missing.append(tfile or tpath.name)
            continue
        img = next((c for c in (truth_dir / tfile, (root / page.source) if root else None) if c and c.is_file()), None)
        matched.append((tpath, truth, page, img if raw and page.engine != "pdf-text-layer" else None))
    raw_of = _raw_texts([m[3] for m in matched if m[3] is not None], workers) if raw else {}
    for _tpath, truth, page, img in matched:
        tfile = str(truth.get("file") or "")
        ref = normalize_text([str(x) for x in truth["transcript"]])
        same_file = sorted((pg for pg in pages if pg.source == page.source), key=lambda pg: pg.page)
        hyp = normalize_text("\n".join(pg.text for pg in same_file))  # all pages of a multi-page PDF
        cer, wer, rec = _rates(ref, hyp)
        ps = PageScore(
            file=page.source, page_id=page.page_id, truth_chars=len(ref), truth_words=len(ref.split()),
            cer=cer, wer=wer, word_recall=rec, half=halves.get(page.source) or halves.get(tfile),
        )
        raw_hyp = raw_of.get(img) if img is not None else None
        if raw_hyp is not None:
            ps.raw_cer, ps.raw_wer, ps.raw_word_recall = _rates(ref, raw_hyp)
            raw_hyps.append(raw_hyp)
        scores.append(ps)
        refs.append(ref)
        hyps.append(hyp)
        if ps.half:
            bucket = per_half.setdefault(ps.half, ([], [], []))
            bucket[0].append(ref)
            bucket[1].append(hyp)
            if raw_hyp is not None:
                bucket[2].append(raw_hyp)
    if not scores:
        return OCRScore(pages=[], missing=missing, cer=1.0, wer=1.0, word_recall=0.0)
    all_raw = len(raw_hyps) == len(refs)
    return OCRScore(
        pages=scores,
        missing=missing,
        halves={h: _overall(*per_half[h]) for h in sorted(per_half)},
        worse_than_raw=[p.file for p in scores if p.not_worse is False],
        cer=round(float(jiwer.cer(refs, hyps)), 4),
        wer=round(float(jiwer.wer(refs, hyps)), 4),
        word_recall=word_recall(" ".join(refs), " ".join(hyps)),
        raw_cer=round(float(jiwer.cer(refs, raw_hyps)), 4) if all_raw else None,
        raw_wer=round(float(jiwer.wer(refs, raw_hyps)), 4) if all_raw else None,
        raw_word_recall=word_recall(" ".join(refs), " ".join(raw_hyps)) if all_raw else None,
    )


# --------------------------------------------------------------------------- wiring labels


class WiringPageScore(BaseModel):
    """Wire labels and fuse ratings of one annotated wiring page found in the page text."""

    model_config = ConfigDict(extra="forbid")

    file: str
    half: str | None = None
    labels: int
    labels_found: int
    fuses: int
    fuses_found: int
    missed: list[str] = []


class WiringScore(BaseModel):
    """Recall of wire labels (".75 GN/WT", "2.5 BK/YL") and fuse ratings ("FUSE 10 7.5 AMP")."""

    model_config = ConfigDict(extra="forbid")

    pages: list[WiringPageScore]
    recall: float | None = None
    halves: dict[str, float] = {}
    missing: list[str] = []


_FUSE = re.compile(r"FUSE\s*(\d{1,2})\b.*?(\d{1,2}(?:\.\d)?)\s*AMP", re.IGNORECASE)


def _truth_labels(truth: dict) -> tuple[list[str], list[tuple[str, str]]]:
    """Wire labels as printed and (fuse number, rating) pairs of a wiring truth file."""
    wiring = truth.get("wiring") if isinstance(truth.get("wiring"), dict) else {}
    labels = []
    for w in wiring.get("wires") or []:
        label = w.get("label") or (f"{w.get('size', '')} {w.get('color', '')}".strip() if w.get("size") else "")
        if label:
            labels.append(" ".join(str(label).split()))
    fuses = []
    for f in truth.get("facts") or []:
        m = _FUSE.search(str(f.get("text") or ""))
        if m and str(f.get("quantity_detail") or "").startswith("fuse"):
            fuses.append((m.group(1), m.group(2)))
    return labels, fuses


def _count_label(label: str, text: str) -> int:
    pat = r"(?<![\w.])" + r"\s+".join(re.escape(t) for t in label.split()) + r"(?![\w/])"
    return len(re.findall(pat, text))


def _fuse_found(number: str, rating: str, text: str, window: int = 80) -> bool:
    """'FUSE <n>' with '<rating> AMP' printed within ``window`` characters after it."""
    for m in re.finditer(rf"FUSE\s*{re.escape(number)}\b", text, re.IGNORECASE):
        if re.search(rf"(?<![\d.]){re.escape(rating)}\s*AMP", text[m.end(): m.end() + window], re.IGNORECASE):
            return True
    return False


def score_wiring_labels(build_dir: Path, truth_dir: Path) -> WiringScore:
    """Share of the truth's wire labels (as a multiset) and fuse ratings that the page text holds."""
    build_dir, truth_dir = Path(build_dir), Path(truth_dir)
    pages = _build_pages(build_dir)
    halves = load_halves(truth_dir)
    truths = [(p, d) for p, d in read_truth_files(truth_dir) if any(_truth_labels(d))]
    claimed = frozenset(str(t.get("file") or "") for _, t in truths)
    out: list[WiringPageScore] = []
    missing: list[str] = []
    for tpath, truth in truths:
        tfile = str(truth.get("file") or "")
        page = _match(tfile, tpath, pages, claimed, truth_dir)
        if page is None:
            missing.append(tfile or tpath.name)
            continue
        text = normalize_text(page.text)
        labels, fuses = _truth_labels(truth)
        found, missed = 0, []
        for label, n in sorted(Counter(labels).items()):
            k = min(n, _count_label(label, text))
            found += k
            missed += [label] * (n - k)
        fuse_hits = [f for f in fuses if _fuse_found(*f, text)]
        missed += [f"FUSE {a} {b} AMP" for a, b in fuses if (a, b) not in fuse_hits]
        out.append(WiringPageScore(
            file=page.source, half=halves.get(page.source) or halves.get(tfile), labels=len(labels),
            labels_found=found, fuses=len(fuses), fuses_found=len(fuse_hits), missed=missed,
        ))

    def recall(ps: list[WiringPageScore]) -> float | None:
        total = sum(p.labels + p.fuses for p in ps)
        return round(sum(p.labels_found + p.fuses_found for p in ps) / total, 4) if total else None

    by_half = {h: recall([p for p in out if p.half == h]) for h in sorted({p.half for p in out if p.half})}
    return WiringScore(pages=out, recall=recall(out), halves={h: r for h, r in by_half.items() if r is not None},
                       missing=missing)
