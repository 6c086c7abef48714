"""OCR engines behind one small protocol: pixels in, :class:`~manualtune.records.Line` out.

``TesseractEngine`` (tesserocr, LSTM) is the main engine: words and lines with boxes and
confidences. ``RapidOCREngine`` (PP-OCR ONNX models shipped in the rapidocr wheel) gives lines
only and is used for second opinions on numbers. Set ``OMP_THREAD_LIMIT=1`` before importing
tesserocr when running one engine per worker process (this module does it with setdefault).
"""

from __future__ import annotations

import os
from typing import Protocol, runtime_checkable

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402

from manualtune.ocr.config import OCRConfig  # noqa: E402
from manualtune.records import BBox, Line, Word  # noqa: E402


@runtime_checkable
class OCREngine(Protocol):
    """Anything that turns a page image into lines of words."""

    name: str

    def recognize(self, image: np.ndarray, dpi: int | None = None) -> list[Line]: ...


def _bbox(x0: float, y0: float, x1: float, y1: float) -> BBox:
    return BBox(x0=int(round(x0)), y0=int(round(y0)), x1=int(round(x1)), y1=int(round(y1)))


def quiet_leptonica() -> None:
    """Silence Leptonica's C-level stderr messages ("Error in boxClipToRectangle ...").

    They are harmless warnings from tesseract's page layout analysis but flood a build's output.
    Works with the Leptonica bundled in the tesserocr wheel and with a system one; a no-op when
    neither can be found.
    """
    import ctypes
    import glob

    import tesserocr

    libs = glob.glob(os.path.join(os.path.dirname(os.path.dirname(tesserocr.__file__)), "tesserocr.libs", "libleptonica*"))
    for name in [*libs, "libleptonica.so.6", "liblept.so.5"]:
        try:
            ctypes.CDLL(name).setMsgSeverity(6)  # L_SEVERITY_NONE
            return
        except (OSError, AttributeError):
            continue


class TesseractEngine:
    """Tesseract via tesserocr; one ``PyTessBaseAPI`` per instance (create one per process)."""

    def __init__(self, cfg: OCRConfig | None = None):
        import tesserocr

        self.cfg = cfg or OCRConfig()
        quiet_leptonica()
        self._api = tesserocr.PyTessBaseAPI(
            path=self.cfg.tessdata,
            lang=self.cfg.lang,
            psm=self.cfg.psm,
            oem=self.cfg.oem,
        )
        if self.cfg.preserve_interword_spaces:
            self._api.SetVariable("preserve_interword_spaces", "1")
        if not self.cfg.detect_inverted:
            self._api.SetVariable("tessedit_do_invert", "0")
        self.name = f"tesseract {tesserocr.tesseract_version().split()[1]}"

    def close(self) -> None:
        self._api.End()

    def recognize(self, image: np.ndarray, dpi: int | None = None) -> list[Line]:
        """Words and lines in tesseract's reading order (blocks, paragraphs, lines); ``dpi``: the
        resolution tesseract is told (None: it estimates one from the glyphs)."""
        from PIL import Image
        from tesserocr import RIL

        api = self._api
        api.SetImage(Image.fromarray(np.ascontiguousarray(image)))
        if dpi:
            api.SetSourceResolution(dpi)
        api.Recognize()
        it = api.GetIterator()
        lines: list[Line] = []
        if it is None:
            return lines
        block = par = line_no = -1
        cur: dict | None = None

        def close_line() -> None:
            if cur and cur["words"]:
                words = cur["words"]
                conf = float(np.mean([w.conf for w in words]))
                lines.append(
                    Line(
                        text=" ".join(w.text for w in words),
                        bbox=cur["bbox"],
                        conf=round(conf, 2),
                        words=words,
                        block_num=cur["block"],
                        par_num=cur["par"],
                        line_num=cur["line"],
                    )
                )

        while True:
            if it.Empty(RIL.WORD):
                if not it.Next(RIL.WORD):
                    break
                continue
            if it.IsAtBeginningOf(RIL.BLOCK):
                block, par, line_no = block + 1, -1, -1
            if it.IsAtBeginningOf(RIL.PARA):
                par, line_no = par + 1, -1
            if it.IsAtBeginningOf(RIL.TEXTLINE) or cur is None:
                close_line()
                line_no += 1
                lb = it.BoundingBox(RIL.TEXTLINE)
                cur = {"words": [], "bbox": _bbox(*lb) if lb else None, "block": block, "par": par, "line": line_no}
            text = (it.GetUTF8Text(RIL.WORD) or "").strip()
            conf = float(it.Confidence(RIL.WORD))
            box = it.BoundingBox(RIL.WORD)
            if text and box and conf >= self.cfg.min_word_conf:
                w = Word(text=text, bbox=_bbox(*box), conf=round(max(0.0, min(100.0, conf)), 2))
                cur["words"].append(w)
                if cur["bbox"] is None:
                    cur["bbox"] = w.bbox
            if not it.Next(RIL.WORD):
                break
        close_line()
        return renumber_blocks(lines)


def renumber_blocks(lines: list[Line]) -> list[Line]:
    """Number blocks 0.. in order of first appearance (tesseract counts empty image blocks too)."""
    block_ids: dict[int, int] = {}
    par_ids: dict[tuple[int, int], int] = {}
    for ln in lines:
        b = block_ids.setdefault(ln.block_num, len(block_ids))
        p = par_ids.setdefault((ln.block_num, ln.par_num), sum(1 for k in par_ids if k[0] == ln.block_num))
        ln.block_num, ln.par_num = b, p
    return lines


class RapidOCREngine:
    """PP-OCR (rapidocr 3.x, ONNX runtime) without the angle classifier; lines only.

    Each line gets one :class:`Word` spanning the whole line (rapidocr's word boxes are optional
    and not needed for second opinions); ``conf`` is the recognition score scaled to 0-100.
    """

    name = "rapidocr"

    def __init__(self, threads: int = 1, engine=None):
        from rapidocr import RapidOCR

        self._engine = engine or RapidOCR(
            params={
                "Global.use_cls": False,
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )

    def recognize(self, image: np.ndarray, dpi: int | None = None) -> list[Line]:  # dpi: unused (no such input)
        out = self._engine(np.ascontiguousarray(image), use_det=True, use_cls=False, use_rec=True)  # the shared object keeps the last call's switches
        boxes, txts, scores = getattr(out, "boxes", None), getattr(out, "txts", None), getattr(out, "scores", None)
        if boxes is None or txts is None:
            return []
        lines: list[Line] = []
        for i, (quad, text, score) in enumerate(zip(boxes, txts, scores or [], strict=False)):
            text = (text or "").strip()
            if not text:
                continue
            q = np.asarray(quad, dtype=np.float64)
            box = _bbox(q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max())
            conf = round(float(score) * 100.0, 2)
            lines.append(Line(text=text, bbox=box, conf=conf, words=[Word(text=text, bbox=box, conf=conf)], line_num=i))
        lines.sort(key=lambda ln: (ln.bbox.y0, ln.bbox.x0))
        for i, ln in enumerate(lines):
            ln.line_num = i
        return lines


_RAPID_REC: list = []


def shared_rapidocr():
    """The process's one RapidOCR object (detection + recognition models loaded once), shared by
    the second opinions and the wiring-diagram pass."""
    if not _RAPID_REC:
        from rapidocr import RapidOCR

        _RAPID_REC.append(RapidOCR(params={
            "Global.use_cls": False, "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }))
    return _RAPID_REC[0]


def rapid_recognize(crop: np.ndarray) -> tuple[str, float] | None:
    """RapidOCR recognition only (no detection, no angle classifier) of one grey crop:
    ``(text, score 0-1)``, or None when the engine is unavailable or reads nothing. One model per
    process, shared by every second-opinion user (table cells, step numbers, "±", cleanup)."""
    try:
        res = shared_rapidocr()(np.dstack([crop] * 3), use_det=False, use_cls=False, use_rec=True)
    except Exception:  # noqa: BLE001 - a missing second engine is no evidence, not an error
        return None
    txts, scores = getattr(res, "txts", None) or (), getattr(res, "scores", None) or ()
    if not txts:
        return None
    return str(txts[0]).strip(), float(scores[0]) if scores else 0.0


def rapid_read_box(image: np.ndarray, box: BBox, pad: int, height: float = 48.0) -> tuple[str, float] | None:
    """:func:`rapid_recognize` of ``box`` padded by ``pad`` pixels, scaled up to about ``height`` px."""
    H, W = image.shape[:2]
    crop = image[max(0, box.y0 - pad) : min(H, box.y1 + pad), max(0, box.x0 - pad) : min(W, box.x1 + pad)]
    if crop.size == 0:
        return None
    scale = height / max(1, crop.shape[0])
    if scale > 1.2:
        import cv2

        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return rapid_recognize(np.ascontiguousarray(crop))


def make_engine(cfg: OCRConfig) -> OCREngine:
    """The engine named in ``cfg.engine``."""
    if cfg.engine == "rapidocr":
        return RapidOCREngine()
    return TesseractEngine(cfg)


_PROCESS_ENGINES: dict[str, OCREngine] = {}


def process_engine(cfg: OCRConfig) -> OCREngine:
    """One engine per process and OCR config, created on first use (worker processes of any
    executor reuse it across their tasks; tesseract's models load once per process)."""
    key = cfg.model_dump_json()
    if key not in _PROCESS_ENGINES:
        _PROCESS_ENGINES[key] = make_engine(cfg)
    return _PROCESS_ENGINES[key]
