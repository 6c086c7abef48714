"""Safety of the review server: access token off loopback, CSRF on POST, safe build-file paths."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from pathlib import Path
from urllib.parse import unquote

TOKEN_COOKIE = "review_token"
SERVE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}  # no SVG/HTML: they can carry script


class UnsafePath(ValueError):
    """A requested file path that leaves the build folder or is not an image."""


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


def safe_build_file(build_dir: Path, rel: str) -> Path:
    """``build_dir/rel`` when it is an existing image file inside ``build_dir``; else :class:`UnsafePath`.

    Refuses '..' and absolute paths, backslashes and NUL, also when percent-encoded (once or twice),
    and anything that resolves (symlinks included) outside the build folder."""
    decoded = rel
    for _ in range(3):  # %252e%252e -> %2e%2e -> ..
        nxt = unquote(decoded)
        if nxt == decoded:
            break
        decoded = nxt
    if "\\" in decoded or "\x00" in decoded or decoded.startswith("/") or ":" in decoded.split("/")[0]:
        raise UnsafePath("absolute or malformed path")
    parts = decoded.split("/")
    if any(p in ("..", ".") for p in parts) or decoded != rel and "%" in rel and ".." in decoded:
        raise UnsafePath("path leaves the build folder")
    root = Path(build_dir).resolve()
    path = (root / decoded).resolve()
    if not path.is_relative_to(root):
        raise UnsafePath("path leaves the build folder")
    if path.suffix.lower() not in SERVE_SUFFIXES:
        raise UnsafePath("only images are served")
    if not path.is_file():
        raise FileNotFoundError(decoded)
    return path
