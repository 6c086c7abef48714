"""Questions about the sample manual written by hand from ``manualtune.sample.content`` (not from a build).

Each answerable question: (question, task, targets [(value, value_max, tolerance, unit)], page label).
"""

from __future__ import annotations

ANSWERABLE: list[tuple[str, str, list[tuple[str, str | None, str | None, str]], str]] = [
    ("How tight should the flywheel bolts on the CR25T be?", "SPEC", [("120", None, None, "Nm")], "11-19"),
    ("What torque do the wheel bolts get?", "SPEC", [("100", None, None, "Nm")], "34-1"),
    ("What is the end gap of the top piston ring on the CR20?", "SPEC", [("0.20", "0.30", None, "mm")], "11-20"),
    ("How much torque does the oil drain plug need?", "SPEC", [("25", None, None, "Nm")], "11-20"),
    ("What is the tightening torque of the vibration damper central bolt?", "SPEC", [("310", None, None, "Nm")],
     "11-19"),
    ("What is the minimum thickness of the ventilated brake disc on the CR25T?", "SPEC",
     [("23.0", None, None, "mm")], "34-1"),
    ("What is the displacement of the CR20 engine?", "SPEC", [("1991", None, None, "cm³")], "00-2"),
    ("What is the idle speed of the 240 Turbo?", "SPEC", [("900", None, "50", "rpm")], "00-2"),
    ("What is the maximum boost pressure of the CR25T?", "SPEC", [("0.75", None, None, "bar")], "00-2"),
    ("What torque do the turbocharger to exhaust manifold nuts of the CR25T take?", "SPEC",
     [("30", None, None, "Nm"), ("90", None, None, "°")], "11-20"),
    ("What is the connecting rod bearing clearance?", "SPEC", [("0.020", "0.055", None, "mm")], "11-19"),
    ("How much coolant does the cooling system of the CR25T hold?", "SPEC", [("8.5", None, None, "l")], "00-4"),
    ("What is the tightening torque of the brake caliper carrier to the steering knuckle?", "SPEC",
     [("110", None, None, "Nm")], "34-1"),
    ("How do I bleed the brake system?", "PROCEDURE", [("2.0", None, None, "bar"), ("6", None, None, "Nm")], "34-9"),
    ("How do I check the fuel pressure?", "PROCEDURE", [("2.5", None, "0.2", "bar"), ("3.0", None, "0.2", "bar")],
     "13-12"),
]

UNANSWERABLE: list[str] = [
    "What is the tightening torque of the rear differential cover bolts?",
    "What tyre pressure does the spare wheel need?",
    "What is the tightening torque of the cylinder head bolts on the CR30 engine?",
    "How do I replace the cabin air filter?",
    "How much refrigerant does the air conditioning system take?",
]

#: the sample pages these questions need (a subset keeps the test build fast)
PAGES: list[str] = [
    "00 - Torque Specs/11-19.jpg", "00 - Torque Specs/11-20.jpg", "00 - Torque Specs/34-1.jpg",
    "00 - Maintenance/00-2.jpg", "00 - Maintenance/00-4.jpg", "13 - Fuel/13-12.jpg", "34 - Brakes/34-9.jpg",
    "*.html",
]
