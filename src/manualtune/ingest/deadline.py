"""A time limit for decoding one file or page: a hostile file ends in quarantine, never in a hang.

``with decode_deadline(seconds, "decoding x.png"):`` arms ``SIGALRM`` (``setitimer``); when it
fires, the block is left with :class:`~manualtune.ingest.pages.QuarantineError` reason
``decode_timeout``. The exception raised by the signal handler derives from ``BaseException``, so
the readers' own ``except Exception`` handlers cannot swallow it.

Limits (Python signals): the handler runs between Python bytecodes, so a decoder that loops in
Python (Pillow's chunked ``ImageFile.load``, the PDF text-layer walk, the HTML checks) is
interrupted on time, while a single C call that never returns is not. Signals only work in a
process's main thread: elsewhere (or where ``setitimer`` is missing) the block runs without a
limit. A deadline inside another one does not re-arm the timer: the outer limit governs.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_DECODE_TIMEOUT_S = 120.0
"""Seconds one file (inventory) or one page (read) may take to decode; ``MANUALTUNE_DECODE_TIMEOUT``
overrides it (0 turns the limit off)."""


def decode_timeout_s() -> float:
    """The limit in force: ``$MANUALTUNE_DECODE_TIMEOUT`` when set (seconds), else the default."""
    raw = os.environ.get("MANUALTUNE_DECODE_TIMEOUT")
    if raw is None or not raw.strip():
        return DEFAULT_DECODE_TIMEOUT_S
    try:
        return max(0.0, float(raw))
    except ValueError:
        return DEFAULT_DECODE_TIMEOUT_S


class _Expired(BaseException):
    """Raised by the SIGALRM handler; a BaseException so ``except Exception`` does not catch it."""


def _on_alarm(_signum, _frame) -> None:
    raise _Expired()


@contextmanager
def decode_deadline(seconds: float | None, what: str) -> Iterator[None]:
    """Run the block with a time limit of ``seconds`` (None / 0: no limit); see the module docstring."""
    from manualtune.ingest.pages import QuarantineError

    usable = (
        seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return
    old_handler = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise QuarantineError(
            "decode_timeout",
            f"{what} took longer than {seconds:g} s (limit: MANUALTUNE_DECODE_TIMEOUT, 0 turns it off)",
        ) from None
    finally:
        signal.signal(signal.SIGALRM, old_handler)
