"""Question templates per quantity, and the built-in refusal topics.

Every template has one ``{subject}`` slot ("S14 connecting rod bolts") and ends with '?', so a
disambiguating condition can be inserted before the question mark. Index = ``Example.phrasing``.
"""

from __future__ import annotations

#: noun phrase for a quantity ("What is the <label> of …", "The <label> of … is …")
QUANTITY_LABEL: dict[str, str] = {
    "torque": "tightening torque",
    "clearance": "clearance",
    "pressure": "pressure",
    "volume": "capacity",
    "length": "dimension",
    "voltage": "voltage",
    "resistance": "resistance",
    "current": "current",
    "speed": "speed",
    "power": "power output",
    "temperature": "temperature",
    "angle": "tightening angle",
    "time": "time",
    "mass": "weight",
    "ratio": "ratio",
    "wire": "wire cross-section",
    "other": "specified value",
}

SPEC_TEMPLATES: dict[str, tuple[str, ...]] = {
    "torque": (
        "What is the tightening torque of the {subject}?",
        "What torque should the {subject} be tightened to?",
        "According to the manual, what torque is specified for the {subject}?",
        "Torque spec for the {subject}?",
        "How tight should the {subject} be torqued?",
    ),
    "angle": (
        "What is the tightening angle of the {subject}?",
        "By what angle are the {subject} turned when tightening?",
        "According to the manual, what torque angle is specified for the {subject}?",
        "Torque-angle spec for the {subject}?",
        "How many degrees of torque angle do the {subject} get?",
    ),
    "clearance": (
        "What is the clearance of the {subject}?",
        "How much clearance should the {subject} have?",
        "According to the manual, what clearance is specified for the {subject}?",
        "Clearance spec for the {subject}?",
        "What is the allowed clearance for the {subject}?",
    ),
    "pressure": (
        "What is the pressure specified for the {subject}?",
        "What pressure should the {subject} show?",
        "According to the manual, what pressure applies to the {subject}?",
        "Pressure spec for the {subject}?",
        "Which pressure value does the manual give for the {subject}?",
    ),
    "volume": (
        "What is the capacity of the {subject}?",
        "How much does the {subject} take?",
        "According to the manual, what fill quantity is specified for the {subject}?",
        "Capacity spec for the {subject}?",
        "What volume does the manual give for the {subject}?",
    ),
}

GENERIC_TEMPLATES: tuple[str, ...] = (
    "What is the {label} of the {subject}?",
    "What {label} does the manual specify for the {subject}?",
    "According to the manual, what is the {label} for the {subject}?",
    "{Label} spec for the {subject}?",
    "Which {label} is specified for the {subject}?",
)

#: for components that already name their quantity ("conrod bearing play", "slave cylinder diameter")
SELF_DESCRIBING_TEMPLATES: tuple[str, ...] = (
    "What is the {subject}?",
    "What {subject} does the manual specify?",
    "According to the manual, what is the {subject}?",
    "What value is given for the {subject}?",
    "Which {subject} is specified?",
)
SELF_DESCRIBING_WORDS = (
    "play", "clearance", "diameter", "length", "width", "thickness", "height", "depth", "gap",
    "stroke", "bore", "capacity", "pressure", "torque", "voltage", "resistance", "current",
    "speed", "temperature", "ratio", "runout", "backlash", "tolerance", "size", "quantity",
    "output", "weight", "angle", "travel", "deflection", "limit", "dimension", "setting", "time",
)

PROCEDURE_TEMPLATES: tuple[str, ...] = (
    "What is the procedure for {topic}?",
    "How do I {action}?",
    "What are the steps for {topic}?",
)

EXPLANATION_TEMPLATES: tuple[str, ...] = (
    "What does the manual say about {topic}?",
    "Explain {topic} as described in the manual.",
)
WIRING_TEMPLATES: tuple[str, ...] = (
    "What does the wiring diagram for {topic} show?",
    "Describe the wiring of {topic} according to the manual.",
)
TROUBLESHOOTING_TEMPLATES: tuple[str, ...] = (
    "How do I troubleshoot {topic}?",
    "What checks does the manual list for {topic}?",
)

#: one wire of a wire list ({start}, {end}, {circuit})
WIRE_TEMPLATES: tuple[str, ...] = (
    "Which wire connects {start} to {end} in {circuit}?",
    "What size and colour is the wire from {start} to {end} ({circuit})?",
)
#: the parts of a circuit ({circuit})
CIRCUIT_TEMPLATES: tuple[str, ...] = (
    "What does {circuit} consist of?",
    "Which components make up {circuit} according to the wiring diagram?",
)
#: a fuse rating ({name}: 'fuse F7', 'fusible link F1'; {circuit})
FUSE_TEMPLATES: tuple[str, ...] = (
    "What is the rating of {name} in {circuit}?",
    "How many amps is {name} of {circuit} rated for?",
)
#: a note box printed on a wiring diagram ({circuit})
WIRING_NOTE_TEMPLATES: tuple[str, ...] = (
    "What does the note on the wiring diagram of {circuit} say?",
    "What does the manual note about {circuit}?",
)
#: one troubleshooting entry ({symptom}: as printed, first letter upper-case; {context}: ' (charging system)' or '')
SYMPTOM_TEMPLATES: tuple[str, ...] = (
    "{symptom}{context} — what should be checked?",
    "What does the manual say to do when: {symptom_lower}{context}?",
)
#: the requirements before troubleshooting ({topic}: 'the charging system')
REQUIREMENT_TEMPLATES: tuple[str, ...] = (
    "What are the requirements before troubleshooting {topic}?",
    "What must be in order before {topic} is diagnosed?",
)

#: gerund -> imperative for procedure titles ("REPLACING CONNECTING RODS" -> "replace connecting rods")
GERUNDS: dict[str, str] = {
    "removing": "remove", "installing": "install", "replacing": "replace", "checking": "check",
    "adjusting": "adjust", "bleeding": "bleed", "tightening": "tighten", "testing": "test",
    "disassembling": "disassemble", "assembling": "assemble", "measuring": "measure",
    "cleaning": "clean", "draining": "drain", "filling": "fill", "setting": "set",
    "renewing": "renew", "overhauling": "overhaul", "inspecting": "inspect", "machining": "machine",
    "reworking": "rework", "refacing": "reface", "lapping": "lap", "honing": "hone",
    "changing": "change", "servicing": "service", "lubricating": "lubricate", "aligning": "align",
}

#: plausible components a BMW E30-era manual does not cover (refusal topics), with a quantity
REFUSAL_COMPONENTS: tuple[tuple[str, str], ...] = (
    ("turbocharger wastegate actuator bolts", "torque"),
    ("intercooler hose clamps", "torque"),
    ("turbocharger oil feed line banjo bolt", "torque"),
    ("timing belt tensioner pulley bolt", "torque"),
    ("diesel particulate filter clamp", "torque"),
    ("high-pressure fuel pump mounting bolts", "torque"),
    ("variable valve timing solenoid bolts", "torque"),
    ("hybrid battery coolant circuit", "volume"),
    ("dual-clutch transmission fluid", "volume"),
    ("air suspension reservoir", "pressure"),
    ("common-rail fuel system", "pressure"),
    ("electric power steering motor bolts", "torque"),
    ("AdBlue tank", "volume"),
    ("glow plugs", "torque"),
    ("head-up display bracket screws", "torque"),
    ("tyre pressure monitoring sensor nut", "torque"),
)

#: plausible engine codes (refusal topics when no record mentions them)
REFUSAL_VARIANTS: tuple[str, ...] = (
    "S54", "S62", "S65", "M20", "M50", "M52", "N52", "B58", "CR30", "CR20D", "CR25D",
)
"""Engine codes only: a refusal is made when no record names the code, a word search that means nothing
for a car model ('E36 M3' is named nowhere, but its S50 US / S52 engines are: the 2026-12-03 second audit's
one untrustworthy example refused the VANOS line torque that 11-25 gives for them)."""

#: a value an instruction brings its object to ({label}: quantity label, {object}, {participle}, {gerund})
INSTRUCTION_TEMPLATES: tuple[str, ...] = (
    "To what {label} should the {object} be {participle}?",
    "What {label} does the manual give for {gerund} the {object}?",
    "According to the manual, to what {label} is the {object} {participle}?",
)
#: gerund of an instruction verb ('heat' -> 'heating')
INSTRUCTION_GERUNDS: dict[str, str] = {
    "heat": "heating", "adjust": "adjusting", "set": "setting", "preload": "preloading", "inflate": "inflating",
    "tighten": "tightening", "reduce": "reducing", "cool": "cooling", "warm": "warming", "torque": "torquing",
}
