"""Thumbnail crops of an example's source region, cut from the original page image.

The page image is found from the build's source root (``summary.json``) + ``Provenance.file``
(+ page). Boxes are in the pixel space of the OCR'd page (``ocr/<page>.json`` width/height), so
image pages are rescaled to that space and PDF pages are rendered at the matching scale.
HTML sources have no page image. Every failure is a reason string, never an exception.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from manualtune.records import BBox, PageOCR, Provenance
from manualtune.report.config import ReportConfig

Image.MAX_IMAGE_PIXELS = None  # bounded by ReportConfig.max_render_pixels instead
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
BOX_COLOUR = (214, 39, 40)


class CropError(Exception):
    """Why a crop could not be made (shown in the report instead of the thumbnail)."""


@dataclass(frozen=True)
class Crop:
    """A finished crop: PNG bytes and thumbnail size."""

    png: bytes
    width: int
    height: int


class PageImages:
    """Loads page images (one kept in memory at a time) in the OCR pixel space of their page."""

    def __init__(self, source_root: Path | None, ocr_pages: list[PageOCR], cfg: ReportConfig):
        self.root = source_root.resolve() if source_root is not None else None
        self.cfg = cfg
        self.by_id = {p.page_id: p for p in ocr_pages}
        self.by_file = {(p.source, p.page): p for p in ocr_pages}
        self._key: tuple[str, int] | None = None
        self._img: Image.Image | None = None
        self._err: CropError | None = None

    def ocr_page(self, prov: Provenance) -> PageOCR | None:
        """The OCR page a provenance points at (by page id, else by file + page)."""
        if prov.page_id and prov.page_id in self.by_id:
            return self.by_id[prov.page_id]
        return self.by_file.get((prov.file, prov.page))

    def get(self, prov: Provenance) -> Image.Image:
        """The page image (RGB) in OCR pixel space, or raise :class:`CropError`."""
        key = (prov.file, prov.page)
        if key != self._key:
            self._key, self._img, self._err = key, None, None
            try:
                self._img = self._load(prov)
            except CropError as e:
                self._err = e
            except Exception as e:  # noqa: BLE001 - any decoder error is bad input, never fatal
                self._err = CropError(f"cannot read page image: {type(e).__name__}: {e}")
        if self._err is not None:
            raise self._err
        assert self._img is not None
        return self._img

    def _path(self, prov: Provenance) -> Path:
        if self.root is None:
            raise CropError("no source_root in summary.json")
        path = (self.root / prov.file).resolve()
        if not path.is_relative_to(self.root):
            raise CropError(f"source path leaves the source root: {prov.file}")
        if not path.is_file():
            raise CropError(f"source file not found: {prov.file}")
        return path

    def _load(self, prov: Provenance) -> Image.Image:
        path = self._path(prov)
        suffix = path.suffix.lower()
        if suffix in HTML_SUFFIXES:
            raise CropError("HTML source: no page image")
        ocr = self.ocr_page(prov)
        if suffix == ".pdf":
            return self._render_pdf(path, prov.page, ocr)
        with Image.open(path) as im:
            if prov.page > 1:
                im.seek(prov.page - 1)
            if im.width * im.height > self.cfg.max_render_pixels:
                raise CropError(f"page image too large: {im.width}x{im.height}")
            img = im.convert("RGB")
        if ocr is not None and ocr.width > 0 and ocr.height > 0 and (ocr.width, ocr.height) != img.size:
            img = img.resize((ocr.width, ocr.height), Image.Resampling.BILINEAR)
        return img

    def _render_pdf(self, path: Path, page_no: int, ocr: PageOCR | None) -> Image.Image:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page_no <= len(pdf):
                raise CropError(f"page {page_no} not in PDF ({len(pdf)} pages)")
            page = pdf[page_no - 1]
            w_pt, h_pt = page.get_size()
            if ocr is not None and ocr.width > 0 and w_pt > 0:
                scale = ocr.width / w_pt
            else:
                scale = ((ocr.dpi if ocr is not None and ocr.dpi else None) or self.cfg.default_dpi) / 72.0
            if w_pt * h_pt * scale * scale > self.cfg.max_render_pixels:
                raise CropError(f"PDF page too large to render at scale {scale:.2f}")
            img = page.render(scale=scale).to_pil().convert("RGB")
            page.close()
        finally:
            pdf.close()
        if ocr is not None and ocr.width > 0 and ocr.height > 0 and (ocr.width, ocr.height) != img.size:
            img = img.resize((ocr.width, ocr.height), Image.Resampling.BILINEAR)
        return img


def _widen(lo: int, hi: int, min_len: int, limit: int) -> tuple[int, int]:
    """Grow [lo, hi) symmetrically to ``min_len`` (shifting to stay in [0, limit)), then clamp."""
    if hi - lo < min_len:
        extra = min_len - (hi - lo)
        lo, hi = lo - extra // 2, hi + extra - extra // 2
        if lo < 0:
            lo, hi = 0, hi - lo
        if hi > limit:
            lo, hi = lo - (hi - limit), limit
    return max(0, lo), min(limit, hi)


def crop_region(page: Image.Image, bbox: BBox, cfg: ReportConfig) -> Crop:
    """Cut ``bbox`` (+ padding, + context up to the minimum crop size) out of ``page``, mark the
    box in red, shrink to the thumbnail cap and encode as PNG (deterministic bytes)."""
    pad = cfg.crop_padding
    bx0, bx1 = sorted((bbox.x0, bbox.x1))
    by0, by1 = sorted((bbox.y0, bbox.y1))
    if bx1 <= 0 or by1 <= 0 or bx0 >= page.width or by0 >= page.height:
        raise CropError(f"bbox outside the page ({page.width}x{page.height})")
    x0, x1 = _widen(bx0 - pad, bx1 + pad, round(cfg.crop_min_width_frac * page.width), page.width)
    y0, y1 = _widen(by0 - pad, by1 + pad, round(cfg.crop_min_height_frac * page.height), page.height)
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise CropError(f"bbox outside the page ({page.width}x{page.height})")
    img = page.crop((x0, y0, x1, y1))
    # fit the thumbnail cap; small scans are enlarged (up to crop_max_upscale) so text stays readable
    scale = min(cfg.crop_max_upscale, cfg.crop_max_width / img.width, cfg.crop_max_height / img.height)
    if abs(scale - 1.0) > 1e-6:
        size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        img = img.resize(size, Image.Resampling.LANCZOS)
        scale = img.width / (x1 - x0)
    m = 3  # the red frame sits just outside the cited box so it does not cover the text
    box = [
        round((max(bx0, 0) - x0) * scale) - m,
        round((max(by0, 0) - y0) * scale) - m,
        round((min(bx1, page.width) - x0) * scale) - 1 + m,
        round((min(by1, page.height) - y0) * scale) - 1 + m,
    ]
    if box[2] > box[0] and box[3] > box[1]:
        ImageDraw.Draw(img).rectangle(box, outline=BOX_COLOUR, width=2)
    if cfg.crop_colors:  # scans are grey + one red frame: a small palette keeps crops tiny
        img = img.quantize(colors=cfg.crop_colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return Crop(png=buf.getvalue(), width=img.width, height=img.height)


def make_crop(images: PageImages, prov: Provenance, cfg: ReportConfig) -> Crop:
    """Crop of one provenance's bbox on its page image; raises :class:`CropError` with a reason."""
    if prov.bbox is None:
        raise CropError("source has no bbox")
    return crop_region(images.get(prov), prov.bbox, cfg)
