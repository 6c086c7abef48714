"""Question qualifiers of SPEC examples: what a value's name does not say about its part.

* :func:`section_topic` — a section heading as a qualifier ('11 24 Connecting Rods and Bearings' ->
  'connecting rods and bearings').
* :func:`group_part` — a torque table's group ('pulley' under '12 31 Alternator with Drive and Mounting
  Parts' is asked '(alternator with drive and mounting parts)').
* :func:`job_qualifier` — the job whose step prints a value ('play between bearing inner race and circlip'
  in '23 11 013 REMOVING AND INSTALLING CASE FRONT SECTION' is asked '(removing and installing case front
  section)').

Each is '' when the name already says it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from manualtune.generate.common import clean_topic
from manualtune.generate.text import one_line
from manualtune.records import SpecFact


class _Item(Protocol):
    """What a qualifier reads of an answer item (generate/spec.py ``_SpecItem``)."""

    facts: list[SpecFact]
    component: str
    section: str | None


def section_topic(section: str | None) -> str:
    """Section heading as a question qualifier ('11 24 Connecting Rods and Bearings' -> 'connecting rods and bearings')."""
    t = clean_topic(section or "")
    return t if re.search(r"[A-Za-z]{3}", t) else ""


#: a torque table's group heading: '12 31 Alternator with Drive and Mounting Parts'
_GROUP_HEADING_RE = re.compile(r"^\s*\d{2} ?\d{2}\s+[A-Za-z]")
_STOP = frozenset("and with for the of to in on a an parts part mounting drive".split())


def job_qualifier(items: Sequence[_Item], jobs: Mapping[str, str]) -> str:
    """The job a value printed in a procedure's step belongs to, as a question qualifier, when the
    value's name does not say which part it is for: 'play between bearing inner race and circlip' in a
    step of '23 11 013 REMOVING AND INSTALLING CASE FRONT SECTION' is asked '(removing and installing case
    front section)' (2026-12-04 mid audit: "which bearing?"); '' when its facts are in no job or in
    several, or the name already holds a word of the job's object ('alternator' in 'disassembling /
    assembling alternator'). ``jobs``: fact id -> the title of the job whose step prints it."""
    titles = {jobs.get(f.fact_id) for it in items for f in it.facts}
    if len(titles) != 1 or None in titles:
        return ""
    topic = re.sub(r"\s*[(—–][^()]*[)—–]?\s*$", "", clean_topic(titles.pop())).strip(" ;,-")
    if not topic or re.search(r"\d", topic) or len(topic.split()) > 9:
        return ""
    words = {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", topic.lower()) if w not in _STOP and w not in _JOB_VERBS}
    named = {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", one_line(items[0].component).lower())}
    return "" if not words or words & named else topic


#: the verbs of a job title ('removing and installing', 'checking / adjusting'): no part of its object
_JOB_VERBS = frozenset({"removing", "installing", "replacing", "checking", "adjusting", "disassembling",
                        "assembling", "testing", "tightening", "measuring", "renewing", "overhauling", "repairing",
                        "bleeding", "draining", "filling", "cleaning", "setting", "balancing", "dismantling"})


def group_part(items: Sequence[_Item]) -> str:
    """The table group that a row's part belongs to, as a question qualifier, when the row's name does
    not say it: 'pulley' under '12 31 Alternator with Drive and Mounting Parts' is asked '(alternator with
    drive and mounting parts)', so it is not taken for another pulley, and 'wiper arm to wiper shaft'
    under '61 62 Tailgate Window Wiper' '(tailgate window wiper)', not taken for the windshield's; '' when
    the rows come from different groups, the heading is no group heading, or the name already has the
    group's leading word ('alternator to bracket')."""
    secs = {one_line(it.section or "") for it in items}
    if len(secs) != 1:
        return ""
    sec = secs.pop()
    if not _GROUP_HEADING_RE.match(sec):
        return ""
    topic = section_topic(sec)
    if re.search(r"\d", topic) or len(topic.split()) > 6:  # 'M14 and M14x1.5 - maximum ... N 600 02.0': no part
        return ""
    words = [w.rstrip("s") for w in re.findall(r"[a-z]{3,}", topic.lower()) if w not in _STOP]
    named = {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", one_line(items[0].component).lower())}
    return "" if not words or words[0] in named else topic
