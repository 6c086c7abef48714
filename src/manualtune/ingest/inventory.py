"""Walk a source folder: which files are usable pages, which are quarantined and why.

Files are visited in sorted (posix path) order so the inventory is deterministic. Each usable
file becomes a :class:`SourceFile` and one :class:`PageRef` per page; each unusable file becomes
a :class:`Quarantine` record with a reason. Bad input never raises.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from manualtune.cache import sha256_file
from manualtune.ingest.pages import QuarantineError, open_image, open_pdf
from manualtune.records import PageRef, Quarantine, SourceFile, SourceKind

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff"})
PDF_EXTENSIONS = frozenset({".pdf"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})

DEFAULT_IGNORE: list[str] = ["*.truth.json", "MANIFEST.json", "README.md", "*.md", ".*"]
"""Glob patterns (matched against each path component) that are skipped silently."""

HTML_SNIFF_BYTES = 64 * 1024


@dataclass
class Inventory:
    """What :func:`inventory` found under a source root."""

    sources: list[SourceFile] = field(default_factory=list)
    pages: list[PageRef] = field(default_factory=list)
    quarantined: list[Quarantine] = field(default_factory=list)


def make_page_id(rel_path: str, page: int, sha256: str) -> str:
    """``'<relative path>#p<page>@<sha256[:12]>'`` — unique across folders and file versions."""
    return f"{rel_path}#p{page}@{sha256[:12]}"


def is_ignored(rel: PurePosixPath, ignore: list[str]) -> bool:
    """True when any path component matches one of the ``ignore`` glob patterns."""
    return any(fnmatch.fnmatchcase(part, pat) for part in rel.parts for pat in ignore)


def _walk(source_root: Path, ignore: list[str]) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    for p in source_root.rglob("*"):
        rel = PurePosixPath(p.relative_to(source_root).as_posix())
        if is_ignored(rel, ignore) or not p.is_file():
            continue
        out.append((str(rel), p))
    out.sort(key=lambda t: t[0])
    return out


def check_html(path: Path) -> None:
    """Raise ``QuarantineError('unreadable_html')`` unless the file is decodable HTML text."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise QuarantineError("unreadable_html", f"cannot read file: {e}") from e
    if not data:
        raise QuarantineError("empty_file", "the file has 0 bytes")
    head = data[:HTML_SNIFF_BYTES]
    if b"\x00" in head:
        raise QuarantineError("unreadable_html", "binary content (NUL bytes) in an .html file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            from bs4 import UnicodeDammit

            dammit = UnicodeDammit(data, ["utf-8", "windows-1252"])
            text = dammit.unicode_markup or ""
            if dammit.contains_replacement_characters:
                raise QuarantineError("unreadable_html", "not valid text in any encoding tried")
        except QuarantineError:
            raise
        except Exception as e:  # noqa: BLE001
            raise QuarantineError("unreadable_html", f"cannot decode: {e}") from e
    controls = sum(1 for c in text[:HTML_SNIFF_BYTES] if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(8, len(text[:HTML_SNIFF_BYTES]) // 100):
        raise QuarantineError("unreadable_html", f"{controls} control characters: not a text file")
    if "<" not in text:
        raise QuarantineError("unreadable_html", "no markup found: not an HTML document")


def _inspect(rel: str, path: Path, sha: str, size: int) -> tuple[SourceFile, list[PageRef]]:
    """Open one file just enough to count pages and validate it; raises QuarantineError."""
    ext = path.suffix.lower()
    kind: SourceKind
    refs: list[PageRef] = []
    if size == 0:
        raise QuarantineError("empty_file", "the file has 0 bytes")
    if ext in IMAGE_EXTENSIONS:
        kind = "image"
        img = open_image(path)
        img.close()
        refs.append(PageRef(page_id=make_page_id(rel, 1, sha), source=rel, page=1, sha256=sha, kind="image"))
    elif ext in PDF_EXTENSIONS:
        kind = "pdf"
        pdf = open_pdf(path)
        try:
            n = len(pdf)
            if n == 0:
                raise QuarantineError("corrupt_pdf", "the PDF has no pages")
            for i in range(n):
                try:
                    page = pdf[i]
                    tp = page.get_textpage()
                    has_text = bool(tp.get_text_range().strip()) if tp.count_chars() > 0 else False
                    tp.close()
                    page.close()
                except Exception as e:  # noqa: BLE001
                    raise QuarantineError("corrupt_pdf", f"cannot load page {i + 1}: {e}") from e
                refs.append(
                    PageRef(
                        page_id=make_page_id(rel, i + 1, sha), source=rel, page=i + 1, sha256=sha,
                        kind="pdf_page", has_text_layer=has_text,
                    )
                )
        finally:
            pdf.close()
    elif ext in HTML_EXTENSIONS:
        kind = "html"
        check_html(path)
        refs.append(PageRef(page_id=make_page_id(rel, 1, sha), source=rel, page=1, sha256=sha, kind="html"))
    else:
        raise QuarantineError("unsupported_type", f"'{ext or '(no extension)'}' files are not read")
    return SourceFile(path=rel, sha256=sha, size=size, kind=kind, pages=len(refs)), refs


def inventory(source_root: Path, ignore: list[str] = DEFAULT_IGNORE) -> Inventory:
    """Find every usable page under ``source_root`` (recursively, sorted by relative path)."""
    source_root = Path(source_root)
    inv = Inventory()
    for rel, path in _walk(source_root, list(ignore)):
        try:
            size = path.stat().st_size
            sha = sha256_file(path)
        except OSError as e:
            inv.quarantined.append(Quarantine(path=rel, reason="other", detail=f"cannot read file: {e}"))
            continue
        try:
            src, refs = _inspect(rel, path, sha, size)
        except QuarantineError as e:
            inv.quarantined.append(Quarantine(path=rel, reason=e.reason, detail=e.detail))
            continue
        except Exception as e:  # noqa: BLE001 - bad input never stops the build
            inv.quarantined.append(Quarantine(path=rel, reason="other", detail=f"{type(e).__name__}: {e}"))
            continue
        inv.sources.append(src)
        inv.pages.extend(refs)
    return inv
