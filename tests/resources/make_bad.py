"""Write the small broken input files in ``tests/resources/bad/`` (run once; results are committed).

    .venv/bin/python tests/resources/make_bad.py

Each file is tiny (< 50 KB) and deterministic. ``EXPECTED`` maps each file to the quarantine
reason the inventory must give it. ``minimal_pdf`` is also imported by tests to write good PDFs.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

BAD = Path(__file__).parent / "bad"

EXPECTED: dict[str, str] = {
    "empty.jpg": "empty_file",
    "truncated.jpg": "truncated_image",
    "text_named.jpg": "not_an_image",
    "bomb.png": "image_too_large",
    "corrupt.pdf": "corrupt_pdf",
    "encrypted.pdf": "encrypted_pdf",
    "garbage.html": "unreadable_html",
    "spreadsheet.xlsx": "unsupported_type",
}


def _pdf(objs: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objs) + 1) + trailer_extra + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def minimal_pdf(pages: list[list[str]], encrypted: bool = False, size: tuple[int, int] = (300, 200)) -> bytes:
    """A valid PDF; each page prints its lines in Helvetica 12 pt (an empty list: a blank page).

    ``encrypted=True`` adds a Standard security handler whose user password is not empty, so
    PDFium refuses to open it with an "incorrect password" error.
    """
    n = len(pages)
    page_ids = [4 + 2 * i for i in range(n)]
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % p for p in page_ids) + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        ops = [b"BT /F1 12 Tf 14 TL 20 %d Td" % (size[1] - 30)]
        for line in lines:
            esc = line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            ops.append(b"(" + esc + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops) if lines else b""
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> "
            % size + b"/Contents %d 0 R >>" % (page_ids[i] + 1)
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    extra = b""
    if encrypted:
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>")
        extra = b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (len(objs), b"33" * 16, b"33" * 16)
    return _pdf(objs, extra)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` (grayscale) with almost no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    rng = np.random.default_rng(0)
    img = Image.fromarray(rng.integers(0, 255, (120, 160), dtype=np.uint8))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    data = buf.getvalue()
    return data[: len(data) // 2]


def make_all(out: Path = BAD) -> dict[str, int]:
    """Write every broken fixture; returns file name -> size."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "empty.jpg": b"",
        "truncated.jpg": truncated_jpeg(),
        "text_named.jpg": b"This is a text file with a .jpg name.\n",
        "bomb.png": bomb_png(),
        "corrupt.pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\ngarbage without xref\n",
        "encrypted.pdf": minimal_pdf([["secret torque 55 Nm"]], encrypted=True),
        "garbage.html": bytes(np.random.default_rng(1).integers(0, 256, 2048, dtype=np.uint8)),
        "spreadsheet.xlsx": b"PK\x03\x04 not really a workbook",
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
    return {k: len(v) for k, v in files.items()}


if __name__ == "__main__":
    for name, size in make_all().items():
        print(f"{name}: {size} bytes")
