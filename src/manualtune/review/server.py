"""The review web app: FastAPI + Jinja2 server-rendered pages with a little plain JS (no SPA).

Routes: ``GET /`` queue (filters, counts), ``GET /item?key=`` item page, ``GET /crop?key=`` scan crop
(PNG), ``GET /files/<path>`` images inside the build folder only, ``POST /decide`` a decision (CSRF
token), ``GET /api/queue`` and ``GET /api/item?key=`` the same as JSON. Off loopback every request
needs the access token (``?token=`` once, then a cookie, or ``Authorization: Bearer``): 401 without.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader

from manualtune.records import PageOCR, Provenance, SpecFact
from manualtune.review.config import ReviewConfig
from manualtune.review.edits import EDITABLE, EditError, validate_fields
from manualtune.review.keys import conflict_key_of, example_key, fact_key
from manualtune.review.queue import QueueFilter, QueueItem, ReviewBuild, build_queue, known_keys, load_build
from manualtune.review.risk import REASONS, overlaps
from manualtune.review.security import TOKEN_COOKIE, UnsafePath, is_loopback, safe_build_file, same
from manualtune.review.store import Decision, DecisionStore

FILTERS = ("reason", "kind", "section", "task", "variant", "status")


class ServerConfigError(ValueError):
    """The server cannot start as asked (e.g. a public address without a token)."""


@dataclass
class _State:
    build_dir: Path
    store: DecisionStore
    cfg: ReviewConfig
    stamp: tuple = ()
    build: ReviewBuild | None = None
    crops: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _stamp(self) -> tuple:
        out = []
        for rel in ("summary.json", "review/facts_extracted.jsonl", "records/facts.jsonl", "dataset/examples.jsonl"):
            p = self.build_dir / rel
            out.append(p.stat().st_mtime_ns if p.exists() else 0)
        return tuple(out)

    def current(self) -> ReviewBuild:
        """The build's records, re-read when a rebuild changed them."""
        with self.lock:
            stamp = self._stamp()
            if self.build is None or stamp != self.stamp:
                self.build, self.stamp, self.crops = load_build(self.build_dir), stamp, {}
            return self.build


def _env() -> Environment:
    env = Environment(loader=PackageLoader("manualtune.review", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda d: urlencode({k: v for k, v in d.items() if v})
    return env


def create_app(build_dir: Path, decisions: Path | None = None, host: str = "127.0.0.1",
               token: str | None = None, cfg: ReviewConfig | None = None) -> FastAPI:
    """The app for one build folder. Off loopback a ``token`` is required (:class:`ServerConfigError`)."""
    build_dir = Path(build_dir)
    if not (build_dir / "summary.json").is_file():
        raise ServerConfigError(f"{build_dir} is not a build folder (no summary.json): run `manualtune build` first")
    cfg = cfg or ReviewConfig()
    if decisions is not None:
        cfg = cfg.model_copy(update={"decisions": Path(decisions)})
    if token is None and not is_loopback(host):
        raise ServerConfigError(f"binding {host} needs --token (or let `review serve` generate one)")
    state = _State(build_dir=build_dir, store=DecisionStore(cfg.decisions_path(build_dir)), cfg=cfg)
    csrf = secrets.token_urlsafe(24)
    env = _env()
    app = FastAPI(title="manualtune review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.review = state

    @app.middleware("http")
    async def guard(request: Request, call_next):  # noqa: ANN202 - starlette middleware
        set_cookie = False
        if token is None and not is_loopback(_hostname(request.headers.get("host", ""))):
            # no token means loopback only: a page from another site resolving its name to 127.0.0.1
            # (DNS rebinding) must not read the queue
            return PlainTextResponse("403: open the review app as http://127.0.0.1:<port>/ (Host not allowed)",
                                     status_code=403)
        if token is not None:
            given = request.query_params.get("token")
            auth = request.headers.get("authorization", "")
            bearer = auth[7:] if auth.lower().startswith("bearer ") else None
            if same(given, token):
                set_cookie = True
            elif not (same(bearer, token) or same(request.cookies.get(TOKEN_COOKIE), token)):
                return PlainTextResponse(
                    "401: this review server needs its access token: open the URL `manualtune review serve` "
                    "printed (…?token=…)", status_code=401)
        response = await call_next(request)
        if set_cookie:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        nonce = getattr(request.state, "nonce", "")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        request.state.nonce = secrets.token_urlsafe(12)
        html = env.get_template(name).render(nonce=request.state.nonce, csrf=csrf, reasons=REASONS, **ctx)
        return HTMLResponse(html, status_code=status)

    def decisions_map() -> dict[str, Decision]:
        return {d.key: d for d in state.store.all()}

    def queue_and_filter(request: Request) -> tuple[list[QueueItem], list[QueueItem], dict[str, str]]:
        b = state.current()
        params = {k: request.query_params.get(k, "") for k in FILTERS}
        everything = build_queue(b, state.cfg, decisions_map(), include_unflagged=params["status"] == "all")
        flt = QueueFilter(**{k: (v or None) for k, v in params.items() if k != "status"},
                          status=params["status"] if params["status"] in ("pending", "reviewed") else None)
        return everything, flt.apply(everything), params

    @app.get("/", response_class=HTMLResponse)
    def queue_page(request: Request) -> HTMLResponse:
        everything, shown, params = queue_and_filter(request)
        b = state.current()
        stale = _stale(b, decisions_map())
        facets = {
            "reason": sorted({r for i in everything for r in i.reasons}),
            "kind": sorted({i.kind for i in everything}),
            "section": sorted({i.section for i in everything if i.section}),
            "task": sorted({i.task for i in everything if i.task}),
            "variant": sorted({i.variant for i in everything if i.variant}),
        }
        counts = {"total": len(everything), "shown": len(shown),
                  "pending": sum(i.status == "pending" for i in everything),
                  "reviewed": sum(i.status != "pending" for i in everything), "stale": len(stale)}
        return render(request, "queue.html.j2", items=shown[:state.cfg.queue_page_rows], params=params, facets=facets, counts=counts,
                      stale=stale, notices=b.notices, problems=b.log.problems, build_dir=str(state.build_dir))

    @app.get("/api/queue")
    def api_queue(request: Request) -> JSONResponse:
        _, shown, _ = queue_and_filter(request)
        return JSONResponse([i.json_line() for i in shown])

    def find_item(key: str, request: Request) -> tuple[QueueItem | None, list[QueueItem], dict[str, str]]:
        everything, shown, params = queue_and_filter(request)
        for it in everything:
            if it.key == key:
                return it, shown, params
        b = state.current()
        f = b.facts_by_key.get(key)
        if f is not None:  # an unflagged fact can be reviewed too
            unflagged = build_queue(b, state.cfg, decisions_map(), include_unflagged=True)
            return next((i for i in unflagged if i.key == key), None), shown, params
        return None, shown, params

    def item_context(item: QueueItem, shown: list[QueueItem], params: dict[str, str]) -> dict[str, Any]:
        b = state.current()
        keys = [i.key for i in shown]
        pos = keys.index(item.key) if item.key in keys else -1
        prev_key = keys[pos - 1] if pos > 0 else None
        next_key = keys[pos + 1] if 0 <= pos < len(keys) - 1 else (keys[0] if pos < 0 and keys else None)
        decision = state.store.get(item.key)
        ctx: dict[str, Any] = {
            "item": item, "params": params, "prev_key": prev_key, "next_key": next_key, "position": pos + 1,
            "total": len(keys), "decision": decision, "history": state.store.history(item.key),
            "editable": EDITABLE, "revision": decision.revision if decision else 0,
        }
        if item.kind == "fact":
            fact = b.facts_by_key[item.key]
            current = next((f for f in b.current_facts if f.fact_id == fact.fact_id), None)
            ctx |= {"fact": fact, "current": current, "ocr_lines": _ocr_lines(b, fact.source),
                    "examples": [e for e in b.examples if fact.fact_id in e.fact_ids]}
        elif item.kind == "conflict":
            by_id = {f.fact_id: f for f in b.facts}
            members = [by_id[i] for i in item.record["fact_ids"] if i in by_id]
            ctx |= {"members": [(fact_key(f), f) for f in members]}
        else:
            ex = item.record.get("example")
            fids = set(ex["fact_ids"]) if ex else set()
            ctx |= {"example": ex, "linked": [(fact_key(f), f) for f in b.facts if f.fact_id in fids and not f.derived]}
        return ctx

    @app.get("/item", response_class=HTMLResponse)
    def item_page(request: Request, key: str = "") -> HTMLResponse:
        item, shown, params = find_item(key, request)
        if item is None:
            return render(request, "missing.html.j2", status=404, key=key)
        return render(request, "item.html.j2", notice=request.query_params.get("notice", ""),
                      saved=request.query_params.get("saved", ""), errors={}, form={},
                      **item_context(item, shown, params))

    @app.get("/api/item")
    def api_item(request: Request, key: str = "") -> JSONResponse:
        item, _, _ = find_item(key, request)
        if item is None:
            return JSONResponse({"error": f"no such item: {key}"}, status_code=404)
        d = state.store.get(key)
        return JSONResponse({"item": item.json_line(), "decision": d.line() if d else None})

    @app.get("/crop")
    def crop(key: str = "") -> Response:
        b = state.current()
        prov = _provenance(b, key)
        if prov is None:
            return PlainTextResponse("no such item", status_code=404)
        with state.lock:
            png = state.crops.get(key)
        if png is None:
            png = _crop_png(b, prov, state.cfg)
            if png is None:
                return PlainTextResponse("no scan crop for this item", status_code=404)
            with state.lock:
                state.crops[key] = png
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})

    @app.get("/files/{rel:path}")
    def build_file(rel: str, request: Request) -> Response:
        raw = request.scope.get("raw_path", b"").decode("latin-1")
        try:
            if ".." in raw or "%2e" in raw.lower() or "%5c" in raw.lower():
                raise UnsafePath("path leaves the build folder")
            path = safe_build_file(state.build_dir, rel)
        except UnsafePath as e:
            return PlainTextResponse(f"refused: {e}", status_code=403)
        except FileNotFoundError:
            return PlainTextResponse("not found", status_code=404)
        media = {".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}.get(path.suffix.lower(), "image/jpeg")
        return Response(path.read_bytes(), media_type=media)

    @app.post("/decide")
    async def decide(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        if not same(form.get("csrf"), csrf):
            return PlainTextResponse("403: missing or wrong CSRF token: reload the page and try again", status_code=403)
        origin = request.headers.get("origin")
        if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host", ""):
            return PlainTextResponse("403: cross-site request refused", status_code=403)
        key = form.get("key", "")
        item, shown, _ = find_item(key, request)
        params = {k: form.get(f"f_{k}", "") for k in FILTERS}
        if item is None:
            return PlainTextResponse(f"404: no such item: {key}", status_code=404)
        errors, decision = _decision_from_form(form, item, state)
        if errors:
            return render(request, "item.html.j2", status=422, notice="", saved="", errors=errors, form=form,
                          **item_context(item, shown, params))
        assert decision is not None
        try:
            expected = int(form.get("revision", "0") or 0)
        except ValueError:
            expected = 0
        result = state.store.put(decision, expected_revision=expected)
        (state.build_dir / "cache" / "build.key").unlink(missing_ok=True)  # next `build` re-applies decisions
        notice = ""
        if result.replaced is not None:
            r = result.replaced
            notice = (f"This item was changed by someone else since you opened it ({r.action} at {r.when}"
                      f"{': ' + r.reason if r.reason else ''}). Your {decision.action} replaced it (last write "
                      "wins); the earlier decision is kept in the history below.")
        target = {"key": key, "saved": decision.action, **({"notice": notice} if notice else {}),
                  **{k: v for k, v in params.items() if v}}
        if form.get("go_next") and not notice:
            nxt = _next_key(shown, key)
            if nxt:
                target = {"key": nxt, "saved": f"{decision.action} of the previous item",
                          **{k: v for k, v in params.items() if v}}
        return RedirectResponse(f"/item?{urlencode(target)}", status_code=303)

    return app


def _hostname(host: str) -> str:
    """'127.0.0.1:8765' -> '127.0.0.1', '[::1]:8765' -> '::1'."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _next_key(shown: list[QueueItem], key: str) -> str | None:
    keys = [i.key for i in shown]
    if key in keys and keys.index(key) < len(keys) - 1:
        return keys[keys.index(key) + 1]
    return None


def _decision_from_form(form: dict[str, str], item: QueueItem, state: _State
                        ) -> tuple[dict[str, str], Decision | None]:
    action = form.get("action", "")
    reason = form.get("reason", "").strip()[: state.cfg.max_field_length]
    fields: dict[str, str] = {}
    errors: dict[str, str] = {}
    if action not in ("accept", "edit", "reject", "resolve"):
        return {"action": "choose accept, edit, reject or resolve"}, None
    if action == "reject" and not reason:
        errors["reason"] = "say why the record is rejected"
    if action == "edit":
        if item.kind != "fact":
            return {"action": "only facts are edited; edit the linked fact"}, None
        fact = SpecFact.model_validate(item.record)
        given = {k: form[k] for k in EDITABLE if k in form}
        changed = {k: v for k, v in given.items() if v.strip() != (_field(fact, k) or "")}
        if not changed:
            errors["value"] = "nothing changed: edit a field, or accept the record"
        else:
            try:
                fields = validate_fields(changed, fact, state.cfg.max_field_length)
            except EditError as e:
                errors |= e.errors
    if action == "resolve":
        if item.kind != "conflict":
            return {"action": "resolve applies to conflicts"}, None
        pick, value, unit = form.get("pick", ""), form.get("value", "").strip(), form.get("unit", "").strip()
        if pick:
            members = set(item.record.get("fact_ids", []))
            b = state.current()
            keys = {fact_key(f) for f in b.facts if f.fact_id in members}
            if pick not in keys:
                errors["pick"] = "pick one of the conflict's sources"
            fields = {"pick": pick}
        elif value:
            try:
                fields = validate_fields({"value": value, "unit": unit} if unit else {"value": value})
            except EditError as e:
                errors |= e.errors
        else:
            errors["pick"] = "pick a source, or enter the right value"
    if errors:
        return errors, None
    before = item.record if item.kind != "example" else {k: v for k, v in item.record.items() if k != "example"}
    return {}, Decision(key=item.key, action=action, fields=fields, reason=reason, before=before)  # type: ignore[arg-type]


def _field(fact: SpecFact, name: str) -> str | None:
    if name == "value":
        return fact.value_printed or fact.value
    if name == "unit":
        return fact.unit_printed or fact.unit
    return getattr(fact, name)


def _stale(b: ReviewBuild, decisions: dict[str, Decision]) -> list[Decision]:
    keys = known_keys(b)
    return [d for k, d in sorted(decisions.items()) if k not in keys]


def _provenance(b: ReviewBuild, key: str) -> Provenance | None:
    f = b.facts_by_key.get(key)
    if f is not None:
        return f.source
    for c in b.conflicts:
        if conflict_key_of(c) == key:
            return c.sources[0] if c.sources else None
    for e in [*b.examples, *b.excluded_examples.values()]:
        if e.sources and example_key(e) == key:
            return e.sources[0]
    return None


def _ocr_lines(b: ReviewBuild, prov: Provenance, margin: int = 40) -> list[dict[str, Any]]:
    """OCR lines in and around the fact's box (text as read, confidence)."""
    page: PageOCR | None = next((p for p in b.pages if p.page_id == prov.page_id), None)
    if page is None or prov.bbox is None:
        return []
    from manualtune.records import BBox

    box = prov.bbox
    wide = BBox(x0=box.x0, y0=box.y0 - margin, x1=box.x1, y1=box.y1 + margin)  # same column, a line above/below
    return [{"text": ln.text, "conf": ln.conf, "inside": overlaps(ln.bbox, box)}
            for ln in page.lines if overlaps(ln.bbox, wide)]


def _crop_png(b: ReviewBuild, prov: Provenance, cfg: ReviewConfig) -> bytes | None:
    from manualtune.report.config import ReportConfig
    from manualtune.report.crops import CropError, PageImages, make_crop

    rcfg = ReportConfig(crop_max_width=cfg.crop_max_width, crop_max_height=cfg.crop_max_height, crop_colors=64)
    try:
        return make_crop(PageImages(b.source_root, b.pages, rcfg), prov, rcfg).png
    except CropError:
        return None
