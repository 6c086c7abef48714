"""PROCEDURE examples: the whole procedure record, steps numbered, the procedure's warnings first, a step's after it."""


from __future__ import annotations

import re
from collections.abc import Sequence

from manualtune.facts.values import infinity_read_as_zero, parse_spec_text
from manualtune.generate.common import (
    GenerationStats,
    _action,
    _contains_word,
    _dedupe_provenance,
    _make_example,
    _Pages,
    _strip_prefix,
    clean_topic,
)
from manualtune.generate.config import GenerateConfig
from manualtune.generate.debris import Speller
from manualtune.generate.templates import (
    PROCEDURE_TEMPLATES,
)
from manualtune.generate.text import (
    join_broken_words,
    normalize_question,
    one_line,
    prose_line,
)
from manualtune.layout.patterns import VERSION_WORDS
from manualtune.lexicon import is_english
from manualtune.records import Example, Procedure
from manualtune.stage_errors import stage_guard

#: a footnote printed under the steps ('* See Specifications', '** Source of Supply: HWB')
_FOOTNOTE_RE = re.compile(r"^\*+\s*\S")
#: a contents page read as a procedure: dot leaders, or three operation numbers in one step
_INDEX_RE = re.compile(
    r"\.{5,}"  # dot leaders
    r"|(?:(?:^|\s)\d{3}\s+[A-Z][^—]*—.*){3}"  # three operation numbers, each with its '— remove and install'
    r"|(?:(?<![\d\s])\s?\b\d{2}\s?-\s?\d{1,3}\b(?!\s?\d{3}).*){3}"  # three page references ('16- 8', '25-17')
    r"|—\s*(?:remove|install|replace|check|adjust|disassemble|overhaul)\b"  # an index entry's '— remove and install'
)


#: the italic sub-headings printed over a step or a group of steps ('Installation:', 'Removal:')
GROUP_LABELS = (
    "Removal", "Removing", "Installation", "Installing", "Disassembly", "Disassembling", "Assembly",
    "Assembling", "Reassembly", "Checking", "Adjusting", "Adjustment", "Testing", "Inspection", "Replacing",
)
_LABEL = "|".join(GROUP_LABELS)
#: a label as the OCR prints it: '(Installation:', 'installation:', 'Installation;'
_LABEL_AT_RE = re.compile(rf"(?:(?<=^)|(?<=[.!?,;] ))\(?({_LABEL})\s*[:;](?=\s|$)", re.IGNORECASE)
#: a label that lost its colon at the start of a sentence ('Installation Mount regulator ...',
#: '121 160. Installation Tightening torque: 20 Nm'); not a title ('Adjusting Front Door on Hinges:')
_LABEL_NO_COLON_RE = re.compile(r"(?:(?<=^)|(?<=[.!?] ))\(?(Installation|Removal|Disassembly|Assembly)\s+(?=[A-Z][a-z]+ [a-z])")
#: a label left at the end of the step before the one it belongs to
_LABEL_AT_END_RE = re.compile(rf"\s+\(?({_LABEL})\s*[:;]$", re.IGNORECASE)
#: a step that is only a label or a sub-heading ('Installation:', 'Arrangement of Balance Weights for Steel Rims:')
_LABEL_ONLY_RE = re.compile(r"^(?:[A-Z]\)\s*)?(?:[A-Z]|\d{4} )[\w'’/,() -]{2,80}:$")
#: a status line under the title filed as a step: '(Removed)', '— Wheel Removed —', or with its opening
#: dash lost, a status word in it ('Alternator Removed and Disassembled —' on 12-44)
_STATUS_WORD = r"(?:Removed|Disassembled|Dismantled|Detached|Drained)"
_STATUS_ONLY_RE = re.compile(
    r"^[(—–~-]+\s*([A-Za-z][A-Za-z ]{2,40}?)\s*[)—–~-]+$"
    rf"|^(?P<half>[A-Z][A-Za-z ]{{1,40}}?\b{_STATUS_WORD}(?: and [A-Z][a-z]+)?)\s*[—–~-]+$")
#: the part a status line says is removed ('— Alternator Removed and Disassembled —' -> 'Alternator')
_STATUS_SUBJECT_RE = re.compile(rf"^[(—–~\s-]*(?P<part>[A-Z][A-Za-z ]{{1,40}}?)\s+{_STATUS_WORD}\b")
#: a footnote printed at the end of a step block ('... Unscrew nut. * See Specifications')
_TRAILING_FOOTNOTE_RE = re.compile(r"\s+(?=\*{1,3}\s*[A-Z][a-z]+\b[^*]*$)")
#: a footnote's text without its mark, a block of its own over the '**' footnote ('See Specifications')
_BARE_FOOTNOTE_RE = re.compile(r"^See\s+(?:[A-Z][\w.]*\s*){1,4}(?:of\s+Gr\.\s*\d{2})?$")
#: a footnote mark after a word, a bracket or a closing quote ('torque*', '(1)*', 'B*', '“tester for gaskets”**')
_STAR_RE = re.compile(r"(?<=[\w)\]”\"’])(\*{1,3}|®)(?![*®])")
#: a figure legend filed as a step: '1 Basic flange 2 Center 3 Type flange', '1 = Bearing shell 2 = ...'
_LEGEND_ITEM_RE = re.compile(r"(?:^|\s)(\d{1,2})\s*=?\s+(?=[A-Za-z])")
#: a numbered legend entry written with its '=' ('1 = Nut', '2 = Adapter'): the parts lists of the figures
_NUMBERED_KEY_RE = re.compile(r"(?<![\w.,])(\d{1,2})\s?=\s?(?=[A-Z][a-z])")


def legend_gap(text: str) -> bool:
    """True when a numbered parts list ('Installed Order: 1 = Nut 2 = Adapter ...') skips numbers: an
    item the OCR garbled ('UV = Brass ring' for '6 = Brass ring', '5 = Seal' lost beside a drawing on 65-101)
    would drop a part from an installation order, so the job is not answered. A list starts at 1."""
    prev = None
    for m in _NUMBERED_KEY_RE.finditer(text):
        n = int(m.group(1))
        if n == 1:
            prev = 1
        elif prev is not None:
            if n != prev + 1:
                return True
            prev = n
    return False


#: a lettered or named legend entry 'key = label' ('Rt = red', 'FD = Manufacturing date', 'Round = entrance
#: zone'): a key of one to three letters or one capitalised word, one or more '=' (read '=='), a word
_KEYED_ITEM_RE = re.compile(r"(?:^|\s)(?:[A-Z][A-Za-z]{0,2}|[A-Z][a-z]{3,12})\s*=+\s*(?=[A-Za-z])")
#: a legend of keyed entries of at most this many words when it has only one '=' left (the OCR loses some)
LEGEND_MAX_WORDS = 8
#: a step is OCR noise when at least this share of its words (3+ letters) are no known words
NOISE_SHARE = 0.5


def _fix(text: str, speller: Speller | None) -> str:
    line = prose_line(text, speller.known if speller is not None else None)
    return speller.fix(line) if speller is not None else line


#: a signal word read in lower case ('important! — Installation:', 'caution! Danger of scalding'): capitalised
_SIGNAL_WORD_RE = re.compile(r"(?:^|(?<=[.!?:;—–\-] ))(important|caution|attention|warning|note)(?=[!:])")


def _signal_words(text: str) -> str:
    """'... bolts. important! Replace ...' -> '... bolts. Important! Replace ...'."""
    return _SIGNAL_WORD_RE.sub(lambda m: m.group(1).capitalize(), text)


def _canonical_labels(text: str) -> str:
    """'(installation;' -> 'Installation:'; 'Installation Mount' at the step start -> 'Installation: Mount'."""
    text = _LABEL_NO_COLON_RE.sub(lambda m: m.group(1) + ": ", text)
    return _LABEL_AT_RE.sub(lambda m: m.group(1)[:1].upper() + m.group(1)[1:].lower() + ":", text)


def is_legend(text: str) -> bool:
    """A figure legend filed as a step, no sentence in it, after an optional caption: numbered
    labels 1, 2, ... ('Arrangement of Balance Weights: 1 Spring holder 2 Balance weight') or keyed
    entries (:data:`_KEYED_ITEM_RE`; 'Color Codes: Rt = red Bl = blue'; 'Round = entrance zone
    Square = wheel house', one '=' lost, starting the text, at most :data:`LEGEND_MAX_WORDS` words; no
    number in it, so a dimension 'A = 50 mm' stays a step)."""
    body = re.sub(r"^[^:.=]{3,80}:\s+", "", text.strip())
    if re.search(r"[a-z]\.(?:\s|$)", body):
        return False
    nums = [int(n) for n in _LEGEND_ITEM_RE.findall(body)]
    if re.match(r"1\s*=?\s+[A-Za-z]", body) and nums[:2] == [1, 2]:
        return True
    keyed = _KEYED_ITEM_RE.findall(body)
    return bool(_KEYED_ITEM_RE.match(body)) and not re.search(r"\d", body) and (
        len(keyed) >= 2 or len(body.split()) <= LEGEND_MAX_WORDS)


def is_noise(text: str, speller: Speller | None = None) -> bool:
    """A step that is mostly OCR noise: at least :data:`NOISE_SHARE` of its words of 3+ letters
    (two at least) are neither English nor printed often in the build."""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) >= 3]
    if len(words) < 2:
        return not words and not re.search(r"\d", text)
    unknown = sum(1 for w in words if not (speller.known(w) if speller is not None else is_english(w)))
    return unknown >= NOISE_SHARE * len(words)


def _footnote_parts(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s+(?=\*+\s*[A-Z])", one_line(text)) if p.strip()]


def _inline_footnotes(text: str, marks: dict[str, str], used: set[str]) -> str:
    """'torque*' -> 'torque (see Specifications)' when the page prints '* See Specifications';
    a mark without a footnote is dropped ('side*.' -> 'side.'); a closing quote that no quote
    opens is a misread star when the page prints a '*' footnote."""
    def repl(m: re.Match[str]) -> str:
        mark = "*" if m.group(1) == "®" else m.group(1)  # OCR reads a lone star as '®' ('Torque® holder')
        note = marks.get(mark)
        if not note:
            return ""
        if note == mark:
            return note  # an ambiguous mark stays
        used.add(mark)
        return f" ({'s' + note[1:] if note.startswith('See ') else note})"

    if "*" in marks and marks["*"] != "*" and not _OPEN_QUOTE_RE.search(text):
        # a closing quote no quote opens is a star the OCR misread ('idle speed” and CO level”',
        # 'Tightening torque".', 'Coolant".')
        text = _MISREAD_STAR_RE.sub("*", text)
    if not _OPEN_QUOTE_RE.search(text):
        # stars and a quote read as one mark ('cement*”*' for 'cement**'): which mark is not known
        text = _MIXED_MARK_RE.sub("", text)
    return _STAR_RE.sub(repl, text)


#: a quote that opens a quotation ('“warm”', 'set to "warm"', '‘A’')
_OPEN_QUOTE_RE = re.compile(r"[“‘]|(?:^|(?<=[\s(]))[\"']")
#: stars and quotes read as one footnote mark ('*”*', '”*', '*"')
_MIXED_MARK_RE = re.compile(r"(?<=[\w)])(?:\*+[”\"]+\**|[”\"]+\*+)(?![\w])")
#: a closing quote glued to a word, no second quote after it ('torque".', 'level” and', 'grease’.')
_MISREAD_STAR_RE = re.compile(r"(?<=[a-z])[”\"’](?=[\s.,;)]|$)")


#: a bracket the OCR read as a brace: '{brazing solder)', '(brazing solder}'
_OPEN_BRACE_RE = re.compile(r"\{(?=[^{}()]*\))")
_CLOSE_BRACE_RE = re.compile(r"(\([^{}()]*)\}")


def _fix_braces(text: str) -> str:
    """'Remove scrap metal {brazing solder).' -> '... (brazing solder).' (the manual prints no braces)."""
    return _CLOSE_BRACE_RE.sub(r"\1)", _OPEN_BRACE_RE.sub("(", text))


def unconfirmed_value(text: str) -> bool:
    """A step that prints a value the OCR misread and no rule can confirm: a rise to '0' (the '∞'
    of 'rise immediately to ∞ ohms', :func:`manualtune.facts.values.infinity_read_as_zero`).
    The procedure is not answered: its steps would teach the wrong value."""
    line = one_line(text)
    return any(infinity_read_as_zero(line, v) for v in parse_spec_text(line))


def _contains(haystack: str, needle: str) -> bool:
    return normalize_question(needle) in normalize_question(haystack)


def procedure_answer(proc: Procedure, pages: _Pages, speller: Speller | None = None,
                     stats: GenerationStats | None = None) -> str | None:
    """The procedure's warnings first ('WARNING: …'), notes, then numbered steps 1..n (each step kept
    whole), a warning printed beside a step on the line after it, citation.

    A footnote printed under the steps ('* See Specifications') is written where its mark stands
    ('Tightening torque (see Specifications)'); a footnote no mark refers to is left out, and
    a mark with two footnotes stays, its footnotes after the steps.
    A sub-heading is kept as a label: 'Installation:' at the start of a step (colon restored,
    moved there when the OCR left it at the end of the step before); a step that is only a
    sub-heading ('Removal:', 'Automatic Transmission:') is a label line of its own, unnumbered.
    A figure legend filed as a step (:func:`is_legend`; its caption stays as a label) and a step that is mostly OCR noise
    (:func:`is_noise`) are dropped, counted in ``stats`` ('steps_dropped:legend' / ':noise').
    A warning or note that a step already prints stays in that step only."""
    stats = stats or GenerationStats()
    footnotes: list[str] = []
    texts: list[tuple[str, object]] = []
    for s in proc.steps:
        t = one_line(s.text)
        if not t:
            continue
        if s.number is not None:  # the printed number ("3.", "Step 3") is replaced by ours, not repeated
            t = re.sub(rf"^(?:step\s*)?{re.escape(s.number)}\s*[.):]?\s+", "", t, flags=re.IGNORECASE)
        if not _FOOTNOTE_RE.match(t):
            parts = _TRAILING_FOOTNOTE_RE.split(t, maxsplit=1)
            t, foot = parts[0], (parts[1] if len(parts) > 1 else "")
            if foot.startswith("**") and _BARE_FOOTNOTE_RE.match(t):
                # the first footnote lost its star ('See Specifications' / '** Source of Supply: HWB')
                t, foot = "", f"* {t} {foot}"
        else:
            foot, t = t, ""
        for part in _footnote_parts(foot):
            part = _fix(part, speller)
            if part not in footnotes:
                footnotes.append(part)
        if t:
            texts.append((t, s))
    if not texts:
        return None
    marks: dict[str, str] = {}
    ambiguous: set[str] = set()  # one mark, two footnotes ('* See Specifications of Gr. 32' / '... 32 and 34')
    for f in footnotes:
        m = re.match(r"^(\*+)\s*(.+)$", f)
        if m and marks.setdefault(m.group(1), m.group(2).strip()) != m.group(2).strip():
            ambiguous.add(m.group(1))
    for mark in ambiguous:
        marks[mark] = mark  # kept as printed, its footnotes after the steps
    used_marks: set[str] = set()

    def clean(text: str) -> str:
        return _signal_words(one_line(_inline_footnotes(_fix(_fix_braces(text), speller), marks, used_marks)))

    steps = [s for _, s in texts]
    step_texts = " ".join(s.text for s in steps)
    warnings: list[str] = []
    for w in proc.warnings:
        w = clean(_strip_prefix(w, "warning"))
        if w and w not in warnings and not _contains(step_texts, w):
            warnings.append(w)
    notes = []
    for n in proc.notes:
        n = clean(_strip_prefix(n, "note"))
        if n and n not in notes:
            notes.append(n)
    lines = [f"WARNING: {w}" for w in warnings] + [f"NOTE: {n}" for n in notes]
    body: list[tuple[str, str]] = []  # ("label" | "step" | "warning", text)
    carry = ""
    for raw, s in texts:
        text = _canonical_labels(clean(raw))
        if carry:
            text = f"{carry} {text}" if not _LABEL_AT_RE.match(text) else text
            carry = ""
        m = _LABEL_AT_END_RE.search(text)
        if m and m.start() > 0:
            carry, text = m.group(1)[:1].upper() + m.group(1)[1:].lower() + ":", text[: m.start()].rstrip()
        if _LABEL_ONLY_RE.match(text):
            body.append(("label", text))
            continue
        if (status := _STATUS_ONLY_RE.match(text)) and not body:
            text = f"— {status.group('half')} —" if status.group("half") else text
            if text not in notes:  # the status under the title: a note, as a printed subtitle is
                notes.append(text)
                lines.append(f"NOTE: {text}")
            continue
        if is_legend(text):
            stats.add("PROCEDURE", "steps_dropped:legend")
            caption = re.match(r"^([^:.]{3,80}:)\s+", text)
            if caption and _LABEL_ONLY_RE.match(caption.group(1)):
                body.append(("label", caption.group(1)))  # the figure's title stays as a label
            continue
        if is_noise(text, speller):
            stats.add("PROCEDURE", "steps_dropped:noise")
            continue
        extra = [clean(_strip_prefix(n, "note")) for n in s.notes if one_line(n) and not _contains(s.text, n)]
        if extra:
            text += " Note: " + " ".join(dict.fromkeys(extra))
        body.append(("step", text))
        for raw_w in s.warnings:  # a warning printed beside a step stays with it ('Only tighten nuts on flange end')
            w = clean(_strip_prefix(raw_w, "warning"))  # the step prints it (its footnote marks resolved alike)?
            if w and not _contains(s.text, _strip_prefix(raw_w, "warning")) and not _contains(text, w) \
                    and w not in warnings:
                warnings.append(w)
                body.append(("warning", f"WARNING: {w}"))
    while body and body[-1][0] == "label":
        body.pop()  # a label with no step under it
    if not any(kind == "step" for kind, _ in body):
        return None
    i = 0
    for kind, text in body:
        if kind != "step":
            lines.append(text)
        else:
            i += 1
            lines.append(f"{i}. {text}")
    # a footnote whose mark no line carries refers to nothing here; an ambiguous one follows the steps
    lines += [f for f in footnotes if (m := re.match(r"^(\*+)", f)) and m.group(1) in ambiguous]
    cite = pages.cite([(proc.source, None)] + [(s.source, s.block_id) for s in steps])
    return "\n".join(lines) + ("\n" + cite if cite else "")


#: a version label opening a job's first step ('BMW 318 i:', 'Bosch 65 A Alternator:', 'Alternator 80 A:',
#: 'Cars with Automatic Transmission:', '6 Cylinder M 20:'): a model, engine or rating, or a version word, at most six words
_FIRST_VERSION_RE = re.compile(r"^\s*(?P<label>[A-Z0-9][\w .'’/+-]{1,50}?)\s*:\s+\S")
_RATING_OR_MODEL = re.compile(
    r"\b\d{2,3}\s?(?:[A-Za-z]{1,2}\b|(?=\s|$))|\bM\d\b|\b[MSE] ?\d{2}\b|\b\d[ -]?[Cc]ylinders?\b")
#: a special tool number in a label ('Special Tool 11 2 160:'): no version
_TOOL_IN_LABEL = re.compile(r"(?i)\btools?\b|\b\d{2} \d \d{3}\b")


def version_label(proc: Procedure) -> str | None:
    """The version label a job's first step opens with, when it names a model, engine or rating or holds
    a version word ('BMW 318 i' on 18-02: the manual prints the same job for the 6-cylinder on 18-06 and
    the M3 on 18-08, so a question without it has several answers); None for a step label
    ('Installation:') or a sentence."""
    labels = [_version_at_start(st.text) for st in proc.steps]
    first = labels[0] if labels else None
    # a job whose steps go on with another version ('Two Door Cars:' ... 'Four Door Cars:') is no one version's
    return first if first is not None and {lb for lb in labels if lb is not None} == {first} else None


def _version_at_start(text: str) -> str | None:
    m = _FIRST_VERSION_RE.match(one_line(text))
    if m is None:
        return None
    label = m.group("label").strip()
    if len(label.split()) > 6 or label.split()[0].capitalize() in GROUP_LABELS or label.lower() in _STEP_LABELS \
            or _TOOL_IN_LABEL.search(label):
        return None
    return label if (_RATING_OR_MODEL.search(label) or VERSION_WORDS.search(label)) else None


#: labels that open a step and name no version
_STEP_LABELS = frozenset({"note", "caution", "important", "warning", "requirement", "layout", "tip"})


def status_phrase(proc: Procedure) -> tuple[str, str] | None:
    """(status, part) of the status line printed under a job's title ('— Alternator Removed and Disassembled
    —' -> ('Alternator Removed and Disassembled', 'Alternator')), from its notes or its first step; None
    without one. The question names the part when the title does not ('replacing ball bearing' on 12-44)."""
    for raw in [*proc.notes, *(s.text for s in proc.steps[:1])]:
        t = one_line(raw)
        if _STATUS_ONLY_RE.match(t) and (m := _STATUS_SUBJECT_RE.match(t)):
            return t.strip(" ()—–~-"), m.group("part")
    return None


def procedure_examples(procedures: Sequence[Procedure], pages: _Pages, cfg: GenerateConfig,
                       stats: GenerationStats | None = None, speller: Speller | None = None) -> list[Example]:
    """PROCEDURE examples, ``group_id`` = procedure_id; duplicate topics get their repair code added."""
    stats = stats or GenerationStats()
    out: list[Example] = []
    used: set[str] = set()
    for proc in sorted(procedures, key=lambda p: (p.source.file, p.source.page, p.procedure_id)):
        stats.add("PROCEDURE", "candidates")
        with stage_guard("generate.procedure", proc.procedure_id):
            if _INDEX_RE.search(" ".join([proc.title, *(s.text for s in proc.steps)])):
                stats.skip("PROCEDURE", "index_lines")
                continue
            if any(unconfirmed_value(s.text) for s in proc.steps):
                stats.skip("PROCEDURE", "unconfirmed_value")
                continue
            answer = procedure_answer(proc, pages, speller, stats)
            if answer and legend_gap(answer):
                stats.skip("PROCEDURE", "legend_gap")
                continue
            topic = clean_topic(join_broken_words(proc.title, speller.known if speller is not None else None), speller)
            if not answer or not re.search(r"[A-Za-z]", topic):
                stats.skip("PROCEDURE", "no_steps" if not answer else "no_topic")
                continue
            if proc.variant and not _contains_word(topic, proc.variant):
                topic = f"{topic} on the {proc.variant}"
            if (version := version_label(proc)) is not None and not _contains_word(topic, version):
                topic = f"{topic} ({version})"  # 'replacing final muffler (BMW 318 i)': one version of several
            if (status := status_phrase(proc)) is not None and not _contains_word(topic, status[1].split()[-1]):
                topic = f"{topic} ({status[0].lower()})"  # 'replacing ball bearing (alternator removed and disassembled)'
            if normalize_question(topic) in used and proc.repair_code:
                topic = f"{topic} ({one_line(proc.repair_code)})"
            if normalize_question(topic) in used:
                stats.skip("PROCEDURE", "duplicate_topic")
                continue
            used.add(normalize_question(topic))
            action = _action(topic)
            questions = []
            for t in PROCEDURE_TEMPLATES[: cfg.phrasings_per_procedure]:
                if "{action}" in t:
                    q = t.format(action=action) if action else f"How is {topic} done according to the manual?"
                else:
                    q = t.format(topic=topic)
                questions.append(q[:1].upper() + q[1:])
            fact_ids = sorted({i for s in proc.steps for i in s.fact_ids})
            block_ids = sorted({s.block_id for s in proc.steps if s.block_id})
            sources = _dedupe_provenance([proc.source] + [s.source for s in proc.steps])
            for i, q in enumerate(questions):
                out.append(_make_example(
                    "PROCEDURE", q, answer, proc.procedure_id, i, fact_ids=fact_ids, block_ids=block_ids,
                    procedure_id=proc.procedure_id, variant=proc.variant, section=proc.section, sources=sources,
                ))
    return out
