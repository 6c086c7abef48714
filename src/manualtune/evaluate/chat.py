"""`manualtune chat`: `ask` in a loop, with history and the crops of the cited pages.

``/sources`` writes a crop of each cited box (page image from the build's source folder, box
padded) to ``BUILD/cache/chat-crops/`` and prints the paths; ``/quit`` or Ctrl-D leaves. Input
comes from prompt_toolkit when it is installed, else from ``input()`` with readline; both keep
their history in ``BUILD/cache/chat-history``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from rich.console import Console

from manualtune.generate.text import find_citations
from manualtune.retrieve.answer import AskAnswer, Citation

PAD = 24


def _source_root(build: Path) -> Path | None:
    summary = build / "summary.json"
    if not summary.is_file():
        return None
    root = json.loads(summary.read_text(encoding="utf-8")).get("source_root")
    return Path(root) if root else None


def crop_citation(build: Path, c: Citation) -> Path | None:
    """A PNG crop of one cited box (images only; None when the page image or box is not available)."""
    from PIL import Image

    root = _source_root(build)
    if root is None or c.bbox is None:
        return None
    src = root / c.file
    if src.suffix.lower() not in (".jpg", ".jpeg", ".png", ".tif", ".tiff") or not src.is_file():
        return None
    key = hashlib.sha256(f"{c.file}#{c.page}#{c.bbox.model_dump_json()}".encode()).hexdigest()[:16]
    out = build / "cache" / "chat-crops" / f"{key}.png"
    if not out.is_file():
        with Image.open(src) as im:
            b = c.bbox
            box = (max(0, b.x0 - PAD), max(0, b.y0 - PAD), min(im.width, b.x1 + PAD), min(im.height, b.y1 + PAD))
            out.parent.mkdir(parents=True, exist_ok=True)
            im.crop(box).save(out)
    return out


def _reader(build: Path) -> Callable[[str], str]:
    hist = build / "cache" / "chat-history"
    hist.parent.mkdir(parents=True, exist_ok=True)
    try:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory
    except ImportError:
        return _readline_input(hist)
    session = PromptSession(history=FileHistory(str(hist)))
    return session.prompt


def _readline_input(hist: Path) -> Callable[[str], str]:
    """Plain ``input()`` with the standard library's line editing and the same history file."""
    try:
        import atexit
        import readline
    except ImportError:  # no readline on this platform: input() without history
        return input
    if hist.is_file():
        readline.read_history_file(hist)
    atexit.register(readline.write_history_file, hist)
    return input


class AskSession:
    """`ask` with the index (and, with a run, the fine-tuned model) loaded once.

    With a run, the retrieved record is given to the model (``RAG_MODEL_PROMPT``) and the
    model's words replace the record's; the citations of the record are kept. Where retrieval
    abstains, the model is not asked.
    """

    def __init__(self, build: Path, run_dir: Path | None = None):
        from manualtune.retrieve.answer import Asker

        self.asker = Asker(build)
        self.run_dir = run_dir
        self._model = None

    def ask(self, question: str) -> AskAnswer:
        got = self.asker.ask(question)
        if self.run_dir is None or got.abstained:
            return got
        from manualtune.evaluate.runner import RAG_MODEL_PROMPT, EvalError

        try:
            from manualtune.train.inference import generate_answers, load_run_model
        except ImportError as e:
            raise EvalError("--run needs the train extra: pip install 'manualtune[train]'") from e
        if self._model is None:
            self._model = load_run_model(self.run_dir)
        model, tok = self._model
        text = generate_answers(model, tok, [RAG_MODEL_PROMPT.format(context=got.answer, question=question)])[0].strip()
        cites = find_citations(got.answer)
        if cites and not find_citations(text):
            text = f"{text} {cites[-1]}"  # the retrieved record's citation is kept
        return got.model_copy(update={"answer": text})


def chat_loop(build: Path, run_dir: Path | None, console: Console | None = None,
              lines: Iterable[str] | None = None) -> list[AskAnswer]:
    """Answer each line until /quit or end of input; returns the answers given (for tests)."""
    session = AskSession(build, run_dir)
    console = console or Console()
    read = iter(lines).__next__ if lines is not None else _reader(build)
    answers: list[AskAnswer] = []
    console.print("Ask about the manual. /sources shows the cited page crops, /quit leaves.")
    while True:
        try:
            line = read("> ").strip() if lines is None else read().strip()
        except (EOFError, KeyboardInterrupt, StopIteration):
            break
        if not line:
            continue
        if line in ("/quit", "/exit"):
            break
        if line == "/sources":
            last = answers[-1] if answers else None
            if last is None or not last.citations:
                console.print("no sources yet")
                continue
            for c in last.citations:
                crop = crop_citation(build, c)
                where = f"{c.file} p. {c.page}" + (f" ({c.page_label})" if c.page_label else "")
                console.print(f"{where}: {crop if crop else 'no page image to crop'}")
            continue
        got = session.ask(line)
        answers.append(got)
        console.print(got.answer)
    return answers
