"""Write the bundled sample manual: scanned-looking pages, a text-layer PDF, an HTML sheet, truth.

``generate_sample_manual(out_dir, seed)`` writes, for the fictional Corvane 240:

* ~30 page JPGs in shelf-like folders (``11 - Engine/11-19.jpg``, ``00 - Torque Specs/11-19.jpg``, …),
* ``Corvane-240-torque-supplement.pdf`` (3 pages with a text layer),
* ``Corvane-240-techspec.html`` (``table#techTable``),
* ``<stem>.truth.json`` beside each input (schema ``manualtune-page-truth/1``),
* ``MANIFEST.json`` listing every file with its sha256 and kind.

Same seed -> byte-identical files (no timestamps; noise and skew come from a per-page seeded
numpy Generator, so generating a subset gives the same bytes for those pages).
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from manualtune.cache import atomic_write_bytes, sha256_bytes, write_json
from manualtune.sample.content import HTML_FILE, PAGES, PDF_FILE, PDF_TITLE
from manualtune.sample.html import build_html
from manualtune.sample.model import Page
from manualtune.sample.pdf import build_pdf
from manualtune.sample.render import (
    SKEW_CONVENTION,
    TRANSCRIPT_CONVENTIONS,
    FontMissingError,
    PageLayout,
    SampleContentError,
    render_page,
)

VERSION = "sample-1"
TRUTH_SCHEMA = "manualtune-page-truth/1"
MANIFEST_SCHEMA = "manualtune-sample-manifest/1"


class SampleFile(BaseModel):
    """One file of the sample manual."""

    model_config = ConfigDict(extra="forbid")

    path: str  # relative to the output folder, posix
    sha256: str
    bytes: int
    kind: Literal["image", "pdf", "html", "truth"]
    page_kind: str | None = None  # spec_table, procedure, … (inputs only)
    truth: str | None = None  # the truth file of an input
    dpi: int | None = None
    pages: int = 1
    fact_count: int = 0


class SampleManifest(BaseModel):
    """``MANIFEST.json`` of a generated sample manual."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: str = Field(default=MANIFEST_SCHEMA, alias="schema")
    generator: str = VERSION
    vehicle: str = "Corvane 240 (fictional): 240i (CR20), 240 Turbo (CR25T)"
    seed: int
    files: list[SampleFile]

    def inputs(self) -> list[SampleFile]:
        return [f for f in self.files if f.kind != "truth"]


def truth_path(rel: str) -> str:
    """``'11 - Engine/11-19.jpg'`` -> ``'11 - Engine/11-19.truth.json'``."""
    p = PurePosixPath(rel)
    return str(p.with_name(p.stem + ".truth.json"))


def page_truth(page: Page, lay: PageLayout, angle: float) -> dict[str, Any]:
    """The truth record of one rendered page."""
    truth: dict[str, Any] = {
        "schema": TRUTH_SCHEMA,
        "file": page.path,
        "kind": page.kind,
        "page_type": page.page_type or page.kind,
        "page_label": page.label,
        "section": page.section,
        "dpi": page.dpi,
        "image_size": [lay.width, lay.height],
        "headings": lay.headings,
        "operation_codes": lay.codes,
        "fact_count": len(lay.facts),
        "facts": lay.facts,
        "steps": lay.steps,
        "procedures": lay.procedures,
        "boxes": lay.boxes,
        "tables": lay.tables,
        "transcript": lay.transcript,
        "transcript_conventions": TRANSCRIPT_CONVENTIONS,
        "header_footer": lay.header_footer,
        "figure_text": lay.figure_text,
        "skew_angle": angle,
        "deskew_angle": -angle if angle else 0.0,
        "skew_convention": SKEW_CONVENTION,
        "notes": list(page.notes),
    }
    if lay.index_entries:
        truth["index_entries"] = lay.index_entries
    if lay.troubleshooting:
        truth["troubleshooting"] = lay.troubleshooting
    if page.kind == "wiring":
        wires = []
        for table in lay.tables:
            for row in table["rows"]:
                if row["kind"] == "data":
                    size, colour = row["cells"][0].split(" ", 1)
                    wires.append({"size": size, "color": colour, "from": row["cells"][1], "to": row["cells"][2]})
        truth["wiring"] = {**page.extra.get("wiring", {}), "wires": wires, "components": lay.figure_text}
    if page.page_type == "maintenance_schedule":
        items = []
        for table in lay.tables:
            cols = table["columns"]
            for row in table["rows"]:
                if row["kind"] == "data":
                    items.append({"item": row["cells"][0],
                                  **{cols[i]: row["cells"][i] for i in range(1, len(cols)) if row["cells"][i]}})
        truth["maintenance_items"] = items
    return truth


def pdf_truth(page_truths: list[dict[str, Any]]) -> dict[str, Any]:
    facts = [f for p in page_truths for f in p["facts"]]
    return {
        "schema": TRUTH_SCHEMA,
        "file": PDF_FILE,
        "kind": "spec_table",
        "page_type": "pdf_text_layer",
        "title": PDF_TITLE,
        "page_count": len(page_truths),
        "page_label": None,
        "headings": [h for p in page_truths for h in p["headings"]],
        "operation_codes": [],
        "fact_count": len(facts),
        "facts": facts,
        "steps": [],
        "transcript": [line for p in page_truths for line in p["transcript"]],
        "transcript_conventions": "Text layer, per page: heading, table header, then one line per table row "
                                  "(non-empty cells joined by one space). Running header/footer excluded.",
        "header_footer": [h for p in page_truths for h in p["header_footer"]],
        "deskew_angle": 0.0,
        "pages": page_truths,
        "notes": ["Hand-written PDF with standard Helvetica fonts (WinAnsi); every page has a text layer."],
    }


def _selected(rel: str, pages: list[str] | None) -> bool:
    return pages is None or any(fnmatch.fnmatchcase(rel, pat) for pat in pages)


def generate_sample_manual(
    out_dir: Path | str, seed: int = 0, pages: Iterable[str] | None = None
) -> SampleManifest:
    """Write the sample manual into ``out_dir`` and return its manifest.

    ``pages``: optional fnmatch patterns on the relative paths (``"00 - Torque Specs/*"``,
    ``"*.pdf"``, ``"*.html"``) to write a subset; the bytes of each file do not depend on it.
    Raises :class:`FontMissingError` (naming the Debian package) when a font is missing.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    patterns = list(pages) if pages is not None else None
    files: list[SampleFile] = []

    def put(rel: str, data: bytes, **meta: Any) -> None:
        atomic_write_bytes(out / rel, data)
        files.append(SampleFile(path=rel, sha256=sha256_bytes(data), bytes=len(data), **meta))

    def put_truth(rel: str, truth: dict[str, Any]) -> str:
        trel = truth_path(rel)
        write_json(out / trel, truth)
        data = (out / trel).read_bytes()
        files.append(SampleFile(path=trel, sha256=sha256_bytes(data), bytes=len(data), kind="truth"))
        return trel

    for index, page in enumerate(PAGES):
        if not _selected(page.path, patterns):
            continue
        jpeg, lay, angle = render_page(page, seed, index)
        truth = page_truth(page, lay, angle)
        trel = put_truth(page.path, truth)
        put(page.path, jpeg, kind="image", page_kind=page.kind, truth=trel, dpi=page.dpi,
            fact_count=len(lay.facts))

    if _selected(PDF_FILE, patterns):
        pdf_bytes, per_page = build_pdf()
        truth = pdf_truth(per_page)
        trel = put_truth(PDF_FILE, truth)
        put(PDF_FILE, pdf_bytes, kind="pdf", page_kind="spec_table", truth=trel, pages=len(per_page),
            fact_count=truth["fact_count"])

    if _selected(HTML_FILE, patterns):
        text, truth = build_html()
        truth = {"file": HTML_FILE, **truth}
        trel = put_truth(HTML_FILE, truth)
        put(HTML_FILE, text.encode("utf-8"), kind="html", page_kind="spec_table", truth=trel,
            fact_count=len(truth["facts"]))

    manifest = SampleManifest(seed=seed, files=sorted(files, key=lambda f: f.path))
    write_json(out / "MANIFEST.json", manifest.model_dump(mode="json", by_alias=True))
    return manifest


def main(out_dir: Path | str, seed: int = 0) -> int:
    """Console entry point (``manualtune sample OUT``): returns a process exit code."""
    try:
        manifest = generate_sample_manual(out_dir, seed=seed)
    except FontMissingError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except (OSError, SampleContentError) as e:
        print(f"error: could not write the sample manual to {out_dir}: {e}", file=sys.stderr)
        return 1
    inputs = manifest.inputs()
    facts = sum(f.fact_count for f in inputs)
    print(f"sample manual: {out_dir} ({len(inputs)} inputs, {len(manifest.files)} files, {facts} truth facts)")
    return 0
