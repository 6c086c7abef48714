"""The text of the bundled sample manual: the FICTIONAL Corvane 240 workshop manual.

Everything here is invented for the project (no text is copied from any real manual). The
car has two engine variants: **CR20** (model "240i", 2.0 l four-cylinder) and **CR25T**
(model "240 Turbo", 2.5 l turbocharged four-cylinder). Repair groups follow the usual
workshop numbering: 00 Maintenance, 11 Engine, 12 Engine electrical, 13 Fuel, 21 Clutch,
34 Brakes, 61 Wiring.

Both the rendered pages and their truth files are produced from the objects below.
A deliberate conflict is kept, as in real manuals: the 1997 torque table (``00 - Torque
Specs/11-19.jpg``) gives the CR25T connecting rod bolts a single 55 Nm, while the repair
procedure (``11 - Engine/11-44.jpg``) gives a staged 20 Nm + 70° spec.
"""

from __future__ import annotations

from dataclasses import dataclass

from manualtune.sample.model import (
    Box,
    Column,
    Gap,
    Heading,
    IndexEntry,
    IndexList,
    Page,
    Para,
    Procedure,
    Row,
    Schematic,
    Step,
    Table,
    Trouble,
)
from manualtune.sample.model import Fact as F

CR20 = "CR20"
CR25T = "CR25T"

# --------------------------------------------------------------------------- shared table layouts

TORQUE_COLS = (
    Column("Component", 0.50),
    Column("Type", 0.20),
    Column("Measure", 0.18),
    Column("Unit", 0.12),
)


def _torque_table(rows: tuple[Row, ...]) -> Table:
    return Table(columns=TORQUE_COLS, rows=rows, measure_col=2, unit_col=3)


def _sec(text: str) -> Row:
    return Row((text,), kind="section")


def _grp(variant: str) -> Row:
    return Row(("", variant, "", ""), kind="group")


# =========================================================================== 00 Maintenance

P_00_2 = Page(
    path="00 - Maintenance/00-2.jpg",
    kind="spec_table",
    page_type="technical_data",
    label="00-2",
    section="00 Maintenance",
    top=(
        Heading("00 00 Technical Data – Engine"),
        Para("Values apply to vehicles in standard trim. The 240i uses the CR20 engine, "
             "the 240 Turbo the CR25T engine."),
    ),
    columns=((
        Table(
            columns=(Column("Specification", 0.40), Column("240i (CR20)", 0.30), Column("240 Turbo (CR25T)", 0.30)),
            rows=(
                Row(("Displacement", "1991 cm³", "2494 cm³"), facts=(
                    F("engine displacement", "volume", "1991 cm³", variant=CR20),
                    F("engine displacement", "volume", "2494 cm³", variant=CR25T))),
                Row(("Bore", "86.0 mm", "92.0 mm"), facts=(
                    F("cylinder bore", "length", "86.0 mm", variant=CR20),
                    F("cylinder bore", "length", "92.0 mm", variant=CR25T))),
                Row(("Stroke", "85.7 mm", "93.8 mm"), facts=(
                    F("piston stroke", "length", "85.7 mm", variant=CR20),
                    F("piston stroke", "length", "93.8 mm", variant=CR25T))),
                Row(("Compression ratio", "10.0 : 1", "8.3 : 1"), facts=(
                    F("compression ratio", "ratio", "10.0 : 1", variant=CR20),
                    F("compression ratio", "ratio", "8.3 : 1", variant=CR25T))),
                Row(("Power output", "95 kW (129 hp)\nat 5800 rpm", "141 kW (192 hp)\nat 5400 rpm"), facts=(
                    F("power output", "power", "95 kW", variant=CR20, alt="129 hp", condition="at 5800 rpm"),
                    F("power output", "power", "141 kW", variant=CR25T, alt="192 hp", condition="at 5400 rpm"))),
                Row(("Maximum torque", "178 Nm\nat 4300 rpm", "296 Nm\nat 3100 rpm"), facts=(
                    F("maximum engine torque", "torque", "178 Nm", variant=CR20, condition="at 4300 rpm"),
                    F("maximum engine torque", "torque", "296 Nm", variant=CR25T, condition="at 3100 rpm"))),
                Row(("Idle speed", "850 ± 50 rpm", "900 ± 50 rpm"), facts=(
                    F("idle speed", "speed", "850 ± 50 rpm", variant=CR20),
                    F("idle speed", "speed", "900 ± 50 rpm", variant=CR25T))),
                Row(("Maximum engine speed", "6600 rpm", "6200 rpm"), facts=(
                    F("maximum engine speed", "speed", "6600 rpm", variant=CR20),
                    F("maximum engine speed", "speed", "6200 rpm", variant=CR25T))),
                Row(("Maximum boost pressure", "–", "0.75 bar"), facts=(
                    F("maximum boost pressure", "pressure", "0.75 bar", variant=CR25T),)),
                Row(("Oil pressure at idle, minimum", "1.5 bar", "2.0 bar"), facts=(
                    F("oil pressure at idle", "pressure", "1.5 bar", variant=CR20, condition="minimum"),
                    F("oil pressure at idle", "pressure", "2.0 bar", variant=CR25T, condition="minimum"))),
                Row(("Thermostat opens at", "88 °C", "80 °C"), facts=(
                    F("thermostat opening temperature", "temperature", "88 °C", variant=CR20),
                    F("thermostat opening temperature", "temperature", "80 °C", variant=CR25T))),
                Row(("Firing order", "1-3-4-2", "1-3-4-2")),
            ),
        ),
    ),),
)

P_00_3 = Page(
    path="00 - Maintenance/00-3.jpg",
    kind="mixed",
    page_type="maintenance_schedule",
    label="00-3",
    section="00 Maintenance",
    top=(
        Heading("00 00 200 Maintenance Schedule"),
        Para("Oil Service every 7500 km or 12 months. Inspection I every 15000 km, "
             "Inspection II every 30000 km, whichever comes first.", facts=(
                 F("oil service interval", "length", "7500 km", condition="or 12 months"),
                 F("inspection I interval", "length", "15000 km"),
                 F("inspection II interval", "length", "30000 km"))),
    ),
    columns=((
        Table(
            columns=(Column("Operation", 0.52), Column("Oil Service", 0.12), Column("Insp. I", 0.12),
                     Column("Insp. II", 0.12), Column("Group", 0.12)),
            rows=(
                Row(("Read out fault memory of engine control unit", "x", "x", "x", "Gr. 12")),
                Row(("Replace engine oil and oil filter at operating\ntemperature", "x", "x", "x", "Gr. 11")),
                Row(("Check coolant level and antifreeze protection\ndown to -30 °C", "x", "x", "x", "Gr. 17"), facts=(
                    F("coolant antifreeze protection", "temperature", "-30 °C"),)),
                Row(("Replace spark plugs, electrode gap 0.7 - 0.8 mm", "", "", "x", "Gr. 12"), facts=(
                    F("spark plug electrode gap", "clearance", "0.7 - 0.8 mm"),)),
                Row(("Check drive belt tension and condition", "", "x", "x", "Gr. 11")),
                Row(("Check brake pads and discs for thickness", "x", "x", "x", "Gr. 34")),
                Row(("Replace brake fluid (every 2 years)", "", "", "x", "Gr. 34")),
                Row(("Check tyre pressures: front 2.2 bar, rear 2.4 bar", "x", "x", "x", "Gr. 36"), facts=(
                    F("tyre pressure", "pressure", "2.2 bar", condition="front"),
                    F("tyre pressure", "pressure", "2.4 bar", condition="rear"))),
                Row(("CR25T: check turbocharger hoses and intercooler\nfor leaks", "", "x", "x", "Gr. 11")),
                Row(("Road test: brakes, steering, clutch operation", "x", "x", "x", "")),
            ),
        ),
    ),),
)

P_00_4 = Page(
    path="00 - Maintenance/00-4.jpg",
    kind="spec_table",
    page_type="capacities",
    label="00-4",
    section="00 Maintenance",
    top=(Heading("00 00 Fluids and Capacities"),),
    columns=((
        Table(
            columns=(Column("Fluid / system", 0.44), Column("Type", 0.20), Column("Measure", 0.22),
                     Column("Unit", 0.14)),
            measure_col=2, unit_col=3,
            rows=(
                Row(("Engine oil with filter change", "CR20", "4.5", "l"), facts=(
                    F("engine oil capacity", "volume", variant=CR20, condition="with filter change"),)),
                Row(("", "CR25T", "5.2", "l"), facts=(
                    F("engine oil capacity", "volume", variant=CR25T, condition="with filter change"),)),
                Row(("Difference between min and max\nmark on dipstick", "", "1.0", "l"), facts=(
                    F("engine oil dipstick min-max difference", "volume"),)),
                Row(("Cooling system incl. heater", "CR20", "7.0", "l"), facts=(
                    F("cooling system capacity", "volume", variant=CR20),)),
                Row(("", "CR25T", "8.5", "l"), facts=(
                    F("cooling system capacity", "volume", variant=CR25T),)),
                Row(("Manual gearbox", "", "1.25", "l"), facts=(
                    F("manual gearbox oil capacity", "volume"),)),
                Row(("Brake and clutch fluid reservoir", "", "450", "cm³"), facts=(
                    F("brake and clutch fluid reservoir capacity", "volume"),)),
                Row(("Power steering", "", "1.1", "l"), facts=(
                    F("power steering fluid capacity", "volume"),)),
                Row(("Fuel tank, reserve approx. 8 l", "", "62", "l"), facts=(
                    F("fuel tank capacity", "volume"),
                    F("fuel tank reserve", "volume", "8 l", condition="approx."))),
                Row(("Windscreen washer reservoir", "", "2.5", "l"), facts=(
                    F("windscreen washer reservoir capacity", "volume"),)),
            ),
        ),
    ),),
)

# =========================================================================== 00 Torque Specs (1997 tables)

P_TQ_11_18 = Page(
    path="00 - Torque Specs/11-18.jpg",
    kind="spec_table",
    label="11-18",
    section="11 Engine",
    source_id="CVD11-17.frb 12/03/97",
    top=(Heading("11 Engine – Tightening Torques"),),
    columns=((
        _torque_table((
            _sec("11 11 Crankcase"),
            Row(("Main bearing cap bolts\nReplace, oil threads", "CR20", "60", "Nm"), facts=(
                F("main bearing cap bolts", "torque", variant=CR20, condition="replace, oil threads"),)),
            _grp("CR25T"),
            Row(("   Application torque", "", "20", "Nm"), facts=(
                F("main bearing cap bolts", "torque", variant=CR25T, condition="stage 1 application torque", stage=1),)),
            Row(("   Torque angle", "", "70", "°"), facts=(
                F("main bearing cap bolts", "torque", variant=CR25T, condition="stage 2 torque angle", stage=2),)),
            Row(("Oil sump bolts M6", "", "10", "Nm"), facts=(F("oil sump bolts M6", "torque"),)),
            _sec("11 12 Cylinder Head"),
            Row(("Cylinder head bolts\nEngine cold, replace bolts", "CR20", "", ""), kind="group"),
            Row(("   Stage 1", "", "30", "Nm"), facts=(
                F("cylinder head bolts", "torque", variant=CR20, condition="stage 1; engine cold", stage=1),)),
            Row(("   Stage 2", "", "60", "Nm"), facts=(
                F("cylinder head bolts", "torque", variant=CR20, condition="stage 2; engine cold", stage=2),)),
            Row(("   Stage 3 torque angle", "", "90", "°"), facts=(
                F("cylinder head bolts", "torque", variant=CR20, condition="stage 3 torque angle", stage=3),)),
            _grp("CR25T"),
            Row(("   Stage 1", "", "40", "Nm"), facts=(
                F("cylinder head bolts", "torque", variant=CR25T, condition="stage 1; engine cold", stage=1),)),
            Row(("   Stage 2 torque angle", "", "90", "°"), facts=(
                F("cylinder head bolts", "torque", variant=CR25T, condition="stage 2 torque angle", stage=2),)),
            Row(("   Stage 3 torque angle", "", "90", "°"), facts=(
                F("cylinder head bolts", "torque", variant=CR25T, condition="stage 3 torque angle", stage=3),)),
            Row(("Cylinder head cover nuts", "", "10", "Nm"), facts=(F("cylinder head cover nuts", "torque"),)),
        )),
    ),),
    notes=("Printed source id CVD11-17 differs from the page label 11-18, as on real 1997 tables.",),
)

P_TQ_11_19 = Page(
    path="00 - Torque Specs/11-19.jpg",
    kind="spec_table",
    label="11-19",
    section="11 Engine",
    source_id="CVD11-18.frb 12/03/97",
    top=(Heading("11 Engine – Tightening Torques"),),
    columns=((
        _torque_table((
            _sec("11 21 Crankshaft"),
            Row(("Flywheel bolts\nUse thread locking compound", "CR20", "105", "Nm"), facts=(
                F("flywheel bolts", "torque", variant=CR20, condition="use thread locking compound"),)),
            Row(("", "CR25T", "120", "Nm"), facts=(F("flywheel bolts", "torque", variant=CR25T),)),
            Row(("Vibration damper central bolt", "", "310", "Nm"), facts=(
                F("vibration damper central bolt", "torque"),)),
            _sec("11 24 Connecting Rods"),
            Row(("Connecting rod bolts\nReplace, wash and oil bolts", "CR25T", "55", "Nm"), facts=(
                F("connecting rod bolts", "torque", variant=CR25T, condition="replace, wash and oil bolts"),)),
            _grp("CR20"),
            Row(("   Application torque", "", "5", "Nm"), facts=(
                F("connecting rod bolts", "torque", variant=CR20, condition="stage 1 application torque", stage=1),)),
            Row(("   Torque", "", "20", "Nm"), facts=(
                F("connecting rod bolts", "torque", variant=CR20, condition="stage 2 torque", stage=2),)),
            Row(("   Torque angle", "", "70", "°"), facts=(
                F("connecting rod bolts", "torque", variant=CR20, condition="stage 3 torque angle", stage=3),)),
            Row(("Connecting rod bearing clearance", "", "0.020 - 0.055", "mm"), facts=(
                F("connecting rod bearing clearance", "clearance"),)),
        )),
        Para("continued on next page"),
    ),),
    notes=(
        "Same file name as '11 - Engine/11-19.jpg' (a procedure page) with different content.",
        "CONFLICT kept on purpose: this 1997 table gives CR25T connecting rod bolts a single 55 Nm, "
        "while '11 - Engine/11-44.jpg' gives a staged spec (Stage 1 20 Nm, Stage 2 torque angle 70°).",
        "The 11 24 table continues on 11-20.",
    ),
)

P_TQ_11_20 = Page(
    path="00 - Torque Specs/11-20.jpg",
    kind="spec_table",
    label="11-20",
    section="11 Engine",
    source_id="CVD11-19.frb 12/03/97",
    top=(Heading("11 Engine – Tightening Torques"),),
    columns=((
        _torque_table((
            _sec("11 24 Connecting Rods (continued)"),
            Row(("Piston ring end gap, top ring", "CR20", "0.20 - 0.30", "mm"), facts=(
                F("piston ring end gap, top ring", "clearance", variant=CR20),)),
            Row(("", "CR25T", "0.25 - 0.40", "mm"), facts=(
                F("piston ring end gap, top ring", "clearance", variant=CR25T),)),
            _sec("11 31 Camshaft Drive"),
            Row(("Camshaft sprocket bolt", "", "65", "Nm"), facts=(F("camshaft sprocket bolt", "torque"),)),
            Row(("Timing belt tensioner nut", "", "40", "Nm"), facts=(F("timing belt tensioner nut", "torque"),)),
            _sec("11 41 Oil Pump"),
            Row(("Oil pump to crankcase", "", "22", "Nm"), facts=(F("oil pump to crankcase bolts", "torque"),)),
            Row(("Oil pressure relief valve plug", "", "35", "Nm"), facts=(
                F("oil pressure relief valve plug", "torque"),)),
            Row(("Oil drain plug", "", "25", "Nm"), facts=(F("oil drain plug", "torque"),)),
            _sec("11 65 Turbocharger"),
            Row(("Turbocharger to exhaust manifold\nReplace self-locking nuts", "CR25T", "30 Nm + 90°", ""), facts=(
                F("turbocharger to exhaust manifold nuts", "torque", "30 Nm", variant=CR25T,
                  condition="stage 1 torque; replace self-locking nuts", stage=1),
                F("turbocharger to exhaust manifold nuts", "torque", "90°", variant=CR25T,
                  condition="stage 2 torque angle", stage=2))),
            Row(("Oil feed line banjo bolt", "CR25T", "18", "Nm"), facts=(
                F("turbocharger oil feed line banjo bolt", "torque", variant=CR25T),)),
        )),
    ),),
    notes=("Continuation of the 11 24 table from 11-19.",),
)

P_TQ_34_1 = Page(
    path="00 - Torque Specs/34-1.jpg",
    kind="spec_table",
    label="34-1",
    section="34 Brakes",
    source_id="CVD34-1.frb 12/03/97",
    top=(Heading("34 Brakes – Tightening Torques and Wear Limits"),),
    columns=((
        _torque_table((
            _sec("34 11 Front Wheel Brake"),
            Row(("Brake caliper carrier to steering knuckle", "", "110", "Nm"), facts=(
                F("brake caliper carrier to steering knuckle bolts", "torque"),)),
            Row(("Caliper guide bolts", "", "30", "Nm"), facts=(F("caliper guide bolts", "torque"),)),
            Row(("Brake hose banjo bolt", "", "18", "Nm"), facts=(F("brake hose banjo bolt", "torque"),)),
            Row(("Brake disc minimum thickness\nventilated disc", "CR20", "20.4", "mm"), facts=(
                F("front brake disc minimum thickness", "length", variant=CR20),)),
            Row(("", "CR25T", "23.0", "mm"), facts=(
                F("front brake disc minimum thickness", "length", variant=CR25T),)),
            Row(("Brake pad minimum thickness", "", "2.0", "mm"), facts=(
                F("brake pad minimum thickness", "length"),)),
            _sec("34 21 Rear Wheel Brake"),
            Row(("Rear caliper to trailing arm", "", "65", "Nm"), facts=(
                F("rear caliper to trailing arm bolts", "torque"),)),
            Row(("Bleeder screw", "", "6", "Nm"), facts=(F("bleeder screw", "torque"),)),
            _sec("36 Wheels"),
            Row(("Wheel bolts", "", "100", "Nm"), facts=(F("wheel bolts", "torque"),)),
        )),
    ),),
)

# =========================================================================== 11 Engine

P_11_INDEX = Page(
    path="11 - Engine/11-00-index.jpg",
    kind="index",
    label="11-0",
    section="11 Engine",
    top=(Heading("11 Engine – Contents"),),
    columns=((
        IndexList((
            IndexEntry("11 00 039", "Compression – check", "11-10"),
            IndexEntry("11 11 000", "Crankcase – overview", "11-12"),
            IndexEntry("11 12 000", "Cylinder head cover – remove and install", "11-19"),
            IndexEntry("11 12 100", "Cylinder head – remove and install", "11-24"),
            IndexEntry("11 12 595", "Valve guides – check for wear", "11-30"),
            IndexEntry("11 21 000", "Crankshaft – remove and install", "11-38"),
            IndexEntry("11 22 000", "Flywheel – remove and install", "11-40"),
            IndexEntry("11 24 030", "Connecting rods – remove and install", "11-44"),
            IndexEntry("11 24 571", "Connecting rod bearing shells – replace", "11-44"),
            IndexEntry("11 25 010", "Pistons and rings – check", "11-46"),
            IndexEntry("11 31 040", "Timing belt – tension", "11-71"),
            IndexEntry("11 41 000", "Oil pump – remove and install", "11-58"),
            IndexEntry("11 42 000", "Lubrication system – description", "11-60"),
            IndexEntry("11 65 000", "Turbocharger – remove and install", "11-80"),
            IndexEntry("11 65 500", "Boost pressure – check", "11-82"),
        )),
    ),),
)

P_11_19 = Page(
    path="11 - Engine/11-19.jpg",
    kind="procedure",
    label="11-19",
    section="11 Engine",
    columns=(
        (
            Procedure("11 12 000", "Cylinder head cover – remove and install"),
            Step("1", "Disconnect the crankcase breather hose from the cylinder head cover. "
                      "On the CR25T, also remove the intake duct between intercooler and throttle housing."),
            Step("2", "Pull the ignition leads off the spark plugs. Do not pull on the leads, "
                      "pull on the plug connectors only."),
            Step("3", "Unscrew the cover nuts and lift off the cylinder head cover. "
                      "Remove the gasket and the sealing washers."),
            Box("NOTE", "Always replace the cover gasket and the rubber sealing washers under the nuts."),
        ),
        (
            Step("4", "Clean the sealing faces. Apply a thin bead of sealant to the four corners of the "
                      "front timing cover joint."),
            Step("5", "Install the cylinder head cover with a new gasket. Tighten the cover nuts evenly to "
                      "10 Nm, working from the centre outwards.",
                 facts=(F("cylinder head cover nuts", "torque", "10 Nm"),)),
            Step("6", "Connect the ignition leads in the firing order 1-3-4-2. Run the engine and check "
                      "the cover for oil leaks."),
        ),
    ),
    notes=("Same file name as '00 - Torque Specs/11-19.jpg' (a torque table) with different content.",),
)

P_11_24 = Page(
    path="11 - Engine/11-24.jpg",
    kind="procedure",
    label="11-24",
    section="11 Engine",
    columns=(
        (
            Procedure("11 12 100", "Cylinder head – remove and install", "– engine cold –"),
            Box("WARNING", "Only loosen the cylinder head bolts when the coolant temperature is below "
                           "35 °C. A warm head may distort.",
                facts=(F("coolant temperature for cylinder head bolt removal", "temperature", "35 °C",
                         condition="maximum"),)),
            Step("1", "Drain the coolant. Remove the cylinder head cover – see 11 12 000. "
                      "Set the engine to TDC of cylinder 1 with pin 11 2 300."),
            Step("2", "Remove the timing belt. Loosen the cylinder head bolts in the reverse order of the "
                      "tightening sequence, in two stages."),
            Step("3", "Lift off the cylinder head. Check the sealing face for distortion with a straight "
                      "edge. Maximum distortion 0.05 mm.",
                 facts=(F("cylinder head sealing face distortion", "length", "0.05 mm", condition="maximum"),)),
        ),
        (
            Step("4", "Install a new gasket dry. Oil the threads and heads of the new bolts lightly."),
            Step("5", "Tighten the bolts in sequence from the centre outwards. CR20: Stage 1 30 Nm, "
                      "Stage 2 60 Nm, Stage 3 torque angle 90°. Use angle gauge 11 2 110.",
                 facts=(
                     F("cylinder head bolts", "torque", "30 Nm", variant=CR20, condition="stage 1", stage=1),
                     F("cylinder head bolts", "torque", "60 Nm", variant=CR20, condition="stage 2", stage=2),
                     F("cylinder head bolts", "torque", "90°", variant=CR20, condition="stage 3 torque angle",
                       stage=3))),
            Step("6", "CR25T: Stage 1 40 Nm, then Stage 2 and Stage 3 torque angle 90° each. "
                      "Do not retighten after a run-in period.",
                 facts=(
                     F("cylinder head bolts", "torque", "40 Nm", variant=CR25T, condition="stage 1", stage=1),
                     F("cylinder head bolts", "torque", "90°", variant=CR25T, condition="stage 2 torque angle",
                       stage=2),
                     F("cylinder head bolts", "torque", "90°", variant=CR25T, condition="stage 3 torque angle",
                       stage=3))),
            Step("7", "Install the timing belt – see 11 31 040. Fill and bleed the cooling system."),
        ),
    ),
    notes=("Step 6 prints one '90°' that applies to stage 2 and stage 3 (two facts, same text).",),
)

P_11_44 = Page(
    path="11 - Engine/11-44.jpg",
    kind="procedure",
    label="11-44",
    section="11 Engine",
    dpi=300,
    columns=(
        (
            Procedure("11 24 030", "Connecting rods – remove and install", "– pistons removed –"),
            Step("1", "Only install connecting rods of the same weight class in one engine. The weight "
                      "class is marked by paint dots on the rod."),
            Step("2", "The piston pin must slide through the small end bushing under light thumb pressure. "
                      "Connecting rods must not be machined."),
            Procedure("11 24 571", "Connecting rod bearing shells – replace"),
            Step("3", "Install the bearing shells with the locating tabs in the grooves. Place a strip of "
                      "plastic gauge on the clean crankpin."),
        ),
        (
            Step("4", "Mount the bearing cap and tighten the old bolts. Do not turn the crankshaft. "
                      "Remove the cap and read the bearing clearance from the flattened strip."),
            Step("5", "Bearing clearance 0.020 - 0.055 mm. If the clearance is outside the range, "
                      "install bearing shells of a different size class.",
                 facts=(F("connecting rod bearing clearance", "clearance", "0.020 - 0.055 mm"),)),
            Box("WARNING", "Always replace the connecting rod bolts. Stretched bolts can break at high "
                           "engine speed."),
            Step("6", "CR25T: tighten the new connecting rod bolts in stages. Stage 1 20 Nm. "
                      "Stage 2 torque angle 70°. Use angle gauge 11 2 110.",
                 facts=(
                     F("connecting rod bolts", "torque", "20 Nm", variant=CR25T, condition="stage 1", stage=1),
                     F("connecting rod bolts", "torque", "70°", variant=CR25T, condition="stage 2 torque angle",
                       stage=2))),
        ),
    ),
    notes=(
        "CONFLICT kept on purpose: this procedure gives CR25T connecting rod bolts Stage 1 20 Nm + "
        "Stage 2 70°, while the 1997 table '00 - Torque Specs/11-19.jpg' gives a single 55 Nm.",
        "Rendered at 300 dpi.",
    ),
)

P_11_46 = Page(
    path="11 - Engine/11-46.jpg",
    kind="procedure",
    label="11-46",
    section="11 Engine",
    columns=(
        (
            Procedure("11 25 010", "Pistons and rings – check"),
            Step("1", "Measure the piston diameter 12 mm above the lower edge of the skirt, at right angles "
                      "to the piston pin.",
                 facts=(F("piston diameter measuring point above skirt edge", "length", "12 mm"),)),
            Step("2", "Measure the cylinder bore at three levels. Piston installation clearance "
                      "0.01 - 0.04 mm, wear limit 0.12 mm.",
                 facts=(F("piston installation clearance", "clearance", "0.01 - 0.04 mm"),
                        F("piston clearance wear limit", "clearance", "0.12 mm"))),
            Step("3", "Push each ring squarely into the bore with the piston crown and measure the end gap "
                      "with a feeler gauge."),
        ),
        (
            Table(
                columns=(Column("Ring", 0.40), Column("End gap", 0.34), Column("Unit", 0.26)),
                measure_col=1, unit_col=2,
                rows=(
                    Row(("Top ring CR20", "0.20 - 0.30", "mm"), facts=(
                        F("piston ring end gap, top ring", "clearance", variant=CR20),)),
                    Row(("Top ring CR25T", "0.25 - 0.40", "mm"), facts=(
                        F("piston ring end gap, top ring", "clearance", variant=CR25T),)),
                    Row(("Second ring", "0.20 - 0.40", "mm"), facts=(
                        F("piston ring end gap, second ring", "clearance"),)),
                    Row(("Oil ring", "0.25 - 0.50", "mm"), facts=(
                        F("piston ring end gap, oil ring", "clearance"),)),
                ),
            ),
            Gap(),
            Step("4", "Install the rings with the mark TOP facing the piston crown. Offset the ring gaps "
                      "by 120° to each other.",
                 facts=(F("piston ring gap offset", "angle", "120°"),)),
        ),
    ),
)

P_11_60 = Page(
    path="11 - Engine/11-60.jpg",
    kind="explanation",
    label="11-60",
    section="11 Engine",
    body_font="serif",
    columns=(
        (
            Heading("11 42 000 Lubrication System – Description"),
            Para("The oil pump is a gear pump driven directly by the crankshaft. It draws oil from the "
                 "sump through a strainer and delivers it to the full-flow oil filter. From the filter "
                 "the oil passes into the main oil gallery in the crankcase."),
            Para("A pressure relief valve in the pump housing limits the oil pressure. The valve opens at "
                 "4.0 bar and returns the excess oil to the suction side of the pump. With hot oil the "
                 "pressure at 4000 rpm is at least 45 psi.",
                 facts=(F("oil pressure relief valve opening pressure", "pressure", "4.0 bar"),
                        F("oil pressure", "pressure", "45 psi", condition="hot oil, at 4000 rpm, minimum"))),
            Para("The oil filter has a bypass valve. If the filter element is blocked, the valve opens at "
                 "a pressure difference of 2.5 bar, so that the engine is never without oil.",
                 facts=(F("oil filter bypass valve opening pressure difference", "pressure", "2.5 bar"),)),
        ),
        (
            Para("On the CR25T engine the turbocharger bearings are fed from the main gallery through a "
                 "separate line. Oil returns to the sump by gravity. After hard driving, let the engine "
                 "idle for about 1 min before switching off.",
                 facts=(F("turbocharger cool-down idle time", "time", "1 min", variant=CR25T,
                          condition="after hard driving"),)),
            Para("An oil cooler with a thermostat is fitted to the CR25T. The thermostat opens the cooler "
                 "circuit at an oil temperature of 95 °C.",
                 facts=(F("oil cooler thermostat opening temperature", "temperature", "95 °C", variant=CR25T),)),
            Para("The oil pressure switch closes the warning lamp circuit below 0.3 bar. If the lamp "
                 "lights up with the engine running, stop the engine at once and check the oil level.",
                 facts=(F("oil pressure switch switching pressure", "pressure", "0.3 bar"),)),
        ),
    ),
)

P_11_71 = Page(
    path="11 - Engine/11-71.jpg",
    kind="procedure",
    label="11-71",
    section="11 Engine",
    columns=(
        (
            Procedure("11 31 040", "Timing belt – tension"),
            Box("CAUTION", "Never turn the engine backwards. The belt may jump a tooth and the valves can "
                           "hit the pistons."),
            Step("1", "Remove the upper timing belt cover. Turn the crankshaft at the central bolt until "
                      "cylinder 1 is at TDC of the firing stroke."),
            Step("2", "Lock the camshaft with setting tool 11 3 240. The mark on the sprocket must align "
                      "with the mark on the cylinder head."),
        ),
        (
            Step("3", "Loosen the tensioner nut. Let the spring tension the belt, then turn the crankshaft "
                      "two full turns in the direction of rotation."),
            Step("4", "Tighten the tensioner nut to 40 Nm. If the camshaft sprocket was removed, tighten "
                      "the sprocket bolt to 65 Nm.",
                 facts=(F("timing belt tensioner nut", "torque", "40 Nm"),
                        F("camshaft sprocket bolt", "torque", "65 Nm"))),
            Step("5", "Check the belt deflection midway between the sprockets. It must be 5 - 7 mm "
                      "under light thumb pressure.",
                 facts=(F("timing belt deflection", "length", "5 - 7 mm", condition="light thumb pressure"),)),
            Box("NOTE", "Replace the timing belt every 90000 km on the CR20 and every 60000 km on the CR25T.",
                facts=(F("timing belt replacement interval", "length", "90000 km", variant=CR20),
                       F("timing belt replacement interval", "length", "60000 km", variant=CR25T))),
        ),
    ),
)

# =========================================================================== 12 Engine electrical

P_12_10 = Page(
    path="12 - Engine Electrical/12-10.jpg",
    kind="explanation",
    label="12-10",
    section="12 Engine Electrical",
    body_font="serif",
    columns=(
        (
            Heading("12 31 Charging System – How it Works"),
            Para("The alternator is driven by the ribbed belt. Its three-phase output is rectified by six "
                 "diodes. The built-in voltage regulator controls the field current so that the charging "
                 "voltage stays between 13.8 - 14.4 V at all engine speeds.",
                 facts=(F("charging voltage", "voltage", "13.8 - 14.4 V", condition="regulated"),)),
            Para("The 240i has a 70 A alternator. The 240 Turbo has a 90 A alternator because of the "
                 "additional electric fan and the intercooler pump.",
                 facts=(F("alternator rated output", "current", "70 A", variant=CR20),
                        F("alternator rated output", "current", "90 A", variant=CR25T))),
        ),
        (
            Para("When the ignition is switched on, current flows through the charge warning lamp to "
                 "terminal D+ and excites the field coil. A 100 Ω resistor in parallel with the lamp lets "
                 "the alternator charge even if the bulb has burnt out.",
                 facts=(F("charge lamp parallel resistor", "resistance", "100 Ω"),)),
            Para("Once the engine is running, D+ has the same voltage as the battery and the lamp goes out. "
                 "The field winding resistance is 2.8 - 3.2 Ω between the slip rings.",
                 facts=(F("alternator field winding resistance", "resistance", "2.8 - 3.2 Ω",
                          condition="between slip rings"),)),
            Para("The battery is a 12 V, 55 Ah unit on the 240i and a 12 V, 66 Ah unit on the 240 Turbo.",
                 facts=(F("battery nominal voltage", "voltage", "12 V"),
                        F("battery capacity", "other", "55 Ah", variant=CR20),
                        F("battery capacity", "other", "66 Ah", variant=CR25T))),
        ),
    ),
)

P_12_31 = Page(
    path="12 - Engine Electrical/12-31.jpg",
    kind="procedure",
    label="12-31",
    section="12 Engine Electrical",
    columns=(
        (
            Procedure("12 31 000", "Alternator – remove and install"),
            Box("WARNING", "Disconnect the battery negative lead before working on the alternator. "
                           "Terminal B+ is live at all times."),
            Step("1", "Remove the air intake duct. Loosen the tensioner and take off the ribbed belt."),
            Step("2", "Disconnect the wires from terminals B+ and D+. Unscrew the mounting bolts and "
                      "remove the alternator."),
            Step("3", "Install in the reverse order. Tighten the B+ terminal nut to 15 Nm and the mounting "
                      "bolts to 47 Nm.",
                 facts=(F("alternator B+ terminal nut", "torque", "15 Nm"),
                        F("alternator mounting bolts", "torque", "47 Nm"))),
        ),
        (
            Procedure("12 31 020", "Charging voltage – check"),
            Step("4", "Connect a voltmeter across the battery terminals. Start the engine and raise the "
                      "speed to 2000 rpm.",
                 facts=(F("engine speed for charging voltage test", "speed", "2000 rpm"),)),
            Step("5", "Switch on the headlights and the rear window heater. The voltage must be "
                      "13.8 - 14.4 V.",
                 facts=(F("charging voltage", "voltage", "13.8 - 14.4 V", condition="at 2000 rpm, load on"),)),
            Step("6", "If the voltage is too high, replace the regulator. If it is too low, check the "
                      "carbon brushes. Minimum brush length 5 mm.",
                 facts=(F("alternator carbon brush length", "length", "5 mm", condition="minimum"),)),
        ),
    ),
)

P_12_40 = Page(
    path="12 - Engine Electrical/12-40.jpg",
    kind="troubleshooting",
    label="12-40",
    section="12 Engine Electrical",
    top=(Heading("12 31 Troubleshooting – Charging System"),
         Para("Requirements: battery charged, terminals clean and tight, ribbed belt correctly tensioned.")),
    columns=(
        (
            Trouble(
                "Charge warning lamp does not light with ignition on",
                ("Pull the plug off terminal D+ and connect it to ground.",
                 "Lamp lights: the regulator or the carbon brushes are faulty."),
                "Lamp stays off: replace the bulb or repair the wire to the instrument cluster.",
            ),
            Trouble(
                "Charge warning lamp stays on with engine running",
                ("Check the ribbed belt for slip.",
                 "Measure the voltage at terminal B+ at 2000 rpm."),
                "Below 13.5 V: replace the voltage regulator – see 12 31 020.",
                facts=(F("charging voltage lower limit", "voltage", "13.5 V", condition="at terminal B+ at 2000 rpm"),),
            ),
        ),
        (
            Trouble(
                "Battery discharges when the car is parked",
                ("Disconnect the negative lead and connect an ammeter in series.",
                 "Quiescent current must not exceed 0.05 A."),
                "Pull fuses one at a time to find the circuit with the leak.",
                facts=(F("quiescent current", "current", "0.05 A", condition="maximum"),),
            ),
            Trouble(
                "Battery overcharged, electrolyte boils",
                ("Measure the charging voltage.",),
                "Above 14.8 V: replace the voltage regulator.",
                facts=(F("charging voltage upper limit", "voltage", "14.8 V"),),
            ),
        ),
    ),
)

P_12_52 = Page(
    path="12 - Engine Electrical/12-52.jpg",
    kind="troubleshooting",
    label="12-52",
    section="12 Engine Electrical",
    dpi=300,
    top=(Heading("12 41 Troubleshooting – Starter"),),
    columns=(
        (
            Trouble(
                "Starter does not turn, lamps go dim",
                ("Measure the battery voltage. It must be at least 12.4 V.",
                 "Check the ground strap between engine and body."),
                "Charge or replace the battery. Clean and tighten the cable ends.",
                facts=(F("battery voltage for starter test", "voltage", "12.4 V", condition="minimum"),),
            ),
            Trouble(
                "Starter turns slowly",
                ("Measure the current draw with an inductive clamp. Normal draw is 150 - 200 A.",),
                "Above 250 A: the starter is worn, replace it.",
                facts=(F("starter current draw", "current", "150 - 200 A", condition="normal"),
                       F("starter current draw limit", "current", "250 A", condition="replace starter above")),
            ),
        ),
        (
            Trouble(
                "Starter solenoid clicks, starter does not turn",
                ("Measure the voltage at terminal 50 while cranking. Minimum 10 V.",),
                "Replace the starter solenoid or the starter.",
                facts=(F("voltage at starter terminal 50 while cranking", "voltage", "10 V", condition="minimum"),),
            ),
            Trouble(
                "Starter keeps running after the key is released",
                ("Check the ignition switch and the starter relay.",),
                "Replace the faulty part. Starter relay coil resistance 70 - 80 Ω.",
                facts=(F("starter relay coil resistance", "resistance", "70 - 80 Ω"),),
            ),
        ),
    ),
    notes=("Rendered at 300 dpi.",),
)

# =========================================================================== 13 Fuel

P_13_10 = Page(
    path="13 - Fuel/13-10.jpg",
    kind="explanation",
    label="13-10",
    section="13 Fuel",
    body_font="serif",
    columns=(
        (
            Heading("13 00 Fuel Injection – Description"),
            Para("The electric fuel pump in the tank delivers fuel to the fuel rail. A pressure regulator "
                 "at the end of the rail keeps the system pressure at 3.0 bar (300 kPa) above intake "
                 "manifold pressure.",
                 facts=(F("fuel system pressure", "pressure", "3.0 bar", alt="300 kPa",
                          condition="above intake manifold pressure"),)),
            Para("Surplus fuel returns to the tank, which keeps the fuel cool and free of vapour bubbles. "
                 "The pump delivers at least 1.2 l in 30 s.",
                 facts=(F("fuel pump delivery volume", "volume", "1.2 l", condition="in 30 s, minimum"),)),
        ),
        (
            Para("On the CR25T the regulator is connected to the boost side of the intake, so the fuel "
                 "pressure rises with the boost. At full boost the rail pressure reaches 3.75 bar.",
                 facts=(F("fuel rail pressure at full boost", "pressure", "3.75 bar", variant=CR25T),)),
            Para("The injectors are opened by the engine control unit once per crankshaft turn. Their "
                 "coil resistance is 14.5 - 17.5 Ω at 20 °C.",
                 facts=(F("fuel injector coil resistance", "resistance", "14.5 - 17.5 Ω", condition="at 20 °C"),)),
            Para("The coolant temperature sensor reads 2.5 kΩ when cold; fuel enrichment ends at 70 °C.",
                 facts=(F("coolant temperature sensor resistance", "resistance", "2.5 kΩ", condition="cold"),
                        F("cold-start enrichment end temperature", "temperature", "70 °C"))),
        ),
    ),
)

P_13_12 = Page(
    path="13 - Fuel/13-12.jpg",
    kind="procedure",
    label="13-12",
    section="13 Fuel",
    columns=(
        (
            Procedure("13 31 501", "Fuel pressure – check"),
            Box("WARNING", "The fuel system is under pressure. Wrap a cloth around the test connection "
                           "before opening it. No smoking, no open flames."),
            Step("1", "Connect pressure gauge 13 3 060 to the test connection on the fuel rail. "
                      "Start the engine and let it idle."),
            Step("2", "System pressure with the vacuum hose on the regulator connected: 2.5 ± 0.2 bar.",
                 facts=(F("fuel system pressure", "pressure", "2.5 ± 0.2 bar", condition="idle, vacuum hose connected"),)),
        ),
        (
            Step("3", "Pull off the vacuum hose. The pressure must rise to 3.0 ± 0.2 bar (43 psi).",
                 facts=(F("fuel system pressure", "pressure", "3.0 ± 0.2 bar", alt="43 psi",
                          condition="vacuum hose disconnected"),)),
            Step("4", "Switch off the engine. After 20 min the residual pressure must not fall below "
                      "2.0 bar (29 psi).",
                 facts=(F("fuel system residual pressure", "pressure", "2.0 bar", alt="29 psi",
                          condition="after 20 min, minimum"),)),
            Step("5", "CR25T only: apply 0.5 bar to the regulator with a hand pump. The fuel pressure must "
                      "rise by the same amount, to 350 kPa.",
                 facts=(F("fuel pressure with 0.5 bar applied to regulator", "pressure", "350 kPa",
                          variant=CR25T),)),
        ),
    ),
)

P_13_64 = Page(
    path="13 - Fuel/13-64.jpg",
    kind="procedure",
    label="13-64",
    section="13 Fuel",
    columns=(
        (
            Procedure("13 64 000", "Idle speed and CO – check and adjust"),
            Step("1", "Requirements: coolant temperature at least 80 °C, all electrical consumers off, "
                      "ignition timing correct.",
                 facts=(F("coolant temperature for idle adjustment", "temperature", "80 °C", condition="minimum"),)),
            Step("2", "Connect the tester to the diagnostic socket. Check the idle speed. "
                      "CR20: 850 ± 50 rpm.",
                 facts=(F("idle speed", "speed", "850 ± 50 rpm", variant=CR20),)),
        ),
        (
            Step("3", "CR25T: 900 ± 50 rpm. The idle speed is not adjustable; if it is out of range, "
                      "clean the idle control valve.",
                 facts=(F("idle speed", "speed", "900 ± 50 rpm", variant=CR25T),)),
            Step("4", "Check the CO content upstream of the catalytic converter. Nominal value 0.5 - 1.0 %.",
                 facts=(F("CO content at idle", "ratio", "0.5 - 1.0 %", condition="upstream of catalytic converter"),)),
            Box("NOTE", "The idle control valve draws 0.4 - 0.6 A. A higher current points to a sticking valve.",
                facts=(F("idle control valve current", "current", "0.4 - 0.6 A"),)),
        ),
    ),
)

# =========================================================================== 21 Clutch

P_21_3 = Page(
    path="21 - Clutch/21-3.jpg",
    kind="procedure",
    label="21-3",
    section="21 Clutch",
    columns=(
        (
            Procedure("21 52 000", "Clutch master cylinder – remove and install"),
            Step("1", "Draw off brake fluid from the reservoir until the level is below the clutch feed "
                      "connection."),
            Step("2", "Remove the lower dashboard trim on the driver's side. Disconnect the push rod "
                      "from the clutch pedal."),
            Step("3", "Disconnect the fluid pipe and unscrew the master cylinder. Tighten to 22 Nm on "
                      "installation.",
                 facts=(F("clutch master cylinder mounting nuts", "torque", "22 Nm"),)),
            Step("4", "Adjust the push rod length to 138 ± 0.5 mm between the bearing centres.",
                 facts=(F("clutch master cylinder push rod length", "length", "138 ± 0.5 mm"),)),
        ),
        (
            Procedure("21 52 010", "Clutch hydraulics – bleed"),
            Box("NOTE", "Brake fluid is hygroscopic and attacks paint. Use only new DOT 4 fluid."),
            Step("5", "Fill the reservoir. Connect the bleeder unit with a pressure of at most 2.0 bar.",
                 facts=(F("bleeder unit pressure for clutch bleeding", "pressure", "2.0 bar", condition="maximum"),)),
            Step("6", "Open the bleeder screw on the slave cylinder until the fluid runs clear and free "
                      "of bubbles. Tighten the bleeder screw to 6 Nm.",
                 facts=(F("clutch slave cylinder bleeder screw", "torque", "6 Nm"),)),
            Step("7", "Operate the pedal 10 times and check the release travel. It must be at least 14 mm.",
                 facts=(F("clutch release travel", "length", "14 mm", condition="minimum"),)),
        ),
    ),
)

P_21_5 = Page(
    path="21 - Clutch/21-5.jpg",
    kind="procedure",
    label="21-5",
    section="21 Clutch",
    columns=(
        (
            Procedure("21 21 000", "Clutch disc – remove and install"),
            Step("1", "Remove the gearbox – see 23 00 020. Mark the position of the pressure plate on "
                      "the flywheel."),
            Step("2", "Loosen the pressure plate bolts crosswise, one turn at a time, to avoid distorting "
                      "the diaphragm spring."),
            Step("3", "Check the clutch disc. Minimum lining thickness above the rivets 1.0 mm; maximum "
                      "lateral runout 0.5 mm.",
                 facts=(F("clutch lining thickness above rivets", "length", "1.0 mm", condition="minimum"),
                        F("clutch disc lateral runout", "length", "0.5 mm", condition="maximum"))),
        ),
        (
            Step("4", "Disc diameter: 240i 215 mm, 240 Turbo 228 mm. Do not mix the pressure plates.",
                 facts=(F("clutch disc diameter", "length", "215 mm", variant=CR20),
                        F("clutch disc diameter", "length", "228 mm", variant=CR25T))),
            Step("5", "Centre the disc with mandrel 21 2 170. Tighten the pressure plate bolts crosswise "
                      "to 24 Nm.",
                 facts=(F("pressure plate bolts", "torque", "24 Nm"),)),
            Box("CAUTION", "Do not grease the splines of the gearbox input shaft heavily. Grease on the "
                           "lining causes clutch judder."),
        ),
    ),
)

# =========================================================================== 34 Brakes

P_34_INDEX = Page(
    path="34 - Brakes/34-00-index.jpg",
    kind="index",
    label="34-0",
    section="34 Brakes",
    top=(Heading("34 Brakes – Contents"),),
    columns=((
        IndexList((
            IndexEntry("34 00 500", "Brake system – bleed", "34-9"),
            IndexEntry("34 11 000", "Front brake pads – replace", "34-4"),
            IndexEntry("34 11 100", "Front brake caliper – remove and install", "34-5"),
            IndexEntry("34 11 200", "Front brake disc – check", "34-6"),
            IndexEntry("34 21 000", "Rear brake pads – replace", "34-12"),
            IndexEntry("34 31 000", "Brake master cylinder – remove and install", "34-15"),
            IndexEntry("34 33 000", "Brake booster – check", "34-18"),
            IndexEntry("34 52 000", "ABS – description", "34-20"),
            IndexEntry("34 52 100", "Wheel speed sensor – check", "34-22"),
        )),
    ),),
)

P_34_4 = Page(
    path="34 - Brakes/34-4.jpg",
    kind="procedure",
    label="34-4",
    section="34 Brakes",
    columns=(
        (
            Procedure("34 11 000", "Front brake pads – replace"),
            Box("WARNING", "Brake dust may be harmful. Do not blow it off with compressed air; clean with "
                           "brake cleaner only."),
            Step("1", "Remove the wheels. Pull the wear sensor plug off and press the pistons back with "
                      "pliers 34 1 050."),
            Step("2", "Unscrew the guide bolts and lift off the caliper. Hang it on a wire; do not let it "
                      "hang on the brake hose."),
        ),
        (
            Step("3", "Check the pad thickness. Replace the pads if the lining is less than 2.0 mm. "
                      "Always replace all pads on one axle.",
                 facts=(F("brake pad minimum thickness", "length", "2.0 mm"),)),
            Step("4", "Check the disc. Minimum thickness is 20.4 mm on the 240i and 23.0 mm on the "
                      "240 Turbo.",
                 facts=(F("front brake disc minimum thickness", "length", "20.4 mm", variant=CR20),
                        F("front brake disc minimum thickness", "length", "23.0 mm", variant=CR25T))),
            Step("5", "Tighten the guide bolts to 30 Nm and the wheel bolts to 100 Nm. Press the brake "
                      "pedal several times before driving.",
                 facts=(F("caliper guide bolts", "torque", "30 Nm"), F("wheel bolts", "torque", "100 Nm"))),
        ),
    ),
)

P_34_9 = Page(
    path="34 - Brakes/34-9.jpg",
    kind="procedure",
    label="34-9",
    section="34 Brakes",
    dpi=300,
    columns=(
        (
            Procedure("34 00 500", "Brake system – bleed"),
            Box("NOTE", "Use only new DOT 4 brake fluid. Replace the fluid every 2 years."),
            Step("1", "Connect the bleeder unit to the reservoir. Set the bleeding pressure to 2.0 bar; "
                      "do not exceed 2.5 bar.",
                 facts=(F("brake bleeding pressure", "pressure", "2.0 bar"),
                        F("brake bleeding pressure limit", "pressure", "2.5 bar", condition="maximum"))),
            Step("2", "Bleed in this order: right rear, left rear, right front, left front."),
        ),
        (
            Step("3", "Open each bleeder screw until the fluid runs clear and free of bubbles. "
                      "Tighten the bleeder screw to 6 Nm.",
                 facts=(F("bleeder screw", "torque", "6 Nm"),)),
            Step("4", "Check the pedal travel. The pedal must be firm after 25 mm of free travel.",
                 facts=(F("brake pedal free travel", "length", "25 mm"),)),
            Step("5", "With the ABS unit replaced, bleed the hydraulic unit with the tester program. "
                      "The pump runs for 10 s each cycle.",
                 facts=(F("ABS pump run time per bleeding cycle", "time", "10 s"),)),
        ),
    ),
    notes=("Rendered at 300 dpi.",),
)

P_34_20 = Page(
    path="34 - Brakes/34-20.jpg",
    kind="explanation",
    label="34-20",
    section="34 Brakes",
    body_font="serif",
    columns=(
        (
            Heading("34 52 000 ABS – Description"),
            Para("The anti-lock brake system keeps the wheels turning during hard braking so that the car "
                 "can still be steered. Each wheel has an inductive speed sensor reading a toothed ring."),
            Para("The control unit compares the wheel speeds. When a wheel starts to lock, the hydraulic "
                 "unit holds or lowers the pressure in that brake circuit, up to 12 times per second."),
        ),
        (
            Para("The return pump builds up to 180 bar to push the fluid back into the master cylinder "
                 "circuit.",
                 facts=(F("ABS return pump pressure", "pressure", "180 bar", condition="maximum"),)),
            Para("The air gap between sensor and toothed ring is 0.3 - 1.1 mm. The sensor resistance is "
                 "800 - 1400 Ω.",
                 facts=(F("wheel speed sensor air gap", "clearance", "0.3 - 1.1 mm"),
                        F("wheel speed sensor resistance", "resistance", "800 - 1400 Ω"))),
            Para("Below 6 km/h the system switches off and the brakes work normally. A fault lights the "
                 "ABS lamp; ordinary braking is still available.",
                 facts=(F("ABS cut-out speed", "speed", "6 km/h", condition="below"),)),
        ),
    ),
)

# =========================================================================== 61 Wiring

WIRE_COLS = (Column("Wire", 0.22), Column("From", 0.39), Column("To", 0.39))


def _wire(label: str, frm: str, to: str) -> Row:
    size, colour = label.split(" ", 1)
    return Row((label, frm, to), facts=(
        F(f"wire {frm} -> {to}", "wire", label, condition=f"wire colour {colour}"),))


P_6120_1 = Page(
    path="61 - Wiring/6120-1.jpg",
    kind="wiring",
    label="6120-1",
    section="61 Wiring",
    dpi=300,
    columns=(
        (
            Heading("6120 Charging Circuit"),
            Para("Battery B+ feeds the alternator output terminal through fusible link F1 (80 A). "
                 "The charge lamp is fed from fuse F7 (10 A) with the ignition on.",
                 facts=(F("fusible link F1 rating", "current", "80 A"), F("fuse F7 rating", "current", "10 A"))),
            Table(columns=WIRE_COLS, rows=(
                _wire("16 RD", "battery +", "fusible link F1"),
                _wire("10 RD", "F1", "alternator B+"),
                _wire("2.5 GN", "ignition switch 15", "fuse F7"),
                _wire(".75 BU", "instrument X16 pin 4", "alternator D+"),
                _wire("16 BR", "battery -", "ground G1"),
            )),
        ),
        (
            Schematic(boxes=("BATTERY", "F1 80A", "ALTERNATOR", "F7 10A", "CHARGE LAMP", "G1"),
                      links=((0, 1), (1, 2), (3, 4), (4, 2), (0, 5))),
            Para("Connector X16 (instrument cluster), pin 4: charge lamp output. Pin 9: ground."),
        ),
    ),
    extra={"wiring": {"circuit": "Charging circuit", "system": "61 Wiring"}},
    notes=("Wire labels are '<cross-section> <colour>'; the mm² unit is never printed, facts carry unit ''.",
           "Text inside the block diagram is figure text, excluded from the transcript (see figure_text)."),
)

P_6121_1 = Page(
    path="61 - Wiring/6121-1.jpg",
    kind="wiring",
    label="6121-1",
    section="61 Wiring",
    columns=(
        (
            Heading("6121 Starting Circuit"),
            Para("With the key in START, terminal 50 of the ignition switch energises starter relay K6. "
                 "The relay is protected by fuse F12 (30 A).",
                 facts=(F("fuse F12 rating", "current", "30 A"),)),
            Table(columns=WIRE_COLS, rows=(
                _wire("25 BK", "battery +", "starter 30"),
                _wire("4 RD", "starter 30", "fuse box X1"),
                _wire("1.5 GN", "ignition switch 50", "relay K6 pin 86"),
                _wire("2.5 BK", "relay K6 pin 87", "starter 50"),
                _wire("25 BR", "gearbox", "ground G2"),
            )),
        ),
        (
            Schematic(boxes=("BATTERY", "IGNITION SW", "RELAY K6", "F12 30A", "STARTER", "G2"),
                      links=((0, 3), (3, 1), (1, 2), (2, 4), (0, 4), (4, 5))),
            Para("Relay K6 coil: pin 85 to ground, pin 86 from switch. Coil resistance 70 - 80 Ω.",
                 facts=(F("starter relay coil resistance", "resistance", "70 - 80 Ω"),)),
        ),
    ),
    extra={"wiring": {"circuit": "Starting circuit", "system": "61 Wiring"}},
    notes=("Wire labels are '<cross-section> <colour>'; the mm² unit is never printed, facts carry unit ''.",),
)

P_6130_1 = Page(
    path="61 - Wiring/6130-1.jpg",
    kind="wiring",
    label="6130-1",
    section="61 Wiring",
    columns=(
        (
            Heading("6130 Fuel Pump Circuit"),
            Para("The engine control unit switches fuel pump relay K3 to ground. The pump runs for 2 s "
                 "when the ignition is switched on, then only with engine speed signal.",
                 facts=(F("fuel pump pre-run time", "time", "2 s", condition="ignition on"),)),
            Table(columns=WIRE_COLS, rows=(
                _wire("2.5 RD", "fuse F11", "relay K3 pin 30"),
                _wire("2.5 GN", "relay K3 pin 87", "fuel pump +"),
                _wire(".75 YE", "control unit pin 3", "relay K3 pin 85"),
                _wire("2.5 BR", "fuel pump -", "ground G3"),
            )),
        ),
        (
            Schematic(boxes=("FUSE F11", "RELAY K3", "FUEL PUMP", "ECU", "G3"),
                      links=((0, 1), (1, 2), (3, 1), (2, 4))),
            Para("Fuse F11 rating 20 A. The pump draws 6 - 8 A at 3.0 bar.",
                 facts=(F("fuse F11 rating", "current", "20 A"),
                        F("fuel pump current draw", "current", "6 - 8 A", condition="at 3.0 bar"))),
        ),
    ),
    extra={"wiring": {"circuit": "Fuel pump circuit", "system": "61 Wiring"}},
    notes=("Wire labels are '<cross-section> <colour>'; the mm² unit is never printed, facts carry unit ''.",),
)

#: every scanned page of the sample manual, in output order
PAGES: tuple[Page, ...] = (
    P_00_2, P_00_3, P_00_4,
    P_TQ_11_18, P_TQ_11_19, P_TQ_11_20, P_TQ_34_1,
    P_11_INDEX, P_11_19, P_11_24, P_11_44, P_11_46, P_11_60, P_11_71,
    P_12_10, P_12_31, P_12_40, P_12_52,
    P_13_10, P_13_12, P_13_64,
    P_21_3, P_21_5,
    P_34_INDEX, P_34_4, P_34_9, P_34_20,
    P_6120_1, P_6121_1, P_6130_1,
)

# =========================================================================== text-layer PDF supplement

PDF_FILE = "Corvane-240-torque-supplement.pdf"
PDF_TITLE = "Corvane 240 – Tightening Torque Supplement (1998)"


@dataclass(frozen=True)
class PdfPage:
    """One page of the text-layer PDF: a ruled torque table (single-line cells)."""

    label: str
    heading: str
    rows: tuple[Row, ...]


PDF_PAGES: tuple[PdfPage, ...] = (
    PdfPage("S-1", "13 Fuel System", (
        _sec("13 31 Fuel Rail and Pressure Regulator"),
        Row(("Fuel rail to intake manifold", "", "10", "Nm"), facts=(F("fuel rail to intake manifold bolts", "torque"),)),
        Row(("Pressure regulator retaining bolts", "", "8", "Nm"), facts=(
            F("fuel pressure regulator retaining bolts", "torque"),)),
        Row(("Fuel pressure test connection cap", "", "4", "Nm"), facts=(
            F("fuel pressure test connection cap", "torque"),)),
        _sec("13 32 Fuel Filter and Lines"),
        Row(("Fuel filter hose clamps", "", "2", "Nm"), facts=(F("fuel filter hose clamps", "torque"),)),
        Row(("Fuel line union nuts M12", "", "20", "Nm"), facts=(F("fuel line union nuts M12", "torque"),)),
        _sec("13 71 Intercooler"),
        Row(("Intercooler bracket bolts", "CR25T", "12", "Nm"), facts=(
            F("intercooler bracket bolts", "torque", variant=CR25T),)),
        Row(("Boost hose clamps", "CR25T", "3", "Nm"), facts=(F("boost hose clamps", "torque", variant=CR25T),)),
    )),
    PdfPage("S-2", "21 Clutch / 23 Manual Gearbox", (
        _sec("21 21 Clutch"),
        Row(("Pressure plate to flywheel", "", "24", "Nm"), facts=(F("pressure plate bolts", "torque"),)),
        Row(("Slave cylinder to gearbox", "", "22", "Nm"), facts=(F("clutch slave cylinder mounting nuts", "torque"),)),
        Row(("Clutch line union nut", "", "16", "Nm"), facts=(F("clutch line union nut", "torque"),)),
        _sec("23 00 Manual Gearbox"),
        Row(("Gearbox to engine M10", "", "47", "Nm"), facts=(F("gearbox to engine bolts M10", "torque"),)),
        Row(("Gearbox to engine M12", "", "72", "Nm"), facts=(F("gearbox to engine bolts M12", "torque"),)),
        Row(("Oil filler and drain plugs", "", "50", "Nm"), facts=(F("gearbox oil filler and drain plugs", "torque"),)),
        Row(("Output flange nut", "CR20", "100", "Nm"), facts=(F("gearbox output flange nut", "torque", variant=CR20),)),
        Row(("", "CR25T", "120", "Nm"), facts=(F("gearbox output flange nut", "torque", variant=CR25T),)),
    )),
    PdfPage("S-3", "31 Front Axle / 32 Steering", (
        _sec("31 10 Front Axle"),
        Row(("Control arm to subframe", "", "77", "Nm"), facts=(F("control arm to subframe bolts", "torque"),)),
        Row(("Ball joint to steering knuckle", "", "64", "Nm"), facts=(F("ball joint to steering knuckle nut", "torque"),)),
        Row(("Strut top mount nuts", "", "24", "Nm"), facts=(F("strut top mount nuts", "torque"),)),
        _sec("32 Steering"),
        Row(("Tie rod end to steering arm", "", "38", "Nm"), facts=(F("tie rod end to steering arm nut", "torque"),)),
        Row(("Steering wheel nut", "", "63", "Nm"), facts=(F("steering wheel nut", "torque"),)),
        Row(("Steering gear to subframe", "", "42", "Nm"), facts=(F("steering gear to subframe bolts", "torque"),)),
        Row(("Toe-in, total", "", "0.20 - 0.35", "°"), facts=(F("front wheel toe-in, total", "angle"),)),
    )),
)

# =========================================================================== HTML tech-spec sheet

HTML_FILE = "Corvane-240-techspec.html"
HTML_VARIANTS = ("240i (CR20)", "240 Turbo (CR25T)")


@dataclass(frozen=True)
class SpecRow:
    """One tech-sheet row: ``values`` has one entry (both variants, colspan=2) or two (240i, 240 Turbo).
    A label of "" is a continuation row (inherits the label above). ``<br>`` breaks are written '\\n'."""

    label: str
    values: tuple[str, ...]
    facts: tuple[F, ...] = ()


HTML_SECTIONS: tuple[tuple[str, tuple[SpecRow, ...]], ...] = (
    ("Introduction", (
        SpecRow("Body / type code:", ("Saloon 4-door\nC240 (EU)\nC241 (US)", "Saloon 4-door\nC245 (EU)")),
        SpecRow("Production dates:", ("03/94 - 11/99", "09/95 - 11/99")),
        SpecRow("Engine:", ("CR20 B20", "CR25T B25")),
        SpecRow("Displacement:", ("1991 cc", "2494 cc"), facts=(
            F("engine displacement", "volume", "1991 cc", variant=CR20),
            F("engine displacement", "volume", "2494 cc", variant=CR25T))),
        SpecRow("Compression Ratio:", ("10.0 : 1", "8.3 : 1"), facts=(
            F("compression ratio", "ratio", "10.0 : 1", variant=CR20),
            F("compression ratio", "ratio", "8.3 : 1", variant=CR25T))),
        SpecRow("Firing order:", ("1-3-4-2",)),
        SpecRow("Valve clearance (engine cold):", ("0.20 - 0.25 mm intake\n0.25 - 0.30 mm exhaust",), facts=(
            F("valve clearance", "clearance", "0.20 - 0.25 mm", condition="intake, engine cold"),
            F("valve clearance", "clearance", "0.25 - 0.30 mm", condition="exhaust, engine cold"))),
        SpecRow("Spark plug gap:", ("0.7 - 0.8 mm",), facts=(F("spark plug electrode gap", "clearance", "0.7 - 0.8 mm"),)),
    )),
    ("Performance", (
        SpecRow("Engine Power Output:", ("129 hp / 95 kW @ 5800 rpm", "192 hp / 141 kW @ 5400 rpm"), facts=(
            F("power output", "power", "95 kW", variant=CR20, condition="at 5800 rpm"),
            F("power output", "power", "141 kW", variant=CR25T, condition="at 5400 rpm"))),
        SpecRow("", ("(with catalyst)", "(with catalyst)")),
        SpecRow("Max Engine Torque:", ("178 Nm @ 4300 rpm", "296 Nm @ 3100 rpm"), facts=(
            F("maximum engine torque", "torque", "178 Nm", variant=CR20, condition="at 4300 rpm"),
            F("maximum engine torque", "torque", "296 Nm", variant=CR25T, condition="at 3100 rpm"))),
        SpecRow("Maximum boost pressure:", ("–", "0.75 bar (10.9 psi)"), facts=(
            F("maximum boost pressure", "pressure", "0.75 bar", variant=CR25T, alt="10.9 psi"),)),
        SpecRow("Maximum Speed:", ("205 km/h", "232 km/h"), facts=(
            F("maximum speed", "speed", "205 km/h", variant=CR20),
            F("maximum speed", "speed", "232 km/h", variant=CR25T))),
    )),
    ("Capacities", (
        SpecRow("Engine oil (with filter):", ("4.5 litres", "5.2 litres"), facts=(
            F("engine oil capacity", "volume", "4.5 litres", variant=CR20, condition="with filter change"),
            F("engine oil capacity", "volume", "5.2 litres", variant=CR25T, condition="with filter change"))),
        SpecRow("Coolant quantity:", ("7.0 litres", "8.5 litres"), facts=(
            F("cooling system capacity", "volume", "7.0 litres", variant=CR20),
            F("cooling system capacity", "volume", "8.5 litres", variant=CR25T))),
        SpecRow("Fuel tank capacity:", ("62 litres (incl. 8 reserve)",), facts=(
            F("fuel tank capacity", "volume", "62 litres"),)),
    )),
    ("Electrical", (
        SpecRow("Battery:", ("12 V 55 Ah", "12 V 66 Ah"), facts=(
            F("battery capacity", "other", "55 Ah", variant=CR20),
            F("battery capacity", "other", "66 Ah", variant=CR25T))),
        SpecRow("Alternator:", ("70 A", "90 A"), facts=(
            F("alternator rated output", "current", "70 A", variant=CR20),
            F("alternator rated output", "current", "90 A", variant=CR25T))),
        SpecRow("Charging voltage:", ("13.8 - 14.4 V",), facts=(
            F("charging voltage", "voltage", "13.8 - 14.4 V"),)),
    )),
)
