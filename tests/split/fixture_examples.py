"""Small, realistic Example fixtures (E30 M3 / 320is service manual) shared by split and export tests.

63 examples over 21 groups, all five tasks, 2-3 phrasings per group, with fact ids and sources.
Two pairs of groups are built to leak if split naively: ``spec-rod-bolts`` and
``expl-rod-bolt-stretch`` share a fact id, ``ts-no-start`` and ``ts-no-start-hot`` share a
normalised question.
"""

from __future__ import annotations

from manualtune.cache import short_id
from manualtune.records import Example, Provenance

# group id -> (task, [questions], answer, fact ids, section)
GROUPS: dict[str, tuple[str, list[str], str, list[str], str]] = {
    "spec-head-bolts": (
        "SPEC",
        [
            "What is the tightening torque for the cylinder head bolts?",
            "Cylinder head bolts: what torque?",
            "How tight do the cylinder head bolts go on the S14?",
        ],
        "Cylinder head bolts (S14): stage 1 40 Nm, stage 2 60 Nm, then angle-tighten 2 x 90°.",
        ["f-head-1", "f-head-2"],
        "11 12 Cylinder head",
    ),
    "spec-rod-bolts": (
        "SPEC",
        [
            "What is the torque for the connecting rod bolts?",
            "Connecting rod bolt torque on the S14?",
            "How tight are the con rod bolts?",
        ],
        "Connecting rod bolts: 5 Nm, then 30 Nm, then angle-tighten 70° (S14).",
        ["f-rod"],
        "11 24 Connecting rods",
    ),
    "spec-drain-plug": (
        "SPEC",
        [
            "What is the torque for the oil drain plug?",
            "Oil drain plug tightening torque?",
            "How tight should the sump drain plug be?",
        ],
        "Oil drain plug: 35 Nm.",
        ["f-drain"],
        "11 13 Oil sump",
    ),
    "spec-spark-plugs": (
        "SPEC",
        [
            "What is the torque for the spark plugs?",
            "Spark plug tightening torque on the M3?",
            "How tight do the spark plugs go?",
        ],
        "Spark plugs: 20 Nm (cold engine).",
        ["f-plugs"],
        "12 12 Spark plugs",
    ),
    "spec-wheel-bolts": (
        "SPEC",
        [
            "What is the torque for the wheel bolts?",
            "Wheel bolt torque for the E30 M3?",
            "How tight are the road wheel bolts?",
        ],
        "Wheel bolts: 100 Nm.",
        ["f-wheel"],
        "36 10 Wheels",
    ),
    "spec-valve-intake": (
        "SPEC",
        [
            "What is the intake valve clearance with the engine cold?",
            "Intake valve clearance, cold engine?",
            "How much clearance do the intake valves need when cold?",
        ],
        "Intake valve clearance (cold): 0.25-0.30 mm.",
        ["f-vc-in"],
        "11 34 Valve clearance",
    ),
    "spec-valve-exhaust": (
        "SPEC",
        [
            "What is the exhaust valve clearance with the engine cold?",
            "Exhaust valve clearance, cold engine?",
            "How much clearance do the exhaust valves need when cold?",
        ],
        "Exhaust valve clearance (cold): 0.30-0.35 mm.",
        ["f-vc-ex"],
        "11 34 Valve clearance",
    ),
    "spec-fuel-pressure": (
        "SPEC",
        [
            "What is the fuel system pressure at idle?",
            "Fuel pressure at idle on the 320is?",
            "How much fuel pressure should there be at idle?",
        ],
        "Fuel pressure at idle: 3.0 ± 0.2 bar (vacuum hose connected 2.5 bar).",
        ["f-fuel"],
        "13 31 Fuel supply",
    ),
    "proc-oil-pump": (
        "PROCEDURE",
        [
            "How do I remove the oil pump?",
            "What are the steps to remove the oil pump on the S14?",
            "Oil pump removal procedure?",
        ],
        "1. Drain the engine oil and remove the oil sump. 2. Unscrew the sprocket nut and take off the "
        "chain sprocket. 3. Remove the three mounting bolts and lift out the oil pump with the pickup.",
        ["f-drain"],
        "11 41 Oil pump",
    ),
    "proc-head-gasket": (
        "PROCEDURE",
        [
            "How do I replace the cylinder head gasket?",
            "What is the procedure for changing the head gasket?",
            "Head gasket replacement steps on the M3?",
        ],
        "1. Drain the coolant and remove the intake manifold. 2. Remove the camshaft housing and the "
        "timing chain tensioner. 3. Loosen the cylinder head bolts in reverse order and lift off the head. "
        "4. Fit a new gasket and tighten the head bolts in stages in the specified order.",
        ["f-head-1"],
        "11 12 Cylinder head",
    ),
    "proc-valve-adjust": (
        "PROCEDURE",
        [
            "How do I adjust the valve clearance?",
            "What are the steps for setting valve clearance on the S14?",
            "Valve clearance adjustment procedure?",
        ],
        "1. Remove the cylinder head cover with the engine cold. 2. Turn the crankshaft until the cam lobe "
        "points away from the bucket. 3. Measure the clearance with a feeler gauge and replace the shim if "
        "the clearance is outside the specified range.",
        ["f-vc-in", "f-vc-ex"],
        "11 34 Valve clearance",
    ),
    "proc-brake-pads": (
        "PROCEDURE",
        [
            "How do I replace the front brake pads?",
            "What are the steps for changing front brake pads on the E30?",
            "Front brake pad replacement procedure?",
        ],
        "1. Remove the wheel. 2. Pull out the retaining pins and remove the spring. 3. Push the pistons "
        "back with a resetting tool and take out the pads. 4. Fit new pads and the wear sensor.",
        [],
        "34 11 Front brakes",
    ),
    "expl-rod-bolt-stretch": (
        "EXPLANATION",
        [
            "Why must the connecting rod bolts be angle-tightened?",
            "What is the reason for angle-tightening the rod bolts?",
            "Why are the con rod bolts tightened by angle?",
        ],
        "Angle-tightening stretches the connecting rod bolts into their elastic range so the clamping force "
        "is more even than torque alone; the bolts must therefore be replaced after removal.",
        ["f-rod"],
        "11 24 Connecting rods",
    ),
    "expl-cold-clearance": (
        "EXPLANATION",
        [
            "Why is valve clearance measured with the engine cold?",
            "Why check the valve clearance cold rather than hot?",
            "What is the reason for a cold valve clearance check?",
        ],
        "Valve clearance changes as the cylinder head and valves expand with heat, so the specified "
        "clearance only applies at a coolant temperature of at most 35 °C.",
        [],
        "11 34 Valve clearance",
    ),
    "expl-idle-control": (
        "EXPLANATION",
        [
            "What does the idle speed control valve do?",
            "What is the purpose of the idle control valve on the 320is?",
            "Explain the idle speed actuator.",
        ],
        "The idle speed control valve lets air bypass the closed throttle so the control unit can hold idle "
        "speed steady when loads such as the alternator or air conditioning are switched on.",
        [],
        "13 41 Idle control",
    ),
    "wire-fuel-pump-relay": (
        "WIRING",
        [
            "What colour is the wire from the fuel pump relay to the fuel pump?",
            "Fuel pump relay output wire colour?",
        ],
        "Fuel pump relay terminal 87 to the fuel pump: green/violet wire, 2.5 mm².",
        ["f-wire-fp"],
        "Electrical troubleshooting manual, fuel pump circuit",
    ),
    "wire-o2-sensor": (
        "WIRING",
        [
            "Which wire carries the oxygen sensor signal?",
            "Oxygen sensor signal wire colour?",
        ],
        "Oxygen sensor signal: black wire, shielded, to control unit pin 28.",
        ["f-wire-o2"],
        "Electrical troubleshooting manual, Motronic",
    ),
    "wire-starter": (
        "WIRING",
        [
            "What wire triggers the starter solenoid?",
            "Starter solenoid terminal 50 wire colour?",
        ],
        "Starter solenoid terminal 50: green/yellow wire from the ignition switch, 1.5 mm².",
        ["f-wire-50"],
        "Electrical troubleshooting manual, starting system",
    ),
    "ts-no-start": (
        "TROUBLESHOOTING",
        [
            "The engine cranks but does not start. What should I check?",
            "Engine turns over but will not start: where do I begin?",
            "What is the most common cause of a crank no-start on the M3?",
        ],
        "Check for spark at the plugs, then listen for the fuel pump running and measure fuel pressure; "
        "a failed fuel pump relay or a faulty crankshaft position sensor are common causes.",
        ["f-fuel"],
        "Troubleshooting, starting",
    ),
    "ts-no-start-hot": (
        "TROUBLESHOOTING",
        [
            "The engine cranks but does not start!  What should I check?",
            "Hot engine will not restart: what is the cause?",
            "Why does the engine not start when hot?",
        ],
        "A hot no-start is usually fuel vapour or a leaking injector: check that the fuel pressure holds "
        "after switching off and that the injectors do not drip.",
        [],
        "Troubleshooting, hot start",
    ),
    "ts-rough-idle": (
        "TROUBLESHOOTING",
        [
            "The idle speed is rough and hunting. What is the cause?",
            "Rough, hunting idle on the 320is: what should I check?",
            "Why does the idle hunt up and down?",
        ],
        "Check for vacuum leaks at the intake boots, clean the idle speed control valve and check the "
        "throttle switch adjustment; a hunting idle is rarely a fuel pressure problem.",
        [],
        "Troubleshooting, idle",
    ),
}


def make_examples(groups: dict[str, tuple[str, list[str], str, list[str], str]] | None = None) -> list[Example]:
    """Build the fixture examples (deterministic ids, one Provenance per example)."""
    out: list[Example] = []
    for page, (group_id, (task, questions, answer, fact_ids, section)) in enumerate(
        sorted((groups or GROUPS).items()), start=1
    ):
        for phrasing, question in enumerate(questions):
            out.append(
                Example(
                    example_id=short_id(group_id, phrasing, question),
                    task=task,  # type: ignore[arg-type]
                    question=question,
                    answer=answer,
                    group_id=group_id,
                    phrasing=phrasing,
                    fact_ids=list(fact_ids),
                    section=section,
                    variant="S14" if "S14" in question or "M3" in question else None,
                    sources=[Provenance(file="manual/e30_m3.pdf", page=page, ocr_confidence=91.5)],
                )
            )
    return out


def extra_groups(n: int, task: str = "SPEC", prefix: str = "extra") -> dict[str, tuple[str, list[str], str, list[str], str]]:
    """``n`` additional independent groups (two phrasings each) for stability/fraction tests."""
    return {
        f"{prefix}-{i:04d}": (
            task,
            [f"What is the torque for bolt number {i} of the {prefix} bracket?", f"{prefix} bracket bolt {i} torque?"],
            f"Bolt {i} of the {prefix} bracket: {10 + i % 50} Nm.",
            [f"f-{prefix}-{i}"],
            f"99 {i % 100:02d} {prefix}",
        )
        for i in range(n)
    }
