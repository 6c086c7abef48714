"""The bundled sample manual: a FICTIONAL car (Corvane 240) rendered as scanned pages with truth.

``generate_sample_manual(out_dir, seed)`` writes page JPGs, a text-layer PDF, an HTML tech-spec
sheet, ``<stem>.truth.json`` beside each and ``MANIFEST.json``; ``main(out_dir)`` is the console
entry point. The text lives in :mod:`manualtune.sample.content`.
"""

from manualtune.sample.generate import (
    SampleFile,
    SampleManifest,
    generate_sample_manual,
    main,
    truth_path,
)
from manualtune.sample.render import FontMissingError, SampleContentError

__all__ = [
    "FontMissingError",
    "SampleContentError",
    "SampleFile",
    "SampleManifest",
    "generate_sample_manual",
    "main",
    "truth_path",
]
