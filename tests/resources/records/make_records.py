"""Writes the hand-made record fixtures of tests/generate and tests/quality (run once, output committed).

Values follow the dev scans (torque_11-19, proc_11-64, proc_21-05, wiring_1230-00,
trouble_12-40, proc_34-01) plus a sample-manual page with CR20 / CR25T variants.
Usage: python tests/resources/records/make_records.py
"""

from __future__ import annotations

from pathlib import Path

from manualtune.cache import short_id, write_jsonl
from manualtune.records import (
    BBox,
    Block,
    Conflict,
    Procedure,
    ProcedureStep,
    Provenance,
    SpecFact,
    TighteningStage,
)

HERE = Path(__file__).parent
PAGES = {
    "11-19": ("torque/11-19.jpg", "torque/11-19.jpg#p1@a16ac2b6d750", "11 - 19", "11 24"),
    "11-64": ("manual/11-64.jpg", "manual/11-64.jpg#p1@5e1a0c7700aa", "11-64", "11 24"),
    "21-05": ("manual/21-05.jpg", "manual/21-05.jpg#p1@0b9f2e11c3d4", "21-5", "21 52"),
    "34-01": ("manual/34-01.jpg", "manual/34-01.jpg#p1@77aa01c2d3e4", "34-1", "34 00"),
    "1230": ("wiring/1230-00.jpg", "wiring/1230-00.jpg#p1@c4a1e2b3d4f5", "1230-0", None),
    "12-40": ("manual/12-40.jpg", "manual/12-40.jpg#p1@9d8c7b6a5f4e", "12 - 40", "12 31"),
    "cr": ("corvane/section-11.png", "corvane/section-11.png#p1@1f2e3d4c5b6a", None, "11 00"),
}


def prov(page: str, y: int = 100) -> Provenance:
    file, page_id, _, _ = PAGES[page]
    return Provenance(file=file, page=1, bbox=BBox(x0=80, y0=y, x1=1100, y1=y + 30), ocr_confidence=91.0,
                      page_id=page_id)


def block(page: str, order: int, kind: str, text: str, **kw) -> Block:
    _, page_id, label, section = PAGES[page]
    return Block(block_id=f"{page_id}/b{order}", page_id=page_id, kind=kind, order=order, text=text,
                 section=kw.pop("section", section), page_label=label, source=prov(page, 60 + 40 * order), **kw)


def fact(page: str, order: int, component: str, quantity: str, value: str, unit: str, text: str, **kw) -> SpecFact:
    _, page_id, _, section = PAGES[page]
    fid = short_id(page_id, component, value, unit, kw.get("condition"), kw.get("variant"), text)
    return SpecFact(
        fact_id=fid, component=component, quantity=quantity, value=value, unit=unit,
        value_printed=kw.pop("value_printed", value), unit_printed=kw.pop("unit_printed", unit), text=text,
        source=prov(page, 60 + 40 * order), section=section, block_id=f"{page_id}/b{order}",
        ocr_confidence=90.0, **kw,
    )


def build() -> tuple[list[SpecFact], list[Procedure], list[Block], list[Conflict]]:
    blocks = [
        block("11-19", 0, "heading", "11 24 Connecting Rods and Bearings"),
        block("11-19", 1, "table", "Connecting rod bolts S14 55 Nm\nS38 Application torque 5 Nm\n"
              "Torque 30 Nm\nTorque angle 60 °"),
        block("11-64", 0, "heading", "11 24 521 REPLACING CONNECTING RODS – Pistons Removed –"),
        block("11-64", 1, "procedure_step", "Only install connecting rods of same weight class."),
        block("11-64", 2, "procedure_step", "Tighten bolts – use old conrod bolts. Step 1 10 Nm (7 ft. lbs.) "
              "Step 2 30 Nm (22 ft. lbs.) Step 3 60 + 2° torque angle"),
        block("11-64", 3, "heading", "11 24 571 REPLACING CONROD BEARING SHELLS – Engine Disassembled –"),
        block("11-64", 4, "paragraph", "Install one each yellow bearing shell in connecting rod and bearing "
              "cap. Measure the bearing play with Plastigage Type PG-1: conrod bearing play 0.024 to 0.064 mm "
              "(0.0009 to 0.0025\")."),
        block("21-05", 0, "heading", "21 52 000 REMOVING AND INSTALLING CLUTCH MASTER CYLINDER"),
        block("21-05", 1, "procedure_step", "Disconnect pipe (1) to slave cylinder."),
        block("21-05", 2, "paragraph", "A slave cylinder with a diameter of 22.2 mm (0.874\"), instead of "
              "20.64 mm (0.809\"), must be installed for the version with a double mass flywheel."),
        block("34-01", 0, "heading", "34 00 009 BRAKE TEST STAND, PRESSURE TESTS"),
        block("34-01", 1, "table", "Test pressure brake lines 50 bar"),
        block("1230", 0, "heading", "1230-0 CHARGE"),
        block("1230", 1, "wiring", "Battery + to battery junction block: 14 BK.\nBattery junction block to "
              "S151: 25 BK.\nS151 to starter terminal 30: 25 BK.\nS151 to alternator terminal 30 (B+): 10 RD."),
        block("12-40", 0, "heading", "TROUBLESHOOTING ALTERNATOR"),
        block("12-40", 1, "troubleshooting", "Charge indicator lamp NOT on with ignition turned on: pull off "
              "connection plug D+/61 and connect with ground (term. 31).\nCharge lamp on: take off voltage "
              "regulator and check carbon brushes, replacing if necessary – see 12 32 000."),
        block("cr", 0, "heading", "11 00 ENGINE DATA"),
        block("cr", 1, "table", "Engine oil with filter CR20 4.0 l CR25T 4.5 l\nSpark plug gap CR20 0.8 mm "
              "CR25T 0.7 mm"),
    ]
    s14_55 = fact("11-19", 1, "connecting rod bolts", "torque", "55", "Nm", "Connecting rod bolts S14 55 Nm",
                  variant="S14", condition="S14; replace, wash and oil conrod bolts")
    s38 = [
        fact("11-19", 1, "connecting rod bolts", "torque", "5", "Nm", "Application torque 5 Nm", variant="S38",
             condition="stage 1 application torque"),
        fact("11-19", 1, "connecting rod bolts", "torque", "30", "Nm", "Torque 30 Nm", variant="S38",
             condition="stage 2 torque"),
        fact("11-19", 1, "connecting rod bolts", "angle", "60", "°", "Torque angle 60 °", variant="S38",
             condition="stage 3 torque angle", unit_printed="° "),
    ]
    s14_staged = fact(
        "11-64", 2, "connecting rod bolts", "torque", "10", "Nm",
        "Step 1 10 Nm (7 ft. lbs.) Step 2 30 Nm (22 ft. lbs.) Step 3 60 + 2° torque angle",
        variant="S14", tolerance="+2", unit_printed="Nm (ft. lbs.)",
        stages=[
            TighteningStage(stage=1, value="10", unit="Nm", kind="torque"),
            TighteningStage(stage=2, value="30", unit="Nm", kind="torque"),
            TighteningStage(stage=3, value="60", unit="°", kind="angle"),
        ],
    )
    play = fact("11-64", 4, "conrod bearing play", "clearance", "0.024", "mm",
                "Conrod bearing play: 0.024 to 0.064 mm (0.0009 to 0.0025\").", value_max="0.064",
                value_printed="0.024 to 0.064", variant="S14", condition="measured with Plastigage PG-1")
    slave = [
        fact("21-05", 2, "clutch slave cylinder diameter", "length", "22.2", "mm",
             "A slave cylinder with a diameter of 22.2 mm (0.874\")", condition="version with double mass flywheel"),
        fact("21-05", 2, "clutch slave cylinder diameter", "length", "20.64", "mm", "instead of 20.64 mm (0.809\")",
             condition="standard version (single mass flywheel)"),
    ]
    brake = fact("34-01", 1, "brake line test pressure", "pressure", "50", "bar", "Test pressure brake lines 50 bar")
    brake_kpa = fact("34-01", 1, "brake line test pressure", "pressure", "5000", "kPa",
                     "Test pressure brake lines 50 bar", derived=True, derived_from=brake.fact_id,
                     value_printed="5000")
    wire = fact("1230", 1, "wire S151 -> starter terminal 30", "wire", "25", "", "S151 to starter terminal 30: 25 BK.",
                condition="wire colour BK")
    cr = [
        fact("cr", 1, "engine oil with filter", "volume", "4.0", "l", "Engine oil with filter CR20 4.0 l",
             variant="CR20"),
        fact("cr", 1, "engine oil with filter", "volume", "4.5", "l", "CR25T 4.5 l", variant="CR25T"),
        fact("cr", 1, "spark plug gap", "clearance", "0.8", "mm", "Spark plug gap CR20 0.8 mm", variant="CR20"),
        fact("cr", 1, "spark plug gap", "clearance", "0.7", "mm", "CR25T 0.7 mm", variant="CR25T"),
    ]
    doubtful = fact("cr", 1, "oil drain plug", "torque", "30", "Nm", "Oil drain plug 3O Nm", variant="CR20",
                    needs_review=True, review_reason="low_confidence_digit", value_printed="3O")
    facts = [s14_55, *s38, s14_staged, play, *slave, brake, brake_kpa, wire, *cr, doubtful]

    p1 = PAGES["11-64"][1]
    proc1 = Procedure(
        procedure_id=short_id("proc", p1, "11 24 521"),
        title="11 24 521 REPLACING CONNECTING RODS – Pistons Removed –",
        repair_code="11 24 521", section="11 24", variant="S14",
        warnings=["Only use connecting rods of the same weight class."],
        steps=[
            ProcedureStep(text="Only install connecting rods of same weight class.", block_id=f"{p1}/b1",
                          source=prov("11-64", 100)),
            ProcedureStep(text="Tighten bolts – use old conrod bolts. Don't use new bolts for measuring the "
                          "bearing play. Step 1 10 Nm (7 ft. lbs.), Step 2 30 Nm (22 ft. lbs.), Step 3 60 + 2° "
                          "torque angle.", block_id=f"{p1}/b2", fact_ids=[s14_staged.fact_id],
                          warnings=["Replace conrod bolts after measuring."], source=prov("11-64", 140)),
            ProcedureStep(text="Correct bearing play by installing new bearing shells.", source=prov("11-64", 180)),
        ],
        source=prov("11-64", 20),
    )
    p2 = PAGES["21-05"][1]
    proc2 = Procedure(
        procedure_id=short_id("proc", p2, "21 52 000"),
        title="21 52 000 REMOVING AND INSTALLING CLUTCH MASTER CYLINDER",
        repair_code="21 52 000", section="21 52",
        warnings=["WARNING: Brake fluid is poisonous and attacks paint."],
        notes=["Bleed the clutch after installation."],
        steps=[
            ProcedureStep(text="Disconnect pipe (1) to slave cylinder.", block_id=f"{p2}/b1", source=prov("21-05", 100)),
            ProcedureStep(text="Unscrew cap on brake fluid tank. Remove float and draw off brake fluid down to "
                          "the MAX mark.", source=prov("21-05", 140)),
            ProcedureStep(text="Remove instrument panel trim at bottom left.", source=prov("21-05", 180)),
            ProcedureStep(text="Pull out filling pipe (4). Unscrew bolts and remove master cylinder.",
                          warnings=["Catch escaping brake fluid."], source=prov("21-05", 220)),
        ],
        source=prov("21-05", 20),
    )
    conflict = Conflict(
        conflict_id=short_id("conflict", s14_55.fact_id, s14_staged.fact_id),
        key="connecting rod bolts|torque|s14|",
        fact_ids=[s14_55.fact_id, s14_staged.fact_id],
        values=["55 Nm", "10 Nm + 30 Nm + 60°+2°"],
        sources=[s14_55.source, s14_staged.source],
    )
    return facts, [proc1, proc2], blocks, [conflict]


def main() -> None:
    facts, procedures, blocks, conflicts = build()
    write_jsonl(HERE / "facts.jsonl", facts)
    write_jsonl(HERE / "procedures.jsonl", procedures)
    write_jsonl(HERE / "blocks.jsonl", blocks)
    write_jsonl(HERE / "conflicts.jsonl", conflicts)


if __name__ == "__main__":
    main()
