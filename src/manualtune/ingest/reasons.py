"""Why an input is quarantined: one row per reason, what it means and what the user can do.

:class:`~manualtune.records.Quarantine` accepts a fixed set of ``reason`` values, all of them listed
here with what they mean. A reason the record type does not list (a new one added here first) is
stored as ``reason="other"`` with the precise reason as the first word of the detail
(``"decode_timeout: …"``), so it is still machine-readable and never lost.
"""

from __future__ import annotations

import typing

from manualtune.records import Quarantine

REASONS: dict[str, str] = {
    # reasons records.Quarantine already lists
    "empty_file": "the file has 0 bytes",
    "truncated_image": "the image data ends early: copy or scan the page again",
    "not_an_image": "an image extension, but Pillow cannot decode the content",
    "image_too_large": "more pixels than the limit (a decompression bomb or an oversized scan): downscale it",
    "corrupt_pdf": "PDFium cannot open or render it: re-export or repair the PDF",
    "encrypted_pdf": "password-protected: supply an unlocked copy",
    "unreadable_html": "not decodable HTML text",
    "unsupported_type": "an extension manualtune does not read",
    "ocr_failed": "the OCR engine failed on the page",
    "other": "see the detail",
    "decode_timeout": "decoding the file ran past the per-page time limit (a hostile or pathological file)",
    "changed_while_read": "the file's content changed between the inventory and the read: rerun the build",
    "symlink_outside_source": "a symbolic link to a place outside the source folder: never followed",
    "symlink_loop": "a symbolic link that resolves to itself (a loop): never followed",
    "dangling_symlink": "a symbolic link whose target does not exist",
    "symlinked_folder": "a link to a folder inside the source folder: not followed (its files are read where they are)",
    "not_a_regular_file": "a FIFO, socket or device file: never opened (reading it could block forever)",
    "bad_file_name": "the file name is not valid UTF-8: rename the file",
    "build_folder": "a manualtune build folder inside the source folder (its outputs are not manual pages): not read",
}
"""Every reason ingest gives, and what it means / what to do."""


def record_reasons() -> frozenset[str]:
    """The reasons :class:`~manualtune.records.Quarantine` accepts as they are."""
    return frozenset(typing.get_args(Quarantine.model_fields["reason"].annotation))


def as_record_reason(reason: str, detail: str) -> tuple[str, str]:
    """``(reason, detail)`` as a :class:`Quarantine` can store it (see the module docstring)."""
    if reason not in REASONS:
        raise ValueError(f"unknown quarantine reason {reason!r}: add it to manualtune.ingest.reasons.REASONS")
    if reason in record_reasons():
        return reason, detail
    return "other", f"{reason}: {detail}"


def reason_of(q: Quarantine) -> str:
    """The precise reason of a quarantine record (undoes :func:`as_record_reason`)."""
    if q.reason == "other":
        head = q.detail.split(":", 1)[0]
        if head in REASONS:
            return head
    return q.reason
