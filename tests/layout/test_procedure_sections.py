"""extract_procedures: a procedure ends at its page and at an upper-case line of another section;
caption lines are no steps (lines as read from the realpages scans 18-07 and 33-01)."""

from __future__ import annotations

import pytest

from manualtune.layout import extract_procedures
from manualtune.layout.procedures import is_caption_line, is_next_page, is_untitled_heading
from manualtune.records import Block, Provenance


def _b(page: str, order: int, kind: str, text: str, **meta: str) -> Block:
    return Block(block_id=f"{page}/b{order:03d}", page_id=page, kind=kind, order=order, text=text, meta=meta,
                 source=Provenance(file=f"{page}.jpg", page=1, page_id=page))


@pytest.mark.parametrize(("line", "caption"), [
    ("Three Hole Flange Version", True),
    ("Floor Assembly Plug Installation", True),
    ("BMW 325 IX", True),
    ("Arrangement of Washers", True),  # 12 - Engine Electrical Equipment/12-43.jpg
    ("Tightening torque*.", False),
    ("Unscrew exhaust pipes on manifold .", False),
    ("Installation:", False),
    ("Remove", False),
])
def test_caption_lines(line, caption):
    assert is_caption_line(line) is caption


def test_untitled_heading():
    assert is_untitled_heading(_b("p", 1, "procedure_step", "BREAKING-IN PROCEDURES AFTER REPLACING OR\nREPAIRING FINAL DRIVE"))
    assert not is_untitled_heading(_b("p", 1, "procedure_step", "Unscrew propeller shaft bolts."))
    assert not is_untitled_heading(_b("p", 1, "procedure_step", "BMW 325 IX"))


def test_procedure_ends_at_page_section_line_and_skips_captions():
    blocks = [
        _b("18-07", 1, "heading", "1832005 REMOVING AND INSTALLING\nOR REPLACING CATALYTIC\nCONVERTER"),
        _b("18-07", 2, "procedure_step", "Disconnect oxygen sensor plug (1).\nLift out wire harness.\n"
                                         "Right Wheel House Plug Installation"),
        _b("18-07", 3, "procedure_step", "Two Hole Flange Version"),
        _b("18-07", 4, "procedure_step", "Unscrew catalytic converter on final muffler."),
        _b("18-10", 0, "procedure_step", "Unscrew exhaust pipe on manifold."),  # not the next page
        _b("33-01", 1, "heading", "33 10 000 REMOVING AND INSTALLING FINAL DRIVE"),
        _b("33-01", 2, "procedure_step", "Unscrew propeller shaft bolts."),
        _b("33-01", 3, "procedure_step", "BREAKING-IN PROCEDURES AFTER REPLACING OR REPAIRING FINAL DRIVE"),
        _b("33-01", 4, "procedure_step", "Strict conformance with these breaking-in procedures is required."),
    ]
    cat, drive = extract_procedures(blocks, [])
    assert [s.text for s in cat.steps] == ["Disconnect oxygen sensor plug (1). Lift out wire harness.",
                                           "Unscrew catalytic converter on final muffler."]
    assert [s.text for s in drive.steps] == ["Unscrew propeller shaft bolts."]


def test_repair_number_read_as_a_figure_number_ends_the_see_reference():
    # 23 - Manual Transmission/23-168a.jpg: the line '23 00 022.' under 'Remove transmission — see'
    blocks = [
        _b("23-168a", 1, "heading", "23 00 032 INSTALLING EXCHANGE\nTRANSMISSION"),
        _b("23-168a", 2, "procedure_step", "Remove transmission — see"),
        _b("23-168a", 3, "figure_caption", "23 00 022."),
        _b("23-168a", 4, "procedure_step", "Transmission Type:\nGetrag 260."),
        _b("23-168a", 5, "figure_caption", "20 11 238"),
    ]
    (proc,) = extract_procedures(blocks, [])
    assert [s.text for s in proc.steps] == ["Remove transmission — see 23 00 022.", "Transmission Type: Getrag 260."]


def test_a_title_line_taken_for_a_subtitle_goes_back_into_the_title():
    # 17 - Radiator (17 00 010) and 63 - Lights/63-04.jpg: hyphenated title lines
    blocks = [
        _b("17-01", 1, "heading", "17 00 010 CHECKING FOR LEAKS BE-\nTWEEN COOLING SYSTEM\nAND COMBUSTION CHAM-\nBER",
           repair_code="17 00 010", subtitle="AND COMBUSTION CHAM-", title="CHECKING FOR LEAKS BE- TWEEN COOLING SYSTEM BER"),
        _b("17-01", 2, "procedure_step", "Check coolant level."),
        _b("23-11", 1, "heading", "23 11623 REMOVING AND INSTALLING\nGUIDE SLEEVE\n— TRANSMISSION REMOVED --",
           repair_code="23 11 623", subtitle="— TRANSMISSION REMOVED --", title="REMOVING AND INSTALLING GUIDE SLEEVE"),
        _b("23-11", 2, "procedure_step", "Remove guide sleeve."),
    ]
    leaks, sleeve = extract_procedures(blocks, [])
    assert leaks.title == "CHECKING FOR LEAKS BETWEEN COOLING SYSTEM AND COMBUSTION CHAMBER" and leaks.notes == []
    assert sleeve.title == "REMOVING AND INSTALLING GUIDE SLEEVE" and sleeve.notes == ["— TRANSMISSION REMOVED --"]


def _bb(page: str, order: int, kind: str, text: str, box: tuple[int, int, int, int]) -> Block:
    from manualtune.records import BBox

    return Block(block_id=f"{page}/b{order:03d}", page_id=page, kind=kind, order=order, text=text,
                 source=Provenance(file=f"{page}.jpg", page=1, page_id=page, bbox=BBox(x0=box[0], y0=box[1], x1=box[2], y1=box[3])))


def test_repair_number_printed_under_a_step_ends_that_step():
    # 26 - Propellor Shaft/26-03.jpg: 'Remove and install primary and final mufflers' / '18 12 000.' (read as a
    # figure caption); the figure number '30 26 001' in the photo corner stays out
    blocks = [
        _bb("26-03", 1, "heading", "2611000 REMOVING AND INSTALLING\nPROPELLER SHAFT", (626, 82, 1161, 134)),
        _bb("26-03", 2, "procedure_step", "Remove and install primary and final mufflers", (627, 174, 1157, 200)),
        _bb("26-03", 3, "figure_caption", "18 12 000.", (628, 204, 750, 224)),
        _bb("26-03", 4, "procedure_step", "Unscrew heat shield.", (627, 234, 861, 254)),
        _bb("26-03", 5, "figure_caption", "30 26 001", (500, 480, 600, 500)),
    ]
    [proc] = extract_procedures(blocks, [])
    assert [s.text for s in proc.steps] == ["Remove and install primary and final mufflers 18 12 000.",
                                            "Unscrew heat shield."]


def test_repair_number_far_from_the_step_or_after_a_full_stop_is_no_continuation():
    blocks = [
        _bb("p", 1, "heading", "2611000 REMOVING AND INSTALLING\nPROPELLER SHAFT", (626, 82, 1161, 134)),
        _bb("p", 2, "procedure_step", "Unscrew heat shield.", (627, 174, 1157, 200)),
        _bb("p", 3, "figure_caption", "18 12 000.", (628, 204, 750, 224)),
        _bb("p", 4, "procedure_step", "Remove and install mufflers", (627, 234, 861, 254)),
        _bb("p", 5, "figure_caption", "18 12 000.", (628, 400, 750, 420)),
    ]
    [proc] = extract_procedures(blocks, [])
    assert [s.text for s in proc.steps] == ["Unscrew heat shield.", "Remove and install mufflers"]


def test_two_line_subtitle_and_page_footnote():
    # 31 - Front Axle/31-37.jpg: the subtitle '— Front Axle Final Drive / Removed —' split over the title, the
    # repair number '— 31 53 500.' under the first step, the footnote printed at the page foot
    blocks = [
        _bb("31-37", 1, "heading", "3153520 REPLACING BOTH BEARINGS\nFOR DIFFERENTIAL\n— Front Axle Final Drive\nRemoved —",
            (484, 72, 897, 158)),
        _bb("31-37", 2, "procedure_step", "Always replace both bearings.\nRemove differential for front axle final drive",
            (484, 189, 886, 229)),
        _bb("31-37", 3, "figure_caption", "— 31 53 500.", (486, 236, 602, 251)),
        _bb("31-37", 4, "procedure_step", "Dip new shaft seal in front axle final drive gear lube*.", (484, 416, 861, 548)),
        _bb("31-37", 5, "footer", "* See Operating Material", (484, 1382, 834, 1400)),
        _bb("31-37", 6, "footer", "Specifications", (500, 1406, 700, 1424)),  # its second line
        _bb("31-37", 7, "footer", "Printed in Germany", (1500, 1406, 1700, 1424)),
    ]
    blocks[0].meta.update(title="REPLACING BOTH BEARINGS FOR DIFFERENTIAL — Front Axle Final Drive", subtitle="Removed —")
    [proc] = extract_procedures(blocks, [])
    assert proc.title == "REPLACING BOTH BEARINGS FOR DIFFERENTIAL"
    assert proc.notes == ["— Front Axle Final Drive Removed —"]
    assert [s.text for s in proc.steps] == [
        "Always replace both bearings. Remove differential for front axle final drive — 31 53 500.",
        "Dip new shaft seal in front axle final drive gear lube*.",
        "* See Operating Material Specifications",
    ]


def _folder(page: str, order: int, kind: str, text: str) -> Block:
    b = _b(page, order, kind, text)
    return b.model_copy(update={"source": Provenance(file=f"23 - Manual Transmission/{page}.jpg", page=1, page_id=page)})


def test_next_page():
    def prov(file: str, page: int = 1) -> Provenance:
        return Provenance(file=file, page=page)
    assert is_next_page(prov("23 - M/23-169.jpg"), prov("23 - M/23-170.jpg"))
    assert is_next_page(prov("m.pdf", 4), prov("m.pdf", 5))
    assert not is_next_page(prov("23 - M/23-169.jpg"), prov("23 - M/23-171.jpg"))
    assert not is_next_page(prov("23 - M/23-169.jpg"), prov("31 - F/23-170.jpg"))
    assert not is_next_page(prov("m.pdf", 4), prov("m.pdf", 6))
    # sub-pages and lettered pages: 35-5 / 35-5.1 / 35-6, 11-61 / 11-61a / 11-61b / 11-62, a 'c' series
    for a, b in (("35-05", "35-05_1"), ("35-05_1", "35-06"), ("12-107_1", "12-107_2"), ("11-61", "11-61a"),
                 ("11-61a", "11-61b"), ("11-61b", "11-62"), ("41-102c", "41-103c"), ("23-168a", "23-169")):
        assert is_next_page(prov(f"F/{a}.jpg"), prov(f"F/{b}.jpg")), (a, b)
    for a, b in (("35-05", "35-05_2"), ("35-05_1", "35-05"), ("11-61a", "11-61c"), ("41-102c", "41-104c"),
                 ("12-107_1", "12-108_2")):
        assert not is_next_page(prov(f"F/{a}.jpg"), prov(f"F/{b}.jpg")), (a, b)


# 23 - Manual Transmission/23-169.jpg -> 23-170.jpg (by eye): 23 11 013 runs to the foot of 23-169 and
# goes on at the top of 23-170 ('Remove grooved ball bearing ...' ... 'Install spacer and circlip.'),
# then 23 11 623 begins on 23-170
CASE_STEPS = [
    _folder("23-169", 1, "heading", "23 11 013 REMOVING AND INSTALLING\nOR SEALING TRANSMISSION\nCASE FRONT SECTION"),
    _folder("23-169", 2, "procedure_step", "Remove transmission - see 23 00 022."),
    _folder("23-169", 3, "procedure_step", "Coat case front section with a surface sealing\ncompound** in area of "
                                           "the reverse gear shaft."),
    _folder("23-169", 4, "footer", "** Source of Supply: HWB"),
    _folder("23-170", 0, "header", "23-170"),
    _folder("23-170", 1, "paragraph", "Remove grooved ball bearing for input shaft.\nImportant!\n"
                                      "Protrusion faces gear shaft."),
    _folder("23-170", 2, "paragraph", "Unscrew oil drain plug.\nMount case front section.\nTightening torque*."),
    _folder("23-170", 3, "paragraph", "Install spacer and circlip."),
    _folder("23-170", 4, "heading", "23 11 623 REMOVING AND INSTALLING\nGUIDE SLEEVE FOR CLUTCH\nRELEASE"),
    _folder("23-170", 5, "procedure_step", "Lift out spring (1) and remove release lever (2)."),
]


def test_procedure_goes_on_at_the_top_of_the_next_page():
    case, sleeve = extract_procedures(CASE_STEPS, [])
    assert case.repair_code == "23 11 013"
    assert [(s.source.page_id, s.text) for s in case.steps] == [  # each step keeps its own page
        ("23-169", "Remove transmission - see 23 00 022."),
        ("23-169", "Coat case front section with a surface sealing compound** in area of the reverse gear shaft."),
        ("23-169", "** Source of Supply: HWB"),  # the page-foot footnote
        ("23-170", "Remove grooved ball bearing for input shaft. Important! Protrusion faces gear shaft."),
        ("23-170", "Unscrew oil drain plug. Mount case front section. Tightening torque*."),
        ("23-170", "Install spacer and circlip."),
    ]
    assert case.steps[-3].warnings == ["Important! Protrusion faces gear shaft."]
    assert [s.text for s in sleeve.steps] == ["Lift out spring (1) and remove release lever (2)."]


@pytest.mark.parametrize("variant", ["closing_step", "title_first", "not_next", "paragraph_tail", "step_one"])
def test_no_continuation(variant):
    blocks = [b for b in CASE_STEPS if b.page_id == "23-169"]
    top = "Remove grooved ball bearing for input shaft."
    if variant == "closing_step":
        blocks.append(_folder("23-169", 5, "procedure_step", "Install in reverse order of removal."))
    if variant == "paragraph_tail":
        blocks.append(_folder("23-169", 5, "paragraph", "The manual has more on this elsewhere"))
    if variant == "title_first":  # 51-313-like: a title misread as a paragraph at the top of the next page
        blocks.append(_folder("23-170", 1, "paragraph", "5131...\nWINDSHIELD — M3"))
    if variant == "step_one":
        blocks[1] = blocks[1].model_copy(update={"text": "1. Remove transmission."})
        blocks[2] = blocks[2].model_copy(update={"text": "2. Coat case front section."})
        top = "1. Remove grooved ball bearing."
    page = "23-171" if variant == "not_next" else "23-170"
    blocks.append(_folder(page, 2, "paragraph", top))
    blocks.append(_folder(page, 3, "procedure_step", "Install spacer and circlip."))
    (case,) = extract_procedures(blocks, [])
    assert {s.source.page_id for s in case.steps} == {"23-169"}


def test_a_footnote_at_the_foot_of_a_text_column_does_not_end_a_continued_job():
    # 26 - Propellor Shaft/26-04.jpg (by eye): the job of 26-03 goes on down the left text column, whose foot
    # prints '* See Specifications', and on at the top of the right column ('Installation: Replace stop nuts.')
    blocks = [b for b in CASE_STEPS if b.page_id == "23-169"] + [
        _folder("23-170", 1, "paragraph", "Unscrew propeller shaft on the final drive."),
        _folder("23-170", 2, "paragraph", "* See Specifications"),
        _folder("23-170", 3, "paragraph", "Installation:\nReplace stop nuts.\nTightening torque*."),
        _folder("23-170", 4, "paragraph", "* Remove the cover."),  # a '*' bullet, no footnote: the job ends
        _folder("23-170", 5, "paragraph", "Unscrew center mount."),
    ]
    (case,) = extract_procedures(blocks, [])
    texts = [s.text for s in case.steps if s.source.page_id == "23-170"]
    assert texts == ["Unscrew propeller shaft on the final drive.", "* See Specifications",
                     "Installation: Replace stop nuts. Tightening torque*."]


def test_a_caption_line_right_under_the_heading_is_its_subtitle():
    # 41 - Body/41-111.jpg: '- Four Door Model -' read without its dashes, right under the heading line;
    # the same words lower on the page are a figure label
    blocks = [
        _bb("41-111", 1, "heading", "4111101 REPLACING LEFT OR RIGHT SIDE MEMBER COVER", (21, 87, 844, 110)),
        _bb("41-111", 2, "procedure_step", "Four Door Model", (201, 118, 402, 138)),
        _bb("41-111", 3, "procedure_step", "Uncover mating surfaces.", (21, 178, 600, 200)),
        _bb("41-111", 4, "heading", "4111102 REPLACING SIDE MEMBER", (21, 400, 844, 423)),
        _bb("41-111", 5, "procedure_step", "Cut through cover.", (21, 440, 600, 462)),
        _bb("41-111", 6, "procedure_step", "Two Door Model", (201, 470, 402, 490)),
    ]
    four, two = extract_procedures(blocks, [])
    assert four.title == "REPLACING LEFT OR RIGHT SIDE MEMBER COVER – Four Door Model –"
    assert two.title == "REPLACING SIDE MEMBER" and [s.text for s in two.steps] == ["Cut through cover."]


def test_a_bracketed_line_right_under_the_heading_is_its_subtitle():
    # 41 - Body (Convertibles)/41-101c.jpg: the status line under a three-line heading, wider than it
    blocks = [
        _bb("41-101c", 1, "heading", "4111520 REPLACING COVER FOR\nLEFT OR RIGHT SIDE\nMEMBER", (621, 98, 1091, 179)),
        _bb("41-101c", 2, "procedure_step", "(Rear Side Panel and Door Pillar\nRemoved)", (772, 187, 1145, 240)),
        _bb("41-101c", 3, "procedure_step", "Refer to information on page 41 - 001.", (622, 307, 1154, 330)),
        _bb("41-101c", 4, "procedure_step", "(Only on cars with reinforcement)", (622, 340, 1154, 360)),
    ]
    [proc] = extract_procedures(blocks, [])
    assert proc.notes == ["(Rear Side Panel and Door Pillar Removed)"]
    assert [s.text for s in proc.steps] == ["Refer to information on page 41 - 001.", "(Only on cars with reinforcement)"]


def test_a_version_heading_is_a_label_of_the_job_also_on_the_next_page():
    # 63 - Lights/63-02.jpg and 63-02a.jpg as read: '1988 Models On:' filed as a heading over the
    # job's own steps for the later version, once on the job's page and once at the top of the next
    blocks = [
        _folder("63-02", 1, "heading", "63 12 250 REMOVING AND INSTALLING\nHIGH BEAM LAMP"),
        _folder("63-02", 2, "procedure_step", "Remove radiator grill - see 51 13 040."),
        _folder("63-02", 3, "heading", "1988 Models On:"),
        _folder("63-02", 4, "paragraph", "Heat clips with a hot air blower and lift out."),
        _folder("63-02", 5, "heading", "6321180 REMOVING AND INSTALLING\nLEFT OR RIGHT TAIL LIGHT\nASSEMBLY"),
        _folder("63-02", 6, "procedure_step", "Unscrew screws. Take tail light out of tail panel."),
        _folder("63-02a", 1, "heading", "1988 Models On:"),
        _folder("63-02a", 2, "paragraph", "Open turning lock and lift out cover."),
        _folder("63-02a", 3, "heading", "6399001 REPLACING HALOGEN LIGHT\nBULB FOR LEFT OR RIGHT"),
        _folder("63-02a", 4, "procedure_step", "Pull off plug."),
    ]
    lamp, tail, bulb = extract_procedures(blocks, [])
    assert [s.text for s in lamp.steps] == ["Remove radiator grill - see 51 13 040.", "1988 Models On:",
                                           "Heat clips with a hot air blower and lift out."]
    assert [(s.source.page_id, s.text) for s in tail.steps] == [
        ("63-02", "Unscrew screws. Take tail light out of tail panel."), ("63-02a", "1988 Models On:"),
        ("63-02a", "Open turning lock and lift out cover.")]
    assert [s.text for s in bulb.steps] == ["Pull off plug."]


def test_a_short_title_ending_in_a_colon_on_the_next_page_ends_the_job():
    # 36 - Wheels and Tires/36-08.jpg and 36-09.jpg as read: the rim-runout job runs to the foot of 36-8;
    # 36-9 opens with the title of another topic, 'REPLACING TIRE:' (no version word): not a label of the job
    blocks = [
        _folder("36-08", 1, "heading", "36 10715 CHECKING WHEEL RIM FOR\nRADIAL AND LATERAL\nRUNOUT"),
        _folder("36-08", 2, "procedure_step", "Mount wheel rim on balancing machine."),
        _folder("36-08", 3, "procedure_step", "Important!\nAvoid clamping errors when mounting\nwheel afterwards."),
        _folder("36-09", 1, "heading", "REPLACING TIRE:"),
        _folder("36-09", 2, "paragraph", "Removal of tire begins at the valve."),
    ]
    [rim] = extract_procedures(blocks, [])
    assert {s.source.page_id for s in rim.steps} == {"36-08"}
    assert not any("tire" in s.text for s in rim.steps)


def test_a_parts_list_on_a_continued_page_does_not_end_the_job():
    # 31 - Front Axle/31-34..31-36 as read: the job goes on on 31-35, where a figure's parts list
    # ('2 Shaft gear' ... '5 Case') is the last block; the job goes on again on 31-36 (2026-12-04 mid audit)
    from manualtune.layout.procedures import is_numbered_legend

    blocks = [
        _folder("31-34", 1, "heading", "31 31 000 REPLACING DIFFERENTIAL GEARS"),
        _folder("31-34", 2, "procedure_step", "Remove differential for front axle final drive."),
        _folder("31-35", 1, "paragraph", "Drive out differential gear shaft with a\nmandrel."),
        _folder("31-35", 2, "paragraph", "2 Shaft gear\n3 Differential gear\n4 Differential gear shaft\n5 Case"),
        _folder("31-36", 1, "paragraph", "Measure thickness of washer on four different points."),
    ]
    [job] = extract_procedures(blocks, [])
    assert [s.source.page_id for s in job.steps] == ["31-34", "31-35", "31-36"]
    assert is_numbered_legend("1 Circlip\n2 Washer") and not is_numbered_legend("2 Shaft gear\n4 Case")
    assert not is_numbered_legend("2 Remove the bolts.") and not is_numbered_legend("Layout:\n1 Circlip\n2 Washer")


def test_a_repeated_step_keeps_the_captions_that_tell_it_apart():
    # 18 - Exhaust System/18-07 as read: the same two sentences once per plug, each block ending in the
    # caption of its figure; dropped as figure labels they read as one step done twice (2026-12-04 end audit)
    blocks = [
        _folder("18-07", 1, "heading", "1832005 REMOVING AND INSTALLING\nOR REPLACING CATALYTIC\nCONVERTER"),
        _folder("18-07", 2, "procedure_step", "6 Cylinder M 20:\nDisconnect oxygen sensor plug (1).\nLift out wire harness.\n"
                                              "Floor Assembly Plug Installation"),
        _folder("18-07", 3, "procedure_step", "Disconnect oxygen sensor plug (1).\nLift out wire harness.\n"
                                              "Right Wheel House Plug Installation"),
        _folder("18-07", 4, "procedure_step", "Unscrew exhaust pipes on manifold.\nThree Hole Flange Version"),
    ]
    [job] = extract_procedures(blocks, [])
    assert [s.text for s in job.steps] == [
        "6 Cylinder M 20: Disconnect oxygen sensor plug (1). Lift out wire harness. (Floor Assembly Plug Installation)",
        "Disconnect oxygen sensor plug (1). Lift out wire harness. (Right Wheel House Plug Installation)",
        "Unscrew exhaust pipes on manifold."]  # no repeat: its figure label goes as before


def test_a_numbered_legend_at_the_foot_of_a_step_is_kept_whole():
    # 12 - Engine Electrical Equipment/12-142_1.jpg: '4 Washer' / '5 Bushing' look like figure captions alone
    from manualtune.layout.procedures import _drop_caption_lines

    text = "Press rubber mounts out of housing if\nnecessary.\nLayout:\n1 Circlip\n2 Washer\n3 Rubber mount\n4 Washer\n5 Bushing"
    assert _drop_caption_lines(text) == text
    assert _drop_caption_lines("Remove cover.\nFloor Assembly Plug Installation") == "Remove cover."
    assert _drop_caption_lines("Remove cover (3).\n4 Washer") == "Remove cover (3)."  # no legend above it
