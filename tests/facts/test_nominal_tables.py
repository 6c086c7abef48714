"""Test-value tables (facts.nominal) on rows as the layout delivers the Motronic quick-test pages
(realpages 'Bosch Motronic ML 3-1/07-08.png' and '09-10.png', tune half, batch 4), as read."""

from __future__ import annotations

from facts_fixtures import row, table_block

from manualtune.facts.config import FactsConfig
from manualtune.facts.nominal import description_component, nominal_table_facts, value_cell_values
from manualtune.facts.specs import extract_facts


def _facts(*rows, conf: float = 95.0):
    b = table_block([row(*cells, conf=conf) for cells in rows], file="Bosch Motronic ML 3-1/07-08.png")
    return [(f.component, f.value, f.value_max, f.unit, f.condition, f.needs_review)
            for f in extract_facts([b], FactsConfig()) if not f.derived]


def test_value_cells_hold_only_values_comparisons_and_units():
    assert [(p.value, p.value_max, p.unit, c) for p, c in value_cell_values("10,,,15 V")] == [("10", "15", "V", None)]
    got = value_cell_values("200,.,300 mV maggiore di 4,2 V")
    assert [(p.value, p.value_max, p.unit, c) for p, c in got] == [("200", "300", "mV", None),
                                                                    ("4.2", None, "V", "maggiore di")]
    assert [(p.value, c) for p, c in value_cell_values("max. 4 V")] == [("4", "max.")]
    # the header merged into the first row (09-10 as read): captions dropped
    assert [(p.value, c) for p, c in value_cell_values("|Valord nominald maggiore di 4,5 V")] == [("4.5", "maggiore di")]
    assert description_component("Prova del componente/funzione ~ istruzioni/condizioni di prova Tensione "
                                 "Glimentozione per misuratore quantita oria.Inserire 1‘accensione") == (
        "Tensione Glimentozione per misuratore quantita oria")
    assert value_cell_values("Figura in alto") is None
    assert value_cell_values("10.,,15 ¥") is None  # the unit glyph is not read: no guess
    assert value_cell_values("minore di 10 &") is None  # 'Ω' read as '&'


def test_a_remark_after_the_value_is_its_condition():
    # Motronic 13-14 as read: most value cells carry a remark after the value
    got = value_cell_values("Volord nominali 70,..80 % Forma segnale come primo avvolgimento")
    assert [(p.value, p.value_max, p.unit, c) for p, c in got] == [
        ("70", "80", "%", "Forma segnale come primo avvolgimento")]
    got = value_cell_values("minore di 1 V (Il LED si spegne; _funzionemento irre- aolare motore}")
    assert [(p.value, p.unit, c) for p, c in got] == [
        ("1", "V", "minore di; Il LED si spegne; funzionemento irreaolare motore")]
    got = value_cell_values("10,,,16 V max, 4 V. _.")  # specks after the last value are dropped
    assert [(p.value, p.value_max, c) for p, c in got] == [("10", "16", None), ("4", None, "max,")]
    assert value_cell_values("Figura in alto 10 V") is None  # words before the value: no value cell
    assert value_cell_values("10 V 5") is None  # a number after the value is no remark
    assert value_cell_values("10 V (vedi 5 mm)") is None  # a value inside the remark: no value cell


def test_description_components():
    assert description_component("Relé principole. Alimentazione tensione per centralina elettronica, "
                                 "Inserire l'accensione,") == "Relé principole"
    assert description_component("Segnale di avviamento (mors. 50) Disinnestore la mareia e avviare 11 mo—") == (
        "Segnale di avviamento (mors. 50)")
    assert description_component("Interruttore su _ condizionatore, |Inserire 11 condizionotore.") == (
        "Interruttore su condizionatore")
    assert description_component("Relé per sfiato aria serbatelo, = Inserire 1’accensione") == (
        "Relé per sfiato aria serbatelo")
    assert description_component(". Eliminata") == ""
    # 13-14 as read: the merged caption ('dstruzioni') and a speck read 'a' before the sentence are dropped
    assert description_component("Prova del componente/funzione dstruzioni/condizioni di prova a _ Come ciclo di "
                                 "prova 37, mo misurazione sul secondo avvoglimento del servocoman— do") == (
        "Come ciclo di prova 37, mo misurazione sul secondo avvoglimento")
    assert description_component("i\\Tasso di pulsazione servocomando regime minimo. Misurazione") == (
        "Tasso di pulsazione servocomando regime minimo")  # 11-12 as read


def test_test_value_rows_give_facts_with_their_comparison():
    got = _facts(("47° | 4", "16", "29, 6", "Interruttore su _ condizionatore, |Inserire 11 condizionotore.",
                  "maggiore di 8 V"),
                 ("48° B | 6", "16", "35, 6", "Relé principole. Alimentazione tensione per centralina elettronica, "
                  "Inserire l'accensione,", "10,,,15 V"),
                 ("14", "1", "15", "8,27", "Segnale trasduttore numero di giri. Controllo con oscillogramma.",
                  "Figura in alto"))
    assert got == [("Interruttore su condizionatore", "8", None, "V", "maggiore di", False),
                   ("Relé principole", "10", "15", "V", None, False)]


def test_a_test_value_cell_read_with_low_confidence_needs_review():
    # '8...15 V' read as '8...18' (conf 58): the face's 5 / 8 are confused -> never trusted
    got = _facts(("12°", "16", "4, 5", "Segnale di avviamento (mors. 50) Disinnestore la mareia", "8...18 V"), conf=70.0)
    assert got == [("Segnale di avviamento (mors. 50)", "8", "18", "V", None, True)]


def test_a_faint_unit_sign_is_trusted_only_where_the_description_names_its_quantity():
    # Motronic 11-12 as read: digits confirmed by the cleanup's second readings (90), the '°' read at 44:
    # the layout scores the digits (conf) and the value words with the unit apart (with_units_conf) apart
    def rows(description: str):
        r = row("17 [15", description, "-5...+5 °")
        r.cells[-1] = r.cells[-1].model_copy(update={"conf": 90.0, "with_units_conf": 66.8})
        return [r]

    b = table_block(rows("Angolo d’accensione nel regime del minimo"), file="Bosch Motronic ML 3-1/11-12.png")
    got = [(f.component, f.value, f.value_max, f.unit, f.needs_review) for f in extract_facts([b], FactsConfig())]
    assert got == [("Angolo d’accensione nel regime del minimo", "-5", "5", "°", False)]
    b = table_block(rows("Relé per sfiato aria serbatoio"), file="Bosch Motronic ML 3-1/11-12.png")
    (f,) = extract_facts([b], FactsConfig())
    assert f.needs_review and "does not name an angle" in (f.review_reason or "")
    # a quantity word with one letter misread still names it ('Rngolo d’accensione', 11-12 as read)
    from manualtune.facts.nominal import names_quantity

    assert names_quantity("Rngolo: d’accensione nel pleno carico", "angle")
    assert not names_quantity("triangolo di prova", "angle") and not names_quantity("Rngolo", "voltage")
    # the digits are judged on their own whatever the description names
    r = row("17 [15", "Angolo d’accensione nel regime del minimo", "-5...+5 °")
    r.cells[-1] = r.cells[-1].model_copy(update={"conf": 70.0, "with_units_conf": 60.0})
    (f,) = extract_facts([table_block([r], file="Bosch Motronic ML 3-1/11-12.png")], FactsConfig())
    assert f.needs_review and "digits of this face" in (f.review_reason or "")


def test_rows_with_values_of_the_same_kind_in_other_cells_are_no_test_value_rows():
    # variant columns: the last cell is one variant's value, not the row's; a test-cycle number read
    # as an angle ('47°' for '17') is another kind and does not stop the row
    cfg = FactsConfig()
    variants = table_block([row("Idle speed", "850 rpm", "900 rpm")])
    assert nominal_table_facts(variants, cfg) == []
    cycle = table_block([row("47°", "Interruttore su condizionatore.", "maggiore di 8 V")])
    assert [(f.value, f.unit) for f in nominal_table_facts(cycle, cfg)] == [("8", "V")]


def test_a_value_in_the_prose_of_the_description_is_a_test_condition_not_a_variant():
    # 13-14 cycle 40 as read: the description says the adapter puts terminal 24 on +2 V
    got = _facts(("20", "23 ee,", "24 su +2¥", "| Limite inferdore regolazione Lambda Adattatore di prova applica "
                  "mors. 24 a+2V .", "minore di 1 V (Il LED si spegne; _funzionemento irre- aolare motore}"))
    assert [(v, u, c.split(";")[0], r) for _, v, _, u, c, r in got] == [("1", "V", "minore di", False)]
    # a short cell with a value of the same kind is a variant column: no fact
    cfg = FactsConfig()
    assert nominal_table_facts(table_block([row("Relé pompa. Inserire l'accensione.", "12 V", "10...15 V")]), cfg) == []
    # 'y. Esercizio di ...': a speck read as a letter before the description
    assert description_component("y. Esercizio di regolazicne Lomoda. Il ca- ve adattatore") == (
        "Esercizio di regolazicne Lomoda")


def test_an_ohm_sign_read_again_by_the_cell_pass_gives_resistance_facts():
    # 07-08 after ocr/cells.py rule ohm_glyph: '0,4...2,8k 2' -> '0,4...2,8k Ω', '10 2' / 'Qa' -> 'Ω'
    assert [(p.value, p.value_max, p.unit) for p, _ in value_cell_values("Valori nominali 0,4...2,8k Ω")] == [
        ("0.4", "2.8", "kΩ")]
    got = _facts(("13", "28, 5", "Commutazione variante carburonte, A seconda della codificazione:",
                  "minore di 10 Ω maggiore di 1 Ω"))
    comp = "Commutazione variante carburonte, A seconda della codificazione"
    assert got == [(comp, "10", None, "Ω", "minore di", False), (comp, "1", None, "Ω", "maggiore di", False)]
    # as tesseract read it, the glyphs give no fact
    assert value_cell_values("minore di 10 2 maggiore di 1 Qa") is None


def test_a_value_cell_whose_right_rule_was_read_as_a_letter():
    # Motronic 11-12 (read by eye): '2,8...3,2 bar' with the cell's rule read 'I'; '800...900 giri/min'
    from manualtune.facts.nominal import value_cell_values

    [(v, cond)] = value_cell_values("2,8...3,2 bar I")
    assert (v.value, v.value_max, v.unit, cond) == ("2.8", "3.2", "bar", None)
    [(v, _)] = value_cell_values("800...900 giri/min")
    assert (v.value, v.value_max, v.unit) == ("800", "900", "rpm")
    assert value_cell_values("2,8...3,2 bar I 5") is None  # a number after the rule: no value cell
