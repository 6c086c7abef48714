"""Typed records that flow one way through manualtune.

sources -> pages -> (OCR) -> blocks -> facts / procedures -> examples -> splits -> exports

Every record that comes from a page carries a :class:`Provenance` (source file relative to
the source root, 1-based page number, bounding box in page pixels, OCR confidence 0-100).
Records are written to disk as JSONL with sorted keys (see :mod:`manualtune.cache`), so two
builds of the same inputs are byte-identical.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Base of all records: strict (unknown fields are an error) and JSON-friendly."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- geometry / provenance


class BBox(Record):
    """Axis-aligned box in page pixel coordinates (x0, y0) top-left, (x1, y1) bottom-right."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def union(self, other: BBox) -> BBox:
        return BBox(
            x0=min(self.x0, other.x0),
            y0=min(self.y0, other.y0),
            x1=max(self.x1, other.x1),
            y1=max(self.y1, other.y1),
        )

    @classmethod
    def enclosing(cls, boxes: list[BBox]) -> BBox | None:
        if not boxes:
            return None
        out = boxes[0]
        for b in boxes[1:]:
            out = out.union(b)
        return out


class Provenance(Record):
    """Where a record came from. ``file`` is relative to the source root (posix separators)."""

    file: str
    page: int = Field(ge=1, description="1-based page number inside the file (images: always 1)")
    bbox: BBox | None = None
    ocr_confidence: float | None = Field(default=None, description="0-100; None for text layers/HTML")
    page_id: str | None = None


# --------------------------------------------------------------------------- sources and pages

SourceKind = Literal["image", "pdf", "html"]


class SourceFile(Record):
    """One input file found by the inventory."""

    path: str = Field(description="path relative to the source root, posix separators")
    sha256: str
    size: int
    kind: SourceKind
    pages: int = Field(description="number of pages (images and HTML: 1)")


class PageRef(Record):
    """A page to process. ``page_id`` is unique even for same-named files in different folders."""

    page_id: str = Field(description="'<relative path>#p<page>@<sha256[:12]>'")
    source: str
    page: int
    sha256: str = Field(description="sha256 of the source file bytes")
    kind: Literal["image", "pdf_page", "html"]
    has_text_layer: bool = False


class Quarantine(Record):
    """A file (or one page of it) that could not be used, and why. The build goes on."""

    path: str
    page: int | None = None
    reason: Literal[
        "empty_file",
        "truncated_image",
        "not_an_image",
        "image_too_large",
        "corrupt_pdf",
        "encrypted_pdf",
        "unreadable_html",
        "unsupported_type",
        "ocr_failed",
        "decode_timeout",
        "changed_while_read",
        "symlink_outside_source",
        "symlink_loop",
        "dangling_symlink",
        "symlinked_folder",
        "not_a_regular_file",
        "bad_file_name",
        "build_folder",
        "other",
    ]
    detail: str


# --------------------------------------------------------------------------- OCR


class Word(Record):
    text: str
    bbox: BBox
    conf: float = Field(description="0-100")


class Line(Record):
    text: str
    bbox: BBox
    conf: float
    words: list[Word]
    block_num: int = 0
    par_num: int = 0
    line_num: int = 0


class Figure(Record):
    """A photo or drawing region of a page and the words read inside it or beside it (callouts,
    tool numbers, figure codes): figure metadata, never body text (:mod:`manualtune.ocr.figures`)."""

    bbox: BBox
    words: list[Word] = []
    text: str = ""


class Ruling(Record):
    """A ruling line detected (and removed) in preprocessing, in page pixel coordinates."""

    orientation: Literal["h", "v"]
    bbox: BBox


class PageOCR(Record):
    """OCR of one page. ``text`` is the plain text in reading order, one printed line per line."""

    page_id: str
    source: str
    page: int
    sha256: str
    engine: str = Field(description="e.g. 'tesseract 5.3.0', 'pdf-text-layer'")
    width: int
    height: int
    dpi: int | None = None
    deskew_angle: float = 0.0
    lines: list[Line]
    rulings: list[Ruling] = []
    text: str
    mean_conf: float | None = None
    word_count: int = 0
    notes: list[str] = Field(default=[], description="auditable OCR repairs (second-engine evidence), one per edit")
    figures: list[Figure] = Field(default=[], description="photo / drawing regions and the text inside them (kept out of `text`)")

    @classmethod
    def from_lines(
        cls, ref: PageRef, lines: list[Line], engine: str, width: int, height: int, dpi: int | None, **extra
    ) -> PageOCR:
        """Assemble a page from its lines: plain text = one line per line, mean word confidence."""
        confs = [w.conf for ln in lines for w in ln.words]
        return cls(
            page_id=ref.page_id, source=ref.source, page=ref.page, sha256=ref.sha256, engine=engine,
            width=width, height=height, dpi=dpi, lines=lines, text="\n".join(ln.text for ln in lines),
            mean_conf=round(sum(confs) / len(confs), 2) if confs else None, word_count=len(confs), **extra,
        )


# --------------------------------------------------------------------------- layout

BlockKind = Literal[
    "heading",
    "paragraph",
    "procedure_step",
    "note",
    "warning",
    "caution",
    "table",
    "figure_caption",
    "index_entry",
    "wiring",
    "troubleshooting",
    "header",
    "footer",
]


class TableCell(Record):
    text: str
    bbox: BBox | None = None
    conf: float | None = Field(default=None, description="mean word confidence; of its digits only in a nominal-value cell")
    with_units_conf: float | None = Field(default=None, description="nominal-value cells: mean confidence of the "
                                          "value words with their unit words printed apart (None: no unit apart)")
    col: int
    colspan: int = 1


class TableRow(Record):
    cells: list[TableCell]
    bbox: BBox | None = None
    section: str | None = Field(default=None, description="section heading the row belongs to")
    is_header: bool = False
    variant: str | None = Field(default=None, description="variant/type cell in force (own or inherited)")


class Block(Record):
    block_id: str = Field(description="'<page_id>/b<order>'")
    page_id: str
    kind: BlockKind
    order: int = Field(description="reading order on the page, 0-based")
    text: str
    column: int = 0
    rows: list[TableRow] = []
    section: str | None = None
    repair_code: str | None = None
    page_label: str | None = None
    meta: dict[str, str] = {}
    source: Provenance


# --------------------------------------------------------------------------- facts

Quantity = Literal[
    "torque", "clearance", "pressure", "volume", "length", "voltage", "resistance", "current",
    "speed", "power", "temperature", "angle", "time", "mass", "ratio", "wire", "other",
]


class TighteningStage(Record):
    """One stage of a multi-stage tightening spec ("Step 2: 30 Nm", "+90°")."""

    stage: int
    value: str
    value_max: str | None = None
    unit: str
    kind: Literal["torque", "angle"]


class SpecFact(Record):
    """One numeric specification, as printed, with its normalised form."""

    fact_id: str = Field(description="stable hash of source + component + value + unit + condition")
    component: str
    quantity: Quantity
    value: str = Field(description="nominal number as a string, e.g. '55', '0.25'")
    value_max: str | None = Field(default=None, description="upper end of a range '0.20-0.30'")
    tolerance: str | None = None
    unit: str = Field(description="canonical unit symbol: Nm, mm, bar, kPa, psi, cm³, l, kW, hp, rpm, V, Ω, A, °C, °, …")
    value_printed: str
    unit_printed: str
    condition: str | None = None
    variant: str | None = Field(default=None, description="engine/model variant: S14, M3, 320is, …")
    stages: list[TighteningStage] = []
    section: str | None = None
    repair_code: str | None = None
    alt_value: str | None = Field(default=None, description="printed conversion in brackets: '16' of '22 Nm (16 ft lbs)'")
    alt_unit: str | None = Field(default=None, description="canonical unit of ``alt_value`` (ft·lbf, in, psi, …)")
    also_in: list[Provenance] = Field(
        default=[], description="other sources printing the same fact (a table's text-layer PDF and its scans)"
    )
    derived: bool = Field(default=False, description="True when converted from another printed fact")
    derived_from: str | None = None
    text: str = Field(description="the printed line(s) the fact was read from")
    source: Provenance
    ocr_confidence: float | None = None
    needs_review: bool = False
    review_reason: str | None = None
    block_id: str | None = None


class ProcedureStep(Record):
    number: str | None = Field(default=None, description="step number as printed, None if unnumbered")
    text: str
    warnings: list[str] = []
    notes: list[str] = []
    fact_ids: list[str] = []
    special_tools: list[str] = []
    block_id: str | None = None
    source: Provenance


class Procedure(Record):
    procedure_id: str
    title: str
    repair_code: str | None = None
    section: str | None = None
    variant: str | None = None
    warnings: list[str] = []
    notes: list[str] = []
    steps: list[ProcedureStep]
    source: Provenance


class Conflict(Record):
    """Two sources give different values for the same component + quantity + variant (+ condition)."""

    conflict_id: str
    key: str = Field(description="normalised component|quantity|variant|condition")
    fact_ids: list[str]
    values: list[str] = Field(description="'value unit' as printed, one per fact")
    sources: list[Provenance]


class CleanupChange(Record):
    """One OCR cleanup edit. Value-changing edits need evidence."""

    page_id: str
    bbox: BBox | None = None
    before: str
    after: str
    rule: str
    changes_value: bool = False
    evidence: str | None = None


# --------------------------------------------------------------------------- dataset

TaskType = Literal["SPEC", "PROCEDURE", "EXPLANATION", "WIRING", "TROUBLESHOOTING"]


class Example(Record):
    example_id: str
    task: TaskType
    question: str
    answer: str
    group_id: str = Field(description="source unit used for splitting: all phrasings share it")
    phrasing: int = 0
    refusal: bool = False
    conflict_stated: bool = Field(default=False, description="answer states conflicting values with citations")
    fact_ids: list[str] = []
    block_ids: list[str] = []
    procedure_id: str | None = None
    variant: str | None = None
    section: str | None = None
    sources: list[Provenance] = []


class ExcludedExample(Record):
    example_id: str
    reason: str
    detail: str = ""


class SplitAssignment(Record):
    example_id: str
    group_id: str
    split: Literal["train", "val", "test"]
