"""``extract_procedures``: heading with a repair code + the following step blocks -> Procedure."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from manualtune.cache import short_id
from manualtune.layout.config import LayoutConfig
from manualtune.layout.patterns import (
    SPECIAL_TOOL,
    STEP_NUMBER,
    VERSION_WORDS,
    label_kind,
    normalise_repair_code,
)
from manualtune.records import BBox, Block, Procedure, ProcedureStep, Provenance, SpecFact

_SKIP = {"header", "footer", "figure_caption"}
_ENDS = {"index_entry", "wiring", "troubleshooting"}


def _flat(text: str) -> str:
    return " ".join(text.split())


#: a printed subtitle under a heading ('— Transmission Removed —', '(Partial Replacement)'); a
#: "subtitle" that does not start so and ends in a word broken at the line end is a title line
_SUBTITLE_RE = re.compile(r"^\s*[—–\-(]")


#: the start of a subtitle left at the end of a title ('... FOR DIFFERENTIAL — Front Axle Final Drive')
_OPEN_SUBTITLE_RE = re.compile(r"\s([—–(][^—–()]*)$")
#: a footnote printed at the page foot ('* See Operating Material Specifications'), filed as a footer
_FOOTNOTE_LINE = re.compile(r"^\*{1,3}\s*[A-Z][a-z]+")
#: the same footnote printed at the foot of a text column mid-page (26-04: '* See Specifications' under the
#: left column, the job going on at the top of the right one): a footnote, never the end of the job
_COLUMN_FOOTNOTE = re.compile(r"^\*{1,3}\s*(?:See|Source)\b")


def _heading_title(text: str) -> str:
    """A heading's lines after its repair code as one title, words broken at a line end joined
    ('CHECKING FOR LEAKS BE-' / 'TWEEN …' -> 'CHECKING FOR LEAKS BETWEEN …')."""
    t = re.sub(r"^\W{0,2}[\d .:,]{7,11}", "", text.strip())
    t = re.sub(r"(?<=[A-Za-z])-\s*\n\s*(?=[A-Za-z])", "", t)
    return _flat(t)


def _labelled_parts(text: str, cfg: LayoutConfig) -> tuple[list[str], list[str]]:
    """Warnings/cautions and notes that start on a line of a step block ('Important!', 'Note:'),
    each running to the end of the block or to the next label."""
    warnings: list[str] = []
    notes: list[str] = []
    current: tuple[str, list[str]] | None = None
    for line in text.splitlines():
        kind = label_kind(line, cfg.warning_labels, cfg.caution_labels, cfg.note_labels)
        if kind:
            if current:
                (notes if current[0] == "note" else warnings).append(_flat(" ".join(current[1])))
            current = (kind, [line])
        elif current:
            current[1].append(line)
    if current:
        (notes if current[0] == "note" else warnings).append(_flat(" ".join(current[1])))
    return warnings, notes


_INDEX_LINE = re.compile(r"^\W{0,2}(?:\d{2}\s?\d{2}\s?)?\d{3}\s+[A-Z]|\.{4,}|\.\s\.\s\.")


def _looks_like_index(block: Block) -> bool:
    """Contents lines ('541 Starter gear ring replace', 'Cylinder head .......') filed as text:
    at least half of the block's lines start with an (operation) number or hold dot leaders."""
    if block.kind not in ("procedure_step", "paragraph") or block.meta.get("step_number"):
        return False
    lines = [ln for ln in block.text.splitlines() if ln.strip()]
    return bool(lines) and sum(1 for ln in lines if _INDEX_LINE.search(ln.strip())) >= 0.5 * len(lines)


def _box_kind(block: Block, cfg: LayoutConfig) -> str | None:
    """Kind of a boxed label block ('WARNING' / 'NOTE' / 'CAUTION' alone on its first line, the
    text below it) that the layout filed as a step; None for anything else."""
    if block.kind not in ("procedure_step", "paragraph") or block.meta.get("step_number"):
        return None
    lines = block.text.strip().splitlines()
    first = lines[0].strip().strip(":!.-–— ").lower() if lines else ""
    for kind, words in (("warning", cfg.warning_labels), ("caution", cfg.caution_labels), ("note", cfg.note_labels)):
        if first in words:
            return kind
    return None


def _value_in_text(fact: SpecFact, text: str) -> bool:
    for value, unit in ((fact.value_printed, fact.unit_printed), (fact.value, fact.unit)):
        if not value:
            continue
        pat = rf"(?<![\d.]){re.escape(value)}(?![\d])"
        if unit:
            pat += rf"\s*{re.escape(unit)}"
        if re.search(pat, text):
            return True
    return False


def _fact_ids(block: Block, text: str, facts_by_page: dict[str, list[SpecFact]]) -> list[str]:
    out = []
    for f in facts_by_page.get(block.page_id, []):
        if f.block_id == block.block_id or (f.block_id is None or f.block_id == block.block_id) and _value_in_text(f, text):
            out.append(f.fact_id)
    return sorted(set(out))


#: a figure caption or label line printed under a step ('Three Hole Flange Version', 'BMW 325 IX',
#: 'Arrangement of Washers'): two to seven words, each capitalised or an identifier (a short
#: function word between them allowed), no sentence punctuation
_CAPTION_LINE = re.compile(
    r"^(?:(?:[A-Z][\w'’/-]*|\d[\w.]*|[&/+-])\s+(?:(?:of|for|with|and|on|in|to|the)\s+)?){1,6}(?:[A-Z][\w'’/-]*|\d[\w.]*)$")


def is_caption_line(line: str) -> bool:
    """True for a label line under a step or figure ('Floor Assembly Plug Installation')."""
    t = " ".join(line.split())
    return bool(_CAPTION_LINE.match(t)) and not re.search(r"[.:;!?]$", t)


#: a line that stops mid-sentence, its object on the next line ('Press in radial oil seal flush with
#: Special Tools' / '11 1 273 and 11 1 271.'): what follows is step text, never a caption
_OPEN_LINE_END = re.compile(r"(?:\bToo[l!1I]s?|\b(?:with|and|or|to|of|for|on|in|see|Nos?\.?)|[—–,-])\s*$", re.IGNORECASE)


def _drop_caption_lines(text: str) -> str:
    """A step block without its trailing caption lines (figure labels filed under the step text);
    a line under a line that stops mid-sentence (:data:`_OPEN_LINE_END`) is no caption."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    while len(lines) > 1 and is_caption_line(lines[-1]) and not _OPEN_LINE_END.search(lines[-2]) \
            and not _legend_goes_on(lines):
        lines.pop()
    return "\n".join(lines)


#: a line of a figure's numbered parts list ('2 Shaft gear', '5 Case')
_LEGEND_LINE = re.compile(r"^\s*(\d{1,2})\s+[A-Z][A-Za-z ,/()’'-]*$")


def is_numbered_legend(text: str) -> bool:
    """A block that is only a figure's numbered parts list, two or more items numbered one after the other
    ('2 Shaft gear' / '3 Differential gear' / '4 Differential gear shaft' / '5 Case' on 31-35): no step text."""
    nums = [int(m.group(1)) if (m := _LEGEND_LINE.match(ln)) else -1 for ln in text.splitlines() if ln.strip()]
    return len(nums) >= 2 and nums == list(range(nums[0], nums[0] + len(nums))) and nums[0] >= 0


def _legend_goes_on(lines: list[str]) -> bool:
    """The last line is the next item of a numbered legend above it ('Layout:' / '1 Circlip' / ... /
    '3 Rubber mount' / '4 Washer' / '5 Bushing' on 12-142/1): kept with it, never a caption."""
    m = re.match(r"^\s*(\d{1,2})\s+[A-Za-z]", lines[-1])
    return bool(m) and int(m.group(1)) > 1 and any(
        re.match(rf"^\s*{int(m.group(1)) - 1}\s+[A-Za-z]", ln) for ln in lines[:-1])


#: the tool numbers after 'Special Tool(s)' ('11 1 273 and 11 1 271', read '111273 and 111271')
_TOOL_LIST = re.compile(r"(\bSpecial\s+Too[l!1I]s?\s+)((?:\d[\d ]{4,8}\d)(?:\s*(?:,|and|&)\s*\d[\d ]{4,8}\d)*)")
_GLUED_TOOL = re.compile(r"(?<![\d ])(\d{2}) ?(\d) ?(\d{3})(?![\d])")


def _split_tool_numbers(text: str) -> str:
    """Tool numbers after 'Special Tool(s)' printed 'dd d ddd' that the OCR read with a space lost
    ('111273' / '11 1273' -> '11 1 273'), so that they read as printed and count as special tools;
    a number of another length is left as read."""
    def tools(m: re.Match[str]) -> str:
        items = re.split(r"(\s*(?:,|and|&)\s*)", m.group(2))
        return m.group(1) + "".join(_GLUED_TOOL.sub(r"\1 \2 \3", it) if i % 2 == 0 else it
                                    for i, it in enumerate(items))
    return _TOOL_LIST.sub(tools, text)


_REPAIR_REF = re.compile(r"\d{2}\s?\d{2}\s?\d{3}(?:/\d{3})?\.?")


def _continues_see(step_text: str, block: Block, step_block_box: BBox | None = None) -> bool:
    """A repair number read as a figure number that ends the step above it: after 'see'
    ('Remove transmission — see' / '23 00 022.'), or printed as the step's last line
    ('Remove and install primary and final mufflers' / '18 12 000.'): the step has no closing
    stop, the number has one, and it sits right under the step, left-aligned with it."""
    if _REPAIR_REF.fullmatch(re.sub(r"^[—–-]\s*", "", _flat(block.text))) is None:
        return False
    if re.search(r"\bsee\s*$", step_text):
        return True
    box, above = block.source.bbox, step_block_box
    if box is None or above is None or re.search(r"[.!?:;]\s*$", step_text) or not _flat(block.text).endswith("."):
        return False
    line_h = max(box.y1 - box.y0, 1)
    return 0 <= box.y0 - above.y1 <= line_h and abs(box.x0 - above.x0) <= line_h


def _below(box: BBox | None, above: BBox | None) -> bool:
    """``box`` is the next printed line under ``above`` (indented at most three line heights)."""
    if box is None or above is None:
        return False
    line_h = max(above.y1 - above.y0, 1)
    return 0 <= box.y0 - above.y1 <= line_h and abs(box.x0 - above.x0) <= 3 * line_h


def _right_under(box: BBox | None, heading: BBox | None) -> bool:
    """``box`` is the line printed right under the ``heading`` line, within the heading's width."""
    if box is None or heading is None:
        return False
    line_h = max(heading.y1 - heading.y0, 1)
    return 0 <= box.y0 - heading.y1 <= line_h and heading.x0 <= box.x0 < heading.x1


def is_untitled_heading(block: Block) -> bool:
    """An upper-case line filed as a step ('BREAKING-IN PROCEDURES AFTER REPLACING FINAL DRIVE'):
    a heading of another section, without a repair code. It ends the procedure before it."""
    t = _flat(block.text)
    letters = re.sub(r"[^A-Za-z]", "", t)
    return len(t.split()) >= 3 and len(letters) >= 12 and letters.isupper() and not t.endswith(".")


#: a step that ends a job: 'Install in reverse order.', 'Installation is the reverse of removal.'
_CLOSING_STEP_RE = re.compile(r"\breverse\s+(?:order|sequence)\b|\bis\s+the\s+reverse\b|\bin\s+reverse\b", re.IGNORECASE)
#: a page label: prefix, page number, and a sub-page ('35-05_1', printed 35-5.1) or a letter ('23-168a', an
#: inserted page; '41-102c', a series of its own)
_PAGE_LABEL_RE = re.compile(r"^(.*?)(\d+)(?:_(\d+)|([a-z]))?$")


def _next_labels(stem: str) -> set[tuple[str, int, str]]:
    """The labels (prefix, number, suffix) a page printed after ``stem`` may carry: its next sub-page
    ('35-05' -> '35-05_1' / '35-05a', '35-05_1' -> '35-05_2', '11-61a' -> '11-61b'), or the next
    number, with the page's letter ('41-102c' -> '41-103c') or none ('23-168a' -> '23-169')."""
    m = _PAGE_LABEL_RE.match(stem)
    if not m:
        return set()
    prefix, number, sub, letter = m.group(1), int(m.group(2)), m.group(3), m.group(4)
    out = {(prefix, number + 1, ""), (prefix, number + 1, letter or "")}
    if sub is not None:
        out.add((prefix, number, f"_{int(sub) + 1}"))
    elif letter:
        out.add((prefix, number, chr(ord(letter) + 1)))
    else:
        out |= {(prefix, number, "_1"), (prefix, number, "a")}
    return out


def _label(stem: str) -> tuple[str, int, str] | None:
    m = _PAGE_LABEL_RE.match(stem)
    if not m:
        return None
    return m.group(1), int(m.group(2)), f"_{int(m.group(3))}" if m.group(3) else (m.group(4) or "")


def is_next_page(prev: Provenance, nxt: Provenance) -> bool:
    """``nxt`` is the page printed right after ``prev``: the next page of the same file, or the
    next page label in the same folder ('23 - Manual Transmission/23-169.jpg' -> '.../23-170.jpg',
    '35-05.jpg' -> '35-05_1.jpg'; :func:`_next_labels`)."""
    if prev.file == nxt.file:
        return nxt.page == prev.page + 1
    a, b = PurePosixPath(prev.file), PurePosixPath(nxt.file)
    if a.parent != b.parent or prev.page != 1 or nxt.page != 1:
        return False
    return _label(b.stem) in _next_labels(a.stem)


def _may_continue(proc: Procedure, block: Block) -> bool:
    """The procedure that ran to the end of its page may go on with ``block`` (a block of
    another page): the next printed page, the procedure's last step no closing step ('Install in
    reverse order'), and no new job starting at the top of that page (the caller checks that
    ``block`` is its first block, and a step: no heading, no upper-case title, no index line)."""
    steps = [s for s in proc.steps if not _FOOTNOTE_LINE.match(s.text)]  # a page-foot footnote is no step
    last = steps[-1] if steps else None
    if last is None or _CLOSING_STEP_RE.search(last.text) or not is_next_page(last.source, block.source):
        return False
    return True


#: a title line printed over a job: a repair code ('23 11 623', '5131...') or upper-case words
_TITLE_LINE_RE = re.compile(r"^\W{0,2}\d{2}\s?\d{2}(?:\s?\d{3}|\s?\.{2,})")


#: a version sub-heading over a job's steps: one short line ending in a colon, no repair code
#: ('1988 Models On:', 'Since 1987 Models:', 'Version with Radiator Drain Plug:', 'Four Door:')
_VERSION_HEADING_RE = re.compile(r"^(?!\d{2}\s?\d{2}\s?\d{3})(?=[^:]*[A-Za-z]{3})[A-Z0-9][\w’'/.,() -]{2,60}:$")


def _is_version_heading(block: Block) -> bool:
    """A heading block that is a version label of the job above it (:data:`_VERSION_HEADING_RE`, at
    most eight words, a version word in it (:data:`~manualtune.layout.patterns.VERSION_WORDS`), no
    repair code), not the title of a new job or section ('REPLACING TIRE:' on 36-9 after the rim-runout
    job of 36-8 ends that job)."""
    text = _flat(block.text)
    return bool(_VERSION_HEADING_RE.match(text) and VERSION_WORDS.search(text)) and len(text.split()) <= 8 and not (
        normalise_repair_code(block.text) or block.meta.get("repair_code"))


def _is_title_line(line: str) -> bool:
    t = _flat(line)
    letters = re.sub(r"[^A-Za-z]", "", t)
    return bool(_TITLE_LINE_RE.match(t)) or (len(letters) >= 5 and letters.isupper())


def is_step_text(block: Block, cfg: LayoutConfig) -> bool:
    """A block of a page without a heading above it that reads as step text of a job begun on
    the page before: a step or paragraph whose first line starts a sentence (or a step number),
    no title line (repair code, upper-case words), no labelled box, no index lines, no caption alone."""
    if block.kind not in ("procedure_step", "paragraph") or _box_kind(block, cfg) or is_untitled_heading(block) \
            or _looks_like_index(block):
        return False
    lines = [ln for ln in block.text.splitlines() if ln.strip()]
    if not lines or all(is_caption_line(ln) for ln in lines) or any(_is_title_line(ln) for ln in lines):
        return False
    return bool(re.match(r"[A-Z][a-z]", lines[0].strip()) or STEP_NUMBER.match(_flat(block.text)))


def _starts_continuation(proc: Procedure, block: Block, cfg: LayoutConfig) -> bool:
    """``block``, the first block of the next page, is step text of ``proc`` (:func:`is_step_text`),
    and not step 1 after numbered steps (a new job's first step)."""
    if not is_step_text(block, cfg):
        return False
    m = STEP_NUMBER.match(_flat(block.text))
    number = (m.group(1) or m.group(2)) if m else None
    numbered = [s.number for s in proc.steps if s.number and s.number.isdigit()]
    if number is not None and number.isdigit():
        return not numbered or int(number) == int(numbered[-1]) + 1
    return True


def _step(block: Block, facts_by_page: dict[str, list[SpecFact]], cfg: LayoutConfig) -> ProcedureStep:
    text = _split_tool_numbers(_flat(_drop_caption_lines(block.text)))
    m = STEP_NUMBER.match(text)
    warnings, notes = _labelled_parts(block.text, cfg)
    return ProcedureStep(
        number=(m.group(1) or m.group(2)) if m else None,
        text=text,
        warnings=warnings,
        notes=notes,
        fact_ids=_fact_ids(block, text, facts_by_page),
        special_tools=sorted(set(SPECIAL_TOOL.findall(text))),
        block_id=block.block_id,
        source=block.source,
    )


def _caption_tail(text: str) -> str:
    """The caption lines :func:`_drop_caption_lines` takes off the end of a step block, as one line."""
    kept = [ln for ln in _drop_caption_lines(text).splitlines() if ln.strip()]
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return _flat("\n".join(lines[len(kept):]))


def _name_repeated_steps(proc: Procedure, blocks: dict[str, Block]) -> Procedure:
    """A step that repeats one before it ('Disconnect oxygen sensor plug (1). Lift out wire harness.' twice
    on 18-07, once per plug) keeps the caption printed under it, and so does the step it repeats
    ('... (Right Wheel House Plug Installation)'): without them two steps read as one done twice."""
    def norm(t: str) -> str:
        return re.sub(r"\W+", " ", t.lower()).strip()

    steps = list(proc.steps)
    texts = [norm(st.text) for st in steps]
    named: set[int] = set()
    for i, t in enumerate(texts):
        earlier = [j for j in range(i) if len(t) >= 12 and t in texts[j]]
        if earlier:
            named |= {i, *earlier}
    for i in sorted(named):
        block = blocks.get(steps[i].block_id or "")
        caption = _caption_tail(block.text) if block is not None else ""
        if caption:
            steps[i] = steps[i].model_copy(update={"text": f"{steps[i].text} ({caption})"})
    return proc.model_copy(update={"steps": steps}) if named else proc


def extract_procedures(
    blocks: list[Block], facts: list[SpecFact], cfg: LayoutConfig | None = None
) -> list[Procedure]:
    """Procedures in block order (pages in the given order, blocks in reading order).

    A procedure starts at a heading with a repair code and collects the following
    ``procedure_step`` blocks (also across the column break) until the next heading, the end of the
    page, or an upper-case line of another section (:func:`is_untitled_heading`). A procedure
    that runs to the end of its page goes on onto the next printed page (:func:`is_next_page`)
    only when that page starts with step text (before any heading, title or other block) that is
    no new job's step 1, and the procedure's last step is no closing step ('Install in reverse
    order'); each step keeps its own page. A note / caution /
    warning block between steps attaches to the step before it (to the procedure when no step came
    yet). Step text is kept whole, less the caption lines printed under it (:func:`is_caption_line`);
    a block that is only a caption is no step.
    """
    cfg = cfg or LayoutConfig()
    facts_by_page: dict[str, list[SpecFact]] = {}
    for f in facts:
        if f.source.page_id:
            facts_by_page.setdefault(f.source.page_id, []).append(f)
    procedures: list[Procedure] = []
    current: Procedure | None = None
    page_of_current: str | None = None  # the page the procedure's last block is on
    continued = False  # the procedure went on at the top of this page (its blocks are no steps by layout)
    tail_outside = False  # a block after the procedure's last step that is not part of it (a paragraph)
    last_box: BBox | None = None  # where the last step's text ends on the page
    foot_steps: list[tuple[Procedure, int]] = []  # the footnote steps of the last footnote line
    foot_box: BBox | None = None

    by_id = {b.block_id: b for b in blocks}

    def close() -> None:
        nonlocal current
        if current is not None and current.steps:
            procedures.append(_name_repeated_steps(current, by_id))
        current = None

    for block in blocks:
        if block.kind == "figure_caption" and current is not None and current.steps and _continues_see(
                current.steps[-1].text, block, last_box):
            last = current.steps[-1]
            current.steps[-1] = last.model_copy(update={"text": f"{last.text} {_flat(block.text)}"})
            last_box = block.source.bbox
            continue
        if (block.kind == "footer" and _FOOTNOTE_LINE.match(_flat(block.text))) or (
                block.kind == "paragraph" and _COLUMN_FOOTNOTE.match(_flat(block.text))):
            # the footnote of the page's marks ('gear lube*'): a footnote step of each procedure of the page
            foot_steps = []
            for proc in [p for p in procedures if p.source.page_id == block.page_id] + (
                    [current] if current is not None and current.steps else []):
                proc.steps.append(ProcedureStep(text=_flat(block.text), block_id=block.block_id, source=block.source))
                foot_steps.append((proc, len(proc.steps) - 1))
            foot_box = block.source.bbox
            continue
        if block.kind == "footer" and foot_steps and _below(block.source.bbox, foot_box):
            # the footnote's second line ('** See Workshop Equipment Planning' / 'Documents')
            for proc, i in foot_steps:
                step = proc.steps[i]
                proc.steps[i] = step.model_copy(update={"text": f"{step.text} {_flat(block.text)}"})
            foot_box = block.source.bbox
            continue
        foot_steps = []
        if block.kind in _SKIP:
            continue
        if block.kind == "heading" and current is not None and current.steps and _is_version_heading(block) and (
                block.page_id == page_of_current or (not tail_outside and _may_continue(current, block))):
            # 'Since 1988 Models:' over the job's own steps for one version (on 63-02a, the next page): a label
            current.steps.append(ProcedureStep(text=_flat(block.text), block_id=block.block_id, source=block.source))
            page_of_current, continued, tail_outside = block.page_id, True, False
            continue
        if block.kind == "heading":
            close()
            code = normalise_repair_code(block.text) or block.meta.get("repair_code")
            if not code:
                continue
            title = block.meta.get("title") or _flat(re.sub(r"^\W{0,2}[\d .:,]{7,11}", "", block.text))
            notes = [block.meta["subtitle"]] if block.meta.get("subtitle") else []
            if notes and not _SUBTITLE_RE.match(notes[0]) and re.search(r"[A-Za-z]-$", notes[0].strip()):
                # a title line taken for a subtitle ('STOP LIGHT FOR CONVERT-'): the title is every line
                title, notes = _heading_title(block.text), []
            elif notes and not _SUBTITLE_RE.match(notes[0]) and (m := _OPEN_SUBTITLE_RE.search(title)) and \
                    re.search(r"[—–)]\s*$", notes[0]):
                # a two-line subtitle split at its line end: 'FOR DIFFERENTIAL — Front Axle Final Drive' /
                # 'Removed —' -> title 'FOR DIFFERENTIAL', subtitle '— Front Axle Final Drive Removed —'
                title, notes = title[: m.start()].strip(), [f"{m.group(1).strip()} {notes[0].strip()}"]
            current = Procedure(
                procedure_id=short_id(block.page_id, title),
                title=title,
                repair_code=code,
                section=block.section,
                notes=notes,
                steps=[],
                source=block.source,
            )
            page_of_current, tail_outside, continued = block.page_id, False, False
            continue
        if current is None:
            continue
        if block.page_id != page_of_current:
            if not tail_outside and _may_continue(current, block) and _starts_continuation(current, block, cfg):
                page_of_current, continued = block.page_id, True  # the job goes on at the top of the next page
            else:
                close()
                continue
        if (block.kind in _ENDS or _looks_like_index(block)
                or (block.kind == "procedure_step" and is_untitled_heading(block))):
            close()
            continue
        kind = _box_kind(block, cfg) or block.kind
        if continued and kind == "paragraph":
            if is_numbered_legend(block.text):
                continue  # a figure's parts list on the continued page ('2 Shaft gear' / '3 Differential gear'): no end
            if not is_step_text(block, cfg):
                close()  # a title or other text: the continued job ends here
                continue
            kind = "procedure_step"
        if kind == "procedure_step":
            if not current.steps and not current.notes and _SUBTITLE_RE.match(block.text) and _right_under(
                    block.source.bbox, current.source.bbox):
                current.notes.append(_flat(block.text))  # the heading's subtitle ('(Rear Side Panel Removed)')
                continue
            if all(is_caption_line(ln) for ln in block.text.splitlines() if ln.strip()):
                if not current.steps and not current.notes and _right_under(block.source.bbox, current.source.bbox):
                    # the heading's subtitle, its dashes lost ('Four Door Model' under '41 11 101 REPLACING ...')
                    current.title = f"{current.title} – {_flat(block.text)} –"
                continue  # a figure label filed as a step ('Two Hole Flange Version')
            current.steps.append(_step(block, facts_by_page, cfg))
            last_box = block.source.bbox
            tail_outside = False
        elif kind in ("note", "warning", "caution"):
            text = _flat(block.text)
            target = current.steps[-1] if current.steps else current
            (target.notes if kind == "note" else target.warnings).append(text)
        else:
            tail_outside = True
    close()
    return procedures
