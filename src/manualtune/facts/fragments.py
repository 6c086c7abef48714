"""Fragment rules: a running-text phrase before a value that is a piece of an instruction or a clause, no
part name. A spec fact whose component is such a fragment needs review (it stays untrusted).

Rules (``RULES``):

- ``imperative_fragment`` / ``manner_clause``: "press on firmly", "add grease", a lone "Turn" ("Turn 90°"),
  "carefully until they fit tight and then loosen": an instruction, no part;
- ``relative_clause``: a "that" / "which" clause ("size that mating surface overlaps by distance") is no part;
- ``inner_clause`` / ``change_verb_lead``: a condition or a new instruction after a comma ('Inert gas spot welding
  or, when not accessible', 'flange correctly, increase the inflation pressure') and an instruction changing a
  quantity ('Increase the pressure') name no part;
- ``dangling_tail`` / ``clause_lead`` / ``threshold_tail``: a phrase the window cut inside its clause names no part:
  it ends in the value's comparison ('switched off with a flap opening of <', 'Continuous cracks with a length of
  more than', 'Control lamp after exceeding'), starts with 'than' / 'During' / 'avoid', or ends in a threshold
  ('Holes from a size [of 100 mm on]'); the fact needs review (its comparison was not read as a limit);
- ``participle_clause`` / ``bare_verb_clause``: a passive participle with its means ('performed with engine power
  In fourth gear', 'Tested immediately after warm-up time') or a plural subject with a bare verb ('with piston rods
  run out at room temperature for 24 hours': the storage time, no piston rod value) names no part;
- ``heading_word``: a procedure heading word with only a generic word after it ('Installation Tightening torque',
  'Installation', 'Basic adjustments') names no part (checked in :func:`manualtune.facts.components.component_problem`);
- ``not_object``: words after a verb that are no object of it ('TIMER OPERATES FOR ABOUT', 'remains activated for
  another'): prepositions, adverbs, limits, 'another' / 'further' before a span; a verb phrase with a real object names the object's value, not its subject's;
- ``debris``: a component holding OCR debris glyphs ("heat bal! bearing") names no part.

Fragments that still name a part (``RECOVERIES``, used by :func:`manualtune.facts.components.fragment_part`):

- ``change_target``: 'Reduce the residual cement to about 0.5 mm': a change verb's object with 'to' before the
  value is set to that value ('residual cement'); a generic object ('Increase the pressure to') stays in review;
- ``there_clearance``: 'New differential gears must be adjusted with shim (1), whereby there must still be a play
  of 0.01 to 0.07 mm': the play of the main clause's subject ('differential gear play');
- ``there_is_still`` / ``clearance_on``: '... that there is still 0.5 mm (0.020") play on the full throttle stop of
  the throttle valve with ...': the play word printed after the value names the part it is on
  ('play on full throttle stop of the throttle valve').
"""

from __future__ import annotations

import re

#: an instruction's manner / time clause inside a phrase: "carefully until they fit tight and then loosen"
_MANNER_CLAUSE = re.compile(r"(?i)\b(?:until|carefully|so\s+that)\b")
#: a relative / content clause inside a phrase: 'size that mating surface overlaps by distance'
_RELATIVE_CLAUSE = re.compile(r"(?i)\b(?:that|which|whereby)\s+[a-z]")
#: instruction verbs: running text that starts with one names no part ('press on firmly', 'add grease')
_IMPERATIVE_VERB = (r"(?:press|add|heat|fit|install|remove|drive|pull|insert|push|knock|tap|apply|use|coat|fill|top|"
                    r"grease|lubricate|clean|wait|allow|turn|rotate|screw|slide|pry|hold|let|drill|punch|cut)")
#: ... a lone instruction verb ('Turn 90°', 'Push in 90°' -> 'Push', 'Turn counterclockwise'), and an
#: instruction with its means or a second step ('Coat mating surfaces with ...', 'Remove retainers by
#: turning ...', 'Punch mark centers, drill')
_IMPERATIVE_FRAGMENT = re.compile(
    rf"(?i)^{_IMPERATIVE_VERB}(?:\s+(?:on|in|off|out|up|down|into|onto|"
    r"firmly|carefully|evenly|slightly|lightly|some|grease|oil|sealant|compound|it|them|"
    r"clockwise|counterclockwise|anticlockwise|counter-clockwise|back|further|fully)\b|$)|"
    r"^(?:coat|remove|punch|drill|cut|mark|turn|loosen|unscrew|screw|bend|align|insert|pull|push|press|"
    r"install|fit|apply|fill|clean|grind|file|bore)\s+[a-z][\w\- ]*?(?:\s(?:with|by|using)\s|,\s*[a-z]+$)"
)

#: glyphs no part name holds: OCR debris ("heat bal! bearing")
_DEBRIS = re.compile(r"[!$¢§|©®¬{}\[\]]")

#: a phrase cut before its value's comparison ('switched off with a flap opening of <', 'a length of more than',
#: 'Control lamp after exceeding', '... and'): the comparison belongs to the value and names no part
_DANGLING_TAIL = re.compile(
    r"(?i)(?:\b(?:of|than|from|after|before|exceeding|reaching|weighing|surpassing|and|or|with|by|to|both|each|"
    rf"respectively)|\b(?:and|or|then)\s+(?:{_IMPERATIVE_VERB}|inflate|deflate|increase|reduce|tighten)|[<>≤≥])\s*$"
)
#: a second clause inside a phrase: a condition or a new instruction after a comma ('Inert gas spot welding or,
#: when not accessible', 'flange correctly, increase the inflation pressure')
_INNER_CLAUSE = re.compile(
    r"(?i),\s*(?:when|if|unless|where|whereby|increase|reduce|inflate|deflate|tighten|adjust)\b"
)
#: an instruction that changes a quantity ('Increase the pressure'): no part
_CHANGE_VERB_LEAD = re.compile(r"(?i)^(?:increase|reduce|inflate|deflate|decrease)\b")
#: a phrase that starts inside a clause: a comparison, a time span or a purpose ('than the side panel at front',
#: 'During the first 1,000 km', 'avoid temperature')
_CLAUSE_LEAD = re.compile(r"(?i)^(?:than|not|during|within|while|whereas|(?:to\s+)?(?:avoid|prevent|ensure))\b")
#: a passive participle with its means / time ('performed with engine power', 'switched off with a flap opening',
#: 'Tested immediately after warm-up time'): the action, not a part
_PARTICIPLE_CLAUSE = re.compile(
    r"(?i)^(?:[a-z]+ing\s+)?[a-z]{3,}ed\s+(?:(?:on|off|in|out|up|down|immediately|only|again)\s+)?"
    r"(?:with|by|at|after|before|for|from|during|until|using|via)\b"
)
#: a plural subject with a bare finite verb and its particle ('with piston rods run out at room temperature'):
#: the value (here the storage time) is the clause's, not the subject's
_BARE_VERB_CLAUSE = re.compile(
    r"(?i)\b[a-z]{2,}s\s+(?:run|operate|open|close|rise|fall|stay|remain|turn|rotate|extend|protrude|move|slide|"
    r"hang|stand|point|lie)\s+(?:out|in|off|on|up|down|at|for|with|freely|upright|outward|inward)\b"
)
#: a threshold 'from a size of 100 mm on', 'above a length of': the dimension word is the quantity, no part
_THRESHOLD_TAIL = re.compile(
    r"(?i)\b(?:from|above|below|over|under|beyond|up\s+to)\s+(?:a|an|the)\s+"
    r"(?:size|length|width|depth|height|thickness|diameter|value|temperature|speed|distance)$"
)


#: a procedure heading word printed before a value's line ('Installation', 'Basic adjustments should be made with
#: 1 mm thick washers'): with nothing but a generic word after it, it names no part
_HEADING_WORD = re.compile(r"(?i)^(?:(?:basic|final)\s+)?(?:installation|removal|installing|removing|procedure|"
                           r"adjustments?|assembly|disassembly)\b[\s:]*")

#: words after a verb that are no object of it: prepositions, adverbs, limits ('OPERATES FOR ABOUT', 'runs at least')
_NOT_OBJECT = re.compile(
    r"(?i)(?:for|about|at|to|approx\.?|approximately|up|in|on|by|with|from|than|more|less|not|be|been|only|always|"
    r"still|then|least|most|max\.?|min\.?|maximum|minimum|out|off|down|over|under|below|above|within|after|"
    r"before|again|also|another|further|[a-z]+ed|[a-z]+en)"
)


# --------------------------------------------------------------------------- fragments that still name a part

#: 'Reduce the residual cement to about 0.5 mm': a change verb with an object and 'to' before the value sets the
#: object to that value (its target); 'reduce ... by 2 mm' (the change) is left alone
_CHANGE_TARGET = re.compile(r"(?i)\bto\s+(?:(?:about|approx\.?|approximately)\s+)?$")
#: 'gears must be adjusted with shim (1), whereby there must still be a play of': the play of the main clause's
#: subject
_THERE_CLEARANCE = re.compile(
    r"(?i)(?P<main>[^.;:]*?)\s*,?\s*\b(?:whereby|so\s+that|such\s+that)\s+there\s+(?:is|are|must|should|remains?)"
    r"(?:\s+(?:still|be|remain|always))*\s+(?:a\s+)?(?P<cw>end\s+play|axial\s+play|play|clearance|gap|backlash)"
    r"\s+of\s+(?:(?:approx\.?|about)\s+)?$"
)
#: '... that there is still | 0.5 mm (0.020") play on the full throttle stop of the throttle valve with ...': the
#: play word after the value, with the part it is on; the lead before the value, then the text after it
_THERE_IS_STILL = re.compile(r"(?i)\b(?:that|whereby)\s+there\s+(?:is|are|remains?|must\s+be|should\s+be)"
                             r"(?:\s+still)?\s*$")
_CLEARANCE_ON = re.compile(
    r"(?i)^\s*(?:\([^()]{0,20}\)\s*)?(?P<cw>play|clearance|gap)\s+(?:on|at)\s+(?:the\s+)?"
    r"(?P<part>[a-z][a-z\- ]{2,80}?)(?=\s+(?:with|when|and|if|while)\b|\s*[.,;({\[]|\s*$)"
)


def fragment_problem(t: str) -> str | None:
    """Why a tidied, lower-case phrase is an instruction or clause fragment: 'instruction fragment',
    'clause fragment', 'cut phrase'; None when it is none of them."""
    if _IMPERATIVE_FRAGMENT.match(t) or _MANNER_CLAUSE.search(t) or _CHANGE_VERB_LEAD.match(t):
        return "instruction fragment"
    if _RELATIVE_CLAUSE.search(t):
        return "clause fragment"  # 'size that mating surface overlaps by distance': no noun phrase
    if _DANGLING_TAIL.search(t) or _CLAUSE_LEAD.match(t) or _THRESHOLD_TAIL.search(t):
        return "cut phrase"  # 'switched off with a flap opening of <': the window cut its comparison
    if _PARTICIPLE_CLAUSE.match(t) or _BARE_VERB_CLAUSE.search(t) or _INNER_CLAUSE.search(t):
        return "clause fragment"  # 'piston rods run out at room temperature': the clause's value, no part's
    return None


#: the rule table of this module: (name, pattern, purpose)
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("manner_clause", _MANNER_CLAUSE, "an instruction's manner / time clause: the phrase names no part"),
    ("imperative_fragment", _IMPERATIVE_FRAGMENT, "running text starting with an instruction ('press on firmly')"),
    ("debris", _DEBRIS, "glyphs no part name holds ('heat bal! bearing')"),
    ("inner_clause", _INNER_CLAUSE, "a condition / instruction after a comma inside a phrase (', when not')"),
    ("change_verb_lead", _CHANGE_VERB_LEAD, "an instruction changing a quantity ('Increase the pressure')"),
    ("not_object", _NOT_OBJECT, "words after a verb that are no object ('OPERATES FOR ABOUT')"),
    ("heading_word", _HEADING_WORD, "a procedure heading word before a phrase ('Installation Tightening torque')"),
    ("relative_clause", _RELATIVE_CLAUSE, "a 'that' / 'which' clause inside a phrase: no noun phrase"),
    ("dangling_tail", _DANGLING_TAIL, "a phrase ending in its value's comparison ('of <', 'after exceeding')"),
    ("clause_lead", _CLAUSE_LEAD, "a phrase starting inside a clause ('than ...', 'During ...', 'avoid ...')"),
    ("participle_clause", _PARTICIPLE_CLAUSE, "a passive participle with its means ('performed with ...')"),
    ("bare_verb_clause", _BARE_VERB_CLAUSE, "a plural subject with a bare verb ('piston rods run out at')"),
    ("threshold_tail", _THRESHOLD_TAIL, "a threshold 'from a size': the dimension word, no part"),
)
#: the fragments that still name a part (``RECOVERIES``), used by components.fragment_part; tested in
#: tests/facts/test_components_fragments.py
RECOVERIES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("change_target", _CHANGE_TARGET, "'Reduce the residual cement to about': the object's target value"),
    ("there_clearance", _THERE_CLEARANCE, "', whereby there must still be a play of': the main subject's play"),
    ("there_is_still", _THERE_IS_STILL, "'that there is still' before a value whose play word follows it"),
    ("clearance_on", _CLEARANCE_ON, "'(0.020\") play on the full throttle stop' after a value: the play's part"),
)
