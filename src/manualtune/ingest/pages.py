"""Read page pixels and PDF text layers for a :class:`~manualtune.records.PageRef`.

Every failure a user can cause (unreadable, truncated, encrypted, too large …) raises
:class:`QuarantineError` with a ``reason`` from :class:`~manualtune.records.Quarantine`, so the
caller can quarantine the page and go on. Nothing here modifies the input files.
"""

from __future__ import annotations

import io
import os
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps

from manualtune.cache import sha256_bytes, sha256_file
from manualtune.ingest.deadline import decode_deadline, decode_timeout_s
from manualtune.ingest.reasons import as_record_reason
from manualtune.records import BBox, Line, PageOCR, PageRef, Word

MAX_IMAGE_SIDE = 20000
"""Images larger than this on either side are refused as ``image_too_large``."""

MAX_IMAGE_PIXELS = 200_000_000
"""Pillow's decompression-bomb limit used while opening (and validating) images."""

PDF_PASSWORD_ERROR = 4
"""PDFium's FPDF_ERR_PASSWORD error code (``PdfiumError.err_code``)."""

TEXT_LAYER_ENGINE = "pdf-text-layer"


class QuarantineError(Exception):
    """A page or file that cannot be used.

    ``precise_reason`` is a reason of :data:`manualtune.ingest.reasons.REASONS`; ``reason`` and
    ``detail`` are what a :class:`~manualtune.records.Quarantine` stores (see
    :func:`~manualtune.ingest.reasons.as_record_reason`)."""

    def __init__(self, reason: str, detail: str):
        self.precise_reason = reason
        self.reason, self.detail = as_record_reason(reason, detail)
        super().__init__(f"{self.reason}: {self.detail}")


def stat_signature(st: os.stat_result) -> tuple[int, int, int, int]:
    """What changes when a file is rewritten: size, mtime, inode, device."""
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def _changed(path: Path, expected: str, found: str) -> QuarantineError:
    return QuarantineError(
        "changed_while_read",
        f"sha256 {found[:12]} now, {expected[:12]} at the inventory: the file was rewritten during the build; "
        "rerun the build once it stays unchanged",
    )


def read_verified(path: Path, sha256: str) -> bytes:
    """The bytes of ``path``, checked against the sha256 of the inventory (decode these, not the file)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise QuarantineError("other", f"cannot read file: {e}") from e
    if not data:  # the plainer problem first (also when it was emptied after the inventory)
        raise QuarantineError("empty_file", "the file has 0 bytes")
    found = sha256_bytes(data)
    if found != sha256:
        raise _changed(path, sha256, found)
    return data


_VERIFIED: dict[tuple[str, tuple[int, int, int, int]], str] = {}
"""(path, stat signature) -> sha256 hashed in this process: a PDF is hashed once per worker, not per page."""


def verify_unchanged(path: Path, sha256: str) -> tuple[int, int, int, int]:
    """Check a file read in place (PDFs) against the inventory's sha256; returns its stat signature.

    The hash is computed once per process and file version (the stat signature); compare the
    signature again after reading to catch a rewrite in between (:func:`check_still`)."""
    try:
        sig = stat_signature(path.stat())
    except OSError as e:
        raise QuarantineError("other", f"cannot read file: {e}") from e
    key = (str(path), sig)
    found = _VERIFIED.get(key)
    if found is None:
        found = sha256_file(path)
        if len(_VERIFIED) > 4096:
            _VERIFIED.clear()
        _VERIFIED[key] = found
    if found != sha256:
        raise _changed(path, sha256, found)
    return sig


def check_still(path: Path, sig: tuple[int, int, int, int]) -> None:
    """Raise ``changed_while_read`` when ``path`` no longer has the stat signature ``sig``."""
    try:
        now = stat_signature(path.stat())
    except OSError as e:
        raise QuarantineError("changed_while_read", f"the file disappeared while it was read: {e}") from e
    if now != sig:
        raise QuarantineError("changed_while_read", "the file was rewritten while it was read: rerun the build")


@contextmanager
def _strict_pillow():
    """Pillow settings for validation: truncated files fail, huge images raise a bomb error."""
    old_trunc, old_max = ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS = old_trunc, old_max


def open_image(path: Path, data: bytes | None = None, timeout_s: float | None = None) -> Image.Image:
    """Open and fully decode an image file (or its bytes ``data``), or raise :class:`QuarantineError`.

    Reasons: ``empty_file``, ``not_an_image``, ``image_too_large``, ``truncated_image``,
    ``decode_timeout`` (``timeout_s``, default :func:`~manualtune.ingest.deadline.decode_timeout_s`).
    EXIF orientation is applied, so the result is upright as a viewer shows it.
    """
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as e:
            raise QuarantineError("other", f"cannot read file: {e}") from e
    else:
        size = len(data)
    if size == 0:
        raise QuarantineError("empty_file", "the file has 0 bytes")
    limit = decode_timeout_s() if timeout_s is None else timeout_s
    with decode_deadline(limit, f"decoding {path.name}"), _strict_pillow():
        try:
            img = Image.open(path if data is None else io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
            raise QuarantineError("image_too_large", str(e)) from e
        except Exception as e:  # noqa: BLE001 - Pillow raises several types for non-images
            raise QuarantineError("not_an_image", f"Pillow cannot identify the file: {e}") from e
        w, h = img.size
        if w > MAX_IMAGE_SIDE or h > MAX_IMAGE_SIDE or w * h > MAX_IMAGE_PIXELS:
            img.close()
            raise QuarantineError(
                "image_too_large", f"{w}x{h} px exceeds the limit of {MAX_IMAGE_SIDE} px per side"
            )
        try:
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError) as e:
            raise QuarantineError("image_too_large", str(e)) from e
        except Exception as e:  # noqa: BLE001 - a hostile file raises anything (struct.error, IndexError …)
            msg = str(e)
            reason = "truncated_image" if "truncat" in msg.lower() or "premature" in msg.lower() else "not_an_image"
            raise QuarantineError(reason, f"cannot decode image: {type(e).__name__}: {msg}") from e
        try:
            img = ImageOps.exif_transpose(img) or img
        except Exception:  # noqa: BLE001 - a broken EXIF block is not worth losing the page
            pass
    return img


def image_to_gray(img: Image.Image) -> np.ndarray:
    """Convert any Pillow image (incl. alpha, palette, 16-bit) to grayscale uint8 on white."""
    if img.mode in ("RGBA", "LA", "P", "PA"):
        rgba = img.convert("RGBA")
        bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(bg, rgba)
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        hi = float(arr.max()) or 1.0
        return np.ascontiguousarray(np.clip(arr * (255.0 / hi), 0, 255).astype(np.uint8))
    return np.ascontiguousarray(np.asarray(img.convert("L"), dtype=np.uint8))


def open_pdf(path: Path):
    """Open a PDF with pypdfium2, or raise ``QuarantineError`` (corrupt_pdf / encrypted_pdf)."""
    import pypdfium2 as pdfium

    if path.stat().st_size == 0:
        raise QuarantineError("empty_file", "the file has 0 bytes")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == PDF_PASSWORD_ERROR:
            raise QuarantineError("encrypted_pdf", "the PDF is password-protected; supply an unlocked copy") from e
        raise QuarantineError("corrupt_pdf", f"PDFium cannot open the file: {e}") from e
    except Exception as e:  # noqa: BLE001
        raise QuarantineError("corrupt_pdf", f"PDFium cannot open the file: {e}") from e


def _pdf_page(source_root: Path, ref: PageRef):
    pdf = open_pdf(Path(source_root) / ref.source)
    if not 1 <= ref.page <= len(pdf):
        pdf.close()
        raise QuarantineError("corrupt_pdf", f"page {ref.page} not in a {len(pdf)}-page PDF")
    try:
        return pdf, pdf[ref.page - 1]
    except Exception as e:  # noqa: BLE001
        pdf.close()
        raise QuarantineError("corrupt_pdf", f"cannot load page {ref.page}: {e}") from e


def load_page_image(source_root: Path, ref: PageRef, dpi: int = 200, timeout_s: float | None = None) -> np.ndarray:
    """Pixels of one page as a grayscale uint8 array (PDF pages rendered at ``dpi``).

    The file must still be the one the inventory hashed (``ref.sha256``), else
    ``changed_while_read``; decoding is limited to ``timeout_s`` (``decode_timeout``)."""
    path = Path(source_root) / ref.source
    limit = decode_timeout_s() if timeout_s is None else timeout_s
    if ref.kind == "html":
        raise QuarantineError("other", "HTML sheets have no page image")
    if ref.kind == "pdf_page":
        sig = verify_unchanged(path, ref.sha256)
        with decode_deadline(limit, f"rendering page {ref.page} of {path.name}"):
            arr = _render_pdf_page(source_root, ref, dpi)
        check_still(path, sig)
        return arr
    img = open_image(path, read_verified(path, ref.sha256), timeout_s=limit)
    try:
        with decode_deadline(limit, f"converting {path.name}"):
            return image_to_gray(img)
    finally:
        img.close()


def _render_pdf_page(source_root: Path, ref: PageRef, dpi: int) -> np.ndarray:
    pdf, page = _pdf_page(source_root, ref)
    try:
        w, h = page.get_size()
        scale = dpi / 72.0
        if w * scale > MAX_IMAGE_SIDE or h * scale > MAX_IMAGE_SIDE:
            raise QuarantineError("image_too_large", f"page {w:.0f}x{h:.0f} pt at {dpi} dpi is too large")
        bitmap = page.render(scale=scale, grayscale=True)
        arr = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
    except QuarantineError:
        raise
    except Exception as e:  # noqa: BLE001
        raise QuarantineError("corrupt_pdf", f"cannot render page {ref.page}: {e}") from e
    finally:
        pdf.close()
    if arr.ndim == 3:
        arr = arr[:, :, 0]
    return np.ascontiguousarray(arr)


def _page_words(tp, n_chars: int, to_px) -> list[tuple[str, BBox]]:
    """Words of a text page: characters split on whitespace, line breaks and visual gaps."""
    text = tp.get_text_range(0, n_chars) if n_chars else ""
    words: list[tuple[str, BBox]] = []
    cur_chars: list[str] = []
    cur_box: BBox | None = None
    last: BBox | None = None

    def flush() -> None:
        nonlocal cur_chars, cur_box
        if cur_chars and cur_box is not None:
            words.append(("".join(cur_chars), cur_box))
        cur_chars, cur_box = [], None

    for i, ch in enumerate(text[:n_chars]):
        if ch.isspace() or ch == "\x00":
            flush()
            continue
        try:
            box = to_px(*tp.get_charbox(i))
        except Exception:  # noqa: BLE001 - a char without a box joins the current word
            box = None
        if box is not None and (box.x1 <= box.x0 or box.y1 <= box.y0):
            box = None
        if box is not None and last is not None and cur_box is not None and cur_chars:
            h = max(box.height, cur_box.height, 1)
            v_overlap = min(box.y1, cur_box.y1) - max(box.y0, cur_box.y0)
            if v_overlap <= 0 or box.x0 - last.x1 > 0.6 * h or box.x1 < last.x0:
                flush()
        cur_chars.append(ch)
        if box is not None:
            cur_box = box if cur_box is None else cur_box.union(box)
            last = box
    flush()
    return words


def group_visual_lines(words: list[tuple[str, BBox]]) -> list[list[tuple[str, BBox]]]:
    """Group words into visual lines (vertical overlap), top to bottom, words left to right."""
    lines: list[tuple[BBox, list[tuple[str, BBox]]]] = []
    for word in sorted(words, key=lambda w: ((w[1].y0 + w[1].y1) / 2, w[1].x0)):
        box = word[1]
        cy = (box.y0 + box.y1) / 2
        for i, (lbox, members) in enumerate(lines):
            h = min(box.height, lbox.height) or 1
            overlap = min(box.y1, lbox.y1) - max(box.y0, lbox.y0)
            if overlap >= 0.5 * h and lbox.y0 <= cy <= lbox.y1:
                members.append(word)
                lines[i] = (lbox.union(box), members)
                break
        else:
            lines.append((box, [word]))
    lines.sort(key=lambda t: (t[0].y0, t[0].x0))
    return [sorted(m, key=lambda w: (w[1].x0, w[1].y0)) for _, m in lines]


def _page_to_device(page, width: int, height: int, x: float, y: float) -> tuple[int, int]:
    """PDF page coordinates -> pixel coordinates of the page rendered at ``width`` x ``height``."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    dx, dy = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, width, height, 0, x, y, ctypes.byref(dx), ctypes.byref(dy))
    return dx.value, dy.value


def pdf_text_layer(source_root: Path, ref: PageRef, dpi: int = 200, timeout_s: float | None = None) -> PageOCR | None:
    """Words and lines of a PDF page's text layer, boxes in pixels of the page rendered at ``dpi``.

    Returns ``None`` when the page has no text layer (a scanned page: run OCR instead).
    Confidences are 100 (text layers are exact); the engine is ``"pdf-text-layer"``.
    """
    if ref.kind != "pdf_page":
        return None
    path = Path(source_root) / ref.source
    sig = verify_unchanged(path, ref.sha256)
    limit = decode_timeout_s() if timeout_s is None else timeout_s
    with decode_deadline(limit, f"reading the text layer of page {ref.page} of {path.name}"):
        result = _text_layer(source_root, ref, dpi)
    check_still(path, sig)
    return result


def _text_layer(source_root: Path, ref: PageRef, dpi: int) -> PageOCR | None:
    pdf, page = _pdf_page(source_root, ref)
    try:
        pw, ph = page.get_size()
        scale = dpi / 72.0
        width, height = round(pw * scale), round(ph * scale)

        def to_px(left: float, bottom: float, right: float, top: float) -> BBox:
            # page space -> device pixels, honouring the page's /Rotate like the renderer does
            (ax, ay), (bx, by) = (_page_to_device(page, width, height, x, y) for x, y in ((left, bottom), (right, top)))
            x0, x1 = sorted((min(max(ax, 0), width), min(max(bx, 0), width)))
            y0, y1 = sorted((min(max(ay, 0), height), min(max(by, 0), height)))
            return BBox(x0=x0, y0=y0, x1=x1, y1=y1)

        tp = page.get_textpage()
        try:
            n = tp.count_chars()
            grouped = group_visual_lines(_page_words(tp, n, to_px)) if n > 0 else []
        finally:
            tp.close()
    except QuarantineError:
        raise
    except Exception as e:  # noqa: BLE001
        raise QuarantineError("corrupt_pdf", f"cannot read the text layer of page {ref.page}: {e}") from e
    finally:
        pdf.close()
    lines: list[Line] = []
    for num, ws in enumerate(grouped):
        words = [Word(text=t, bbox=b, conf=100.0) for t, b in ws]
        bbox = BBox.enclosing([w.bbox for w in words])
        assert bbox is not None
        lines.append(
            Line(text=" ".join(w.text for w in words), bbox=bbox, conf=100.0, words=words, line_num=num)
        )
    if not lines:
        return None
    return PageOCR.from_lines(ref, lines, TEXT_LAYER_ENGINE, width, height, dpi)
