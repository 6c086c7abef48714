"""Walk a source folder: which files are usable pages, which are quarantined and why.

Files are visited in sorted (posix path) order so the inventory is deterministic. Each usable
file becomes a :class:`SourceFile` and one :class:`PageRef` per page; each unusable file becomes
a :class:`Quarantine` record with a reason. Bad input never raises.

The walk itself (symlinks, FIFOs, odd names) is :mod:`manualtune.ingest.walk`. Opening a file is
limited in time (:mod:`manualtune.ingest.deadline`), and a file whose size, mtime or inode
changes between its hash and the end of its inspection is quarantined as ``changed_while_read``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from manualtune.cache import StageCache, sha256_file, stable_hash
from manualtune.ingest.deadline import decode_deadline, decode_timeout_s
from manualtune.ingest.pages import (
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    QuarantineError,
    open_image,
    open_pdf,
    stat_signature,
)
from manualtune.ingest.reasons import reason_of
from manualtune.ingest.walk import walk_source
from manualtune.records import PageRef, Quarantine, Record, SourceFile, SourceKind

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff"})
PDF_EXTENSIONS = frozenset({".pdf"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})

DEFAULT_IGNORE: list[str] = ["*.truth.json", "MANIFEST.json", "README.md", "*.md", ".*"]
"""Glob patterns (matched against each path component) that are skipped silently."""

HTML_SNIFF_BYTES = 64 * 1024
MAX_HTML_DEPTH = 512
"""HTML nested deeper than this is refused (a real tech-spec sheet nests ~20 levels; 200,000 levels
take the sheet reader ~10 s, and a deeper one longer)."""

_UNICODE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
                 (b"\xfe\xff", "UTF-16"))
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
_FLAT_TAGS = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "  # void elements
    b"p li dt dd tr td th thead tbody tfoot colgroup option optgroup rb rt rp".split()  # optional end tags
)


def html_depth(data: bytes) -> int:
    """Deepest tag nesting of an HTML document, linear time. Void, self-closed and optional-end tags
    (``<td>``, ``<tr>``, ``<p>`` … often left open in real pages) are not counted."""
    depth = deepest = 0
    for m in _TAG.finditer(data):
        closing, name, self_closed = m.group(1), m.group(2).lower(), m.group(3)
        if name in _FLAT_TAGS:
            continue
        if closing:
            depth = max(0, depth - 1)
        elif not self_closed:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


INSPECT_VERSION = "1"
"""Version of :func:`_inspect`'s checks: part of the inventory cache key (bump it when they change)."""

_NOT_CACHED = frozenset({"decode_timeout", "changed_while_read", "other"})
"""Quarantine reasons that depend on the moment (load, a writer, a read error), not on the bytes."""


class InspectedFile(Record):
    """Inventory cache entry: what inspecting one version of one file gave (source + pages, or quarantine)."""

    source: SourceFile | None = None
    pages: list[PageRef] = []
    quarantine: Quarantine | None = None


@dataclass
class Inventory:
    """What :func:`inventory` found under a source root."""

    sources: list[SourceFile] = field(default_factory=list)
    pages: list[PageRef] = field(default_factory=list)
    quarantined: list[Quarantine] = field(default_factory=list)


def make_page_id(rel_path: str, page: int, sha256: str) -> str:
    """``'<relative path>#p<page>@<sha256[:12]>'`` — unique across folders and file versions."""
    return f"{rel_path}#p{page}@{sha256[:12]}"


def decode_html(data: bytes) -> str:
    """The text of an HTML file's bytes: UTF-8, else the encoding bs4's ``UnicodeDammit`` finds
    (declared ``<meta charset>``, then windows-1252). Raises ``QuarantineError('unreadable_html')``
    for UTF-16/32 (the sheet reader reads UTF-8: a detail says how to convert), NUL bytes, or bytes
    no encoding fits. A reader of HTML sources should decode with this, not ``errors="replace"``:
    a cp1252 sheet read as UTF-8 loses its ``°C`` and ``–`` ranges (5 of the 75 facts of the M3 sheet)."""
    head = data[:HTML_SNIFF_BYTES]
    for bom, name in _UNICODE_BOMS:
        if head.startswith(bom):
            raise QuarantineError(
                "unreadable_html", f"{name}-encoded; the sheet reader reads UTF-8: convert it (iconv -f {name} -t UTF-8)"
            )
    if b"\x00" in head:
        raise QuarantineError("unreadable_html", "binary content (NUL bytes) in an .html file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        from bs4 import UnicodeDammit

        dammit = UnicodeDammit(data, ["utf-8", "windows-1252"])
    except Exception as e:  # noqa: BLE001
        raise QuarantineError("unreadable_html", f"cannot decode: {e}") from e
    if dammit.unicode_markup is None or dammit.contains_replacement_characters:
        raise QuarantineError("unreadable_html", "not valid text in any encoding tried")
    return dammit.unicode_markup


def check_html(path: Path) -> None:
    """Raise ``QuarantineError('unreadable_html')`` unless the file is decodable HTML text."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise QuarantineError("unreadable_html", f"cannot read file: {e}") from e
    if not data:
        raise QuarantineError("empty_file", "the file has 0 bytes")
    text = decode_html(data)
    controls = sum(1 for c in text[:HTML_SNIFF_BYTES] if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(8, len(text[:HTML_SNIFF_BYTES]) // 100):
        raise QuarantineError("unreadable_html", f"{controls} control characters: not a text file")
    if "<" not in text:
        raise QuarantineError("unreadable_html", "no markup found: not an HTML document")
    depth = html_depth(data)
    if depth > MAX_HTML_DEPTH:
        raise QuarantineError("unreadable_html", f"tags nested {depth} levels deep (limit {MAX_HTML_DEPTH}): not a spec sheet")


def _inspect(rel: str, path: Path, sha: str, size: int, timeout_s: float) -> tuple[SourceFile, list[PageRef]]:
    """Open one file just enough to count pages and validate it; raises QuarantineError.

    Images and HTML sheets get ``timeout_s`` in all; a PDF gets it to open and again per page."""
    ext = path.suffix.lower()
    kind: SourceKind
    refs: list[PageRef] = []
    if size == 0:
        raise QuarantineError("empty_file", "the file has 0 bytes")
    if ext in IMAGE_EXTENSIONS:
        kind = "image"
        img = open_image(path, timeout_s=timeout_s)
        img.close()
        refs.append(PageRef(page_id=make_page_id(rel, 1, sha), source=rel, page=1, sha256=sha, kind="image"))
    elif ext in PDF_EXTENSIONS:
        kind = "pdf"
        with decode_deadline(timeout_s, f"opening {path.name}"):
            pdf = open_pdf(path)
        try:
            n = len(pdf)
            if n == 0:
                raise QuarantineError("corrupt_pdf", "the PDF has no pages")
            for i in range(n):
                try:
                    with decode_deadline(timeout_s, f"reading page {i + 1} of {path.name}"):
                        page = pdf[i]
                        tp = page.get_textpage()
                        has_text = bool(tp.get_text_range().strip()) if tp.count_chars() > 0 else False
                        tp.close()
                        page.close()
                except QuarantineError:
                    raise
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
        with decode_deadline(timeout_s, f"checking {path.name}"):
            check_html(path)
        refs.append(PageRef(page_id=make_page_id(rel, 1, sha), source=rel, page=1, sha256=sha, kind="html"))
    else:
        raise QuarantineError("unsupported_type", f"'{ext or '(no extension)'}' files are not read")
    return SourceFile(path=rel, sha256=sha, size=size, kind=kind, pages=len(refs)), refs


def inventory(
    source_root: Path, ignore: list[str] = DEFAULT_IGNORE, timeout_s: float | None = None,
    cache_dir: Path | None = None,
) -> Inventory:
    """Find every usable page under ``source_root`` (recursively, sorted by relative path).

    ``timeout_s``: decode time limit per file (default :func:`~manualtune.ingest.deadline.decode_timeout_s`).
    ``cache_dir`` (a build's ``cache/``): the inspection of a file (fully decoding an image to
    validate it: most of a no-op rebuild's time) is cached by path + sha256, so an unchanged file is
    only hashed. Quarantines that depend on the moment (a timeout, a rewrite) are never cached."""
    source_root = Path(source_root)
    limit = decode_timeout_s() if timeout_s is None else timeout_s
    cache = None
    if cache_dir is not None:
        limits = {"max_html_depth": MAX_HTML_DEPTH, "max_image_pixels": MAX_IMAGE_PIXELS, "max_image_side": MAX_IMAGE_SIDE}
        cache = StageCache(cache_dir, "inventory", INSPECT_VERSION, limits)
    inv = Inventory()
    files, inv.quarantined = walk_source(source_root, list(ignore))
    for rel, path in files:
        try:
            before = stat_signature(os.stat(path))
            sha = sha256_file(path)
        except OSError as e:
            inv.quarantined.append(Quarantine(path=rel, reason="other", detail=f"cannot read file: {e}"))
            continue
        key = stable_hash(rel, sha, before[0])
        inspected = cache.get(key, InspectedFile) if cache is not None else None
        fresh = inspected is None
        if inspected is None:
            inspected = _inspect_file(rel, path, sha, before[0], limit)
        try:
            changed = None if stat_signature(os.stat(path)) == before else (
                "size, mtime or inode changed while the file was hashed and opened: rerun the build once it stays unchanged"
            )
        except OSError as e:
            changed = f"the file disappeared while it was read: {e}"
        if changed is not None:  # what was inspected may not be what was hashed: neither kept nor cached
            e = QuarantineError("changed_while_read", changed)
            inspected = InspectedFile(quarantine=Quarantine(path=rel, reason=e.reason, detail=e.detail))
        elif fresh and cache is not None:
            q = inspected.quarantine
            if q is None or reason_of(q) not in _NOT_CACHED:
                cache.put(key, inspected)
        if inspected.quarantine is not None:
            inv.quarantined.append(inspected.quarantine)
        else:
            assert inspected.source is not None
            inv.sources.append(inspected.source)
            inv.pages.extend(inspected.pages)
    inv.quarantined.sort(key=lambda q: (q.path, q.page or 0, q.reason))
    return inv


def _inspect_file(rel: str, path: Path, sha: str, size: int, limit: float) -> InspectedFile:
    """:func:`_inspect` as a record: bad input becomes the quarantine, never an exception."""
    try:
        src, refs = _inspect(rel, path, sha, size, limit)
    except QuarantineError as e:
        return InspectedFile(quarantine=Quarantine(path=rel, reason=e.reason, detail=e.detail))
    except Exception as e:  # noqa: BLE001 - bad input never stops the build
        return InspectedFile(quarantine=Quarantine(path=rel, reason="other", detail=f"{type(e).__name__}: {e}"))
    return InspectedFile(source=src, pages=refs)
