"""API tests of the review web app (FastAPI TestClient) on the tiny hand-made build."""

from __future__ import annotations

import html
import re
import threading

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from manualtune.review.server import ServerConfigError, create_app  # noqa: E402

DRAIN = "fact:manual/p1.png#p1@40,200,700,230:05f557784bd5"
HEAD = "fact:manual/p1.png#p1@40,100,700,130:c4a7f10b6cc7"
CONFLICT = "conflict:connecting rod bolt|torque||"


LOCAL = "http://127.0.0.1:8765"


@pytest.fixture()
def client(tiny_build):
    return TestClient(create_app(tiny_build), base_url=LOCAL)


def _csrf(client: TestClient, key: str) -> str:
    page = client.get("/item", params={"key": key})
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_queue_is_ordered_by_risk(client):
    items = client.get("/api/queue").json()
    assert [i["key"] for i in items[:3]] == [DRAIN, CONFLICT, HEAD]
    assert [i["risk"] for i in items] == sorted((i["risk"] for i in items), reverse=True)
    first = items[0]
    assert first["kind"] == "fact" and first["reason"] == "cleanup_changed_value"
    assert first["source"] == {"file": "manual/p1.png", "page": 1, "bbox": {"x0": 40, "y0": 200, "x1": 700, "y1": 230}}
    assert client.get("/api/queue", params={"reason": "low_confidence"}).json()[0]["key"] == HEAD
    assert {i["kind"] for i in client.get("/api/queue", params={"kind": "conflict"}).json()} == {"conflict"}


def test_queue_page_shows_counts_and_rows(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "6 pending" in page.text and "0 reviewed" in page.text
    assert page.text.count("data-href=") == 6


def test_script_in_ocr_text_is_escaped(client):
    for resp in (client.get("/"), client.get("/item", params={"key": DRAIN})):
        assert "<script>alert(1)</script>" not in resp.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in resp.text
    assert "script-src 'nonce-" in client.get("/").headers["content-security-policy"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value": "4S"}, "value", "must be a number"),
        ({"value": "30-20"}, "value", "must be a number"),
        ({"unit": "parsecs per fortnight"}, "unit", "not a torque unit"),
        ({"unit": "mm"}, "unit", "not a torque unit"),
        ({"unit": "Nn"}, "unit", "unknown unit"),
        ({"component": ""}, "component", "must not be empty"),
        ({"value": "45"}, "value", "nothing changed"),
    ],
)
def test_edit_validation_errors(client, fields, field, message):
    csrf = _csrf(client, HEAD)
    resp = client.post("/decide", data={"csrf": csrf, "key": HEAD, "action": "edit", "revision": "0", **fields})
    assert resp.status_code == 422
    err = re.search(rf'id="err-{field}">([^<]+)<', resp.text)
    assert err is not None and message in html.unescape(err.group(1))
    assert client.get("/api/item", params={"key": HEAD}).json()["decision"] is None


def test_edit_is_stored_and_invalidates_the_build_key(client, tiny_build):
    (tiny_build / "cache").mkdir()
    (tiny_build / "cache" / "build.key").write_text("x\n")
    csrf = _csrf(client, HEAD)
    resp = client.post("/decide", data={"csrf": csrf, "key": HEAD, "action": "edit", "revision": "0",
                                        "value": "46", "unit": "N·m", "reason": "scan reads 46"},
                       follow_redirects=False)
    assert resp.status_code == 303
    decision = client.get("/api/item", params={"key": HEAD}).json()["decision"]
    assert decision["action"] == "edit" and decision["fields"] == {"value": "46", "unit": "N·m"}
    assert decision["before"]["value"] == "45"
    assert not (tiny_build / "cache" / "build.key").exists()
    assert "saved: edit" in client.get(resp.headers["location"]).text


def test_reject_needs_a_reason_and_resolve_validates_the_pick(client):
    csrf = _csrf(client, DRAIN)
    resp = client.post("/decide", data={"csrf": csrf, "key": DRAIN, "action": "reject", "revision": "0"})
    assert resp.status_code == 422 and 'id="err-reason"' in resp.text
    bad = client.post("/decide", data={"csrf": csrf, "key": CONFLICT, "action": "resolve", "revision": "0",
                                       "pick": DRAIN})
    assert bad.status_code == 422 and 'id="err-pick"' in bad.text
    ok = client.post("/decide", data={"csrf": csrf, "key": CONFLICT, "action": "resolve", "revision": "0",
                                      "value": "55", "unit": "Nm"}, follow_redirects=False)
    assert ok.status_code == 303


def test_post_without_csrf_token_is_refused(client):
    resp = client.post("/decide", data={"key": HEAD, "action": "accept", "revision": "0"})
    assert resp.status_code == 403
    resp = client.post("/decide", data={"csrf": "forged", "key": HEAD, "action": "accept"})
    assert resp.status_code == 403
    csrf = _csrf(client, HEAD)
    cross = client.post("/decide", data={"csrf": csrf, "key": HEAD, "action": "accept"},
                        headers={"origin": "http://evil.example"})
    assert cross.status_code == 403
    assert client.get("/api/item", params={"key": HEAD}).json()["decision"] is None


def test_concurrent_edits_last_write_wins_with_a_notice(client, tiny_build):
    from manualtune.review.store import DecisionStore

    csrf = _csrf(client, HEAD)
    base = {"csrf": csrf, "key": HEAD, "action": "edit", "revision": "0"}
    first = client.post("/decide", data={**base, "value": "46"}, follow_redirects=False)
    assert "notice" not in first.headers["location"]
    second = client.post("/decide", data={**base, "value": "47"}, follow_redirects=False)  # loaded at revision 0
    page = client.get(second.headers["location"])
    assert 'id="notice"' in page.text and "last write" in page.text
    store = DecisionStore(tiny_build / "review.sqlite")
    assert store.get(HEAD).fields == {"value": "47"}
    assert [d.fields["value"] for d in store.history(HEAD)] == ["46", "47"]


def test_parallel_writes_never_lose_a_row(tiny_build):
    from manualtune.review.store import Decision, DecisionStore

    store = DecisionStore(tiny_build / "review.sqlite")

    def write(v: int) -> None:
        for j in range(5):
            store.put(Decision(key=HEAD, action="edit", fields={"value": str(v * 10 + j)}), expected_revision=0)

    threads = [threading.Thread(target=write, args=(v,)) for v in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.history(HEAD)) == 20 and store.get(HEAD).revision == 20


@pytest.mark.parametrize(
    "path",
    [
        "/files/../summary.json",
        "/files/..%2fsummary.json",
        "/files/%2e%2e/%2e%2e/etc/passwd",
        "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/files/%252e%252e/%252e%252e/etc/passwd",
        "/files/..%5c..%5cetc%5cpasswd",
        "/files/%2fetc%2fpasswd",
        "/files/review/facts_extracted.jsonl",
    ],
)
def test_path_traversal_is_refused(client, path):
    resp = client.get(path)
    assert resp.status_code in (403, 404)
    assert "root:" not in resp.text and "source_root" not in resp.text


def test_build_images_are_served_and_crops_are_pngs(client, tiny_build):
    (tiny_build / "report" / "crops").mkdir(parents=True)
    (tiny_build / "report" / "crops" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    assert client.get("/files/report/crops/a.png").content.startswith(b"\x89PNG")
    crop = client.get("/crop", params={"key": HEAD})
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
    assert crop.content.startswith(b"\x89PNG")
    assert client.get("/crop", params={"key": "fact:../../etc/passwd"}).status_code == 404


def test_token_is_required_off_loopback(tiny_build):
    with pytest.raises(ServerConfigError):
        create_app(tiny_build, host="0.0.0.0")
    c = TestClient(create_app(tiny_build, host="0.0.0.0", token="s3cret"))
    assert c.get("/").status_code == 401
    assert c.get("/api/queue").status_code == 401
    assert c.get("/", params={"token": "wrong"}).status_code == 401
    assert c.get("/api/queue", headers={"authorization": "Bearer s3cret"}).status_code == 200
    assert c.get("/", params={"token": "s3cret"}).status_code == 200
    assert c.get("/api/queue").status_code == 200  # the cookie set by the first visit
    c.cookies.clear()
    assert c.post("/decide", data={"key": HEAD, "action": "accept"}).status_code == 401


def test_loopback_needs_no_token_but_a_loopback_host_header(client, tiny_build):
    assert client.get("/").status_code == 200
    assert TestClient(create_app(tiny_build), base_url="http://localhost:8765").get("/").status_code == 200
    assert TestClient(create_app(tiny_build), base_url="http://[::1]:8765").get("/").status_code == 200
    rebound = TestClient(create_app(tiny_build), base_url="http://evil.example:8765")  # DNS rebinding
    assert rebound.get("/api/queue").status_code == 403


def test_unknown_item_is_404(client):
    assert client.get("/item", params={"key": "fact:nowhere"}).status_code == 404
    assert client.get("/api/item", params={"key": "fact:nowhere"}).status_code == 404


def test_conflict_and_excluded_example_pages(client):
    page = client.get("/item", params={"key": CONFLICT})
    assert page.status_code == 200
    assert page.text.count('type="radio" name="pick"') == 2
    assert "55 Nm" in page.text and "20 Nm" in page.text
    ex = client.get("/item", params={"key": "example:-:ex-gone"})
    assert ex.status_code == 200 and "ungrounded_number" in ex.text and 'id="edit-form"' not in ex.text


def test_stale_decisions_are_listed_never_dropped(client, tiny_build):
    from manualtune.review.store import Decision, DecisionStore

    DecisionStore(tiny_build / "review.sqlite").put(Decision(key="fact:old.png#p1@1,1,9,9:abcdefabcdef", action="accept"))
    page = client.get("/")
    assert "1 stale" in page.text and "fact:old.png#p1@1,1,9,9:abcdefabcdef" in page.text
    assert client.get("/item", params={"key": "fact:old.png#p1@1,1,9,9:abcdefabcdef"}).status_code == 404


def test_queue_page_filters(client):
    page = client.get("/", params={"reason": "low_confidence"})
    assert page.text.count("data-href=") == 1 and "Cylinder head bolts" in page.text
    everything = client.get("/", params={"status": "all"})
    assert everything.text.count("data-href=") == 7  # + the unflagged spark plug gap


def test_queue_page_is_capped(tiny_build):
    from manualtune.review.config import ReviewConfig

    page = TestClient(create_app(tiny_build, cfg=ReviewConfig(queue_page_rows=2)), base_url=LOCAL).get("/").text
    assert page.count("data-href=") == 2 and "6 of 6 items" in page and "the first 2 listed" in page
