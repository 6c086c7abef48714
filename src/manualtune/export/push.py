"""Upload a build's dataset to the Hugging Face Hub (``manualtune push``).

Repo layout: the contents of ``build/dataset/hf/`` (card ``README.md`` + ``save_to_disk`` folders)
at the repo root, and the JSONL exports plus ``autotrain.yml`` under ``data/`` (the card's
``configs`` point there). The token is read from the environment (``HF_TOKEN`` by default) and
never printed: every error message passes through :func:`mask_secret`.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field

DATA_FILES = (
    "train.jsonl",
    "val.jsonl",
    "test.jsonl",
    "val_synthetic.jsonl",
    "autotrain_train.jsonl",
    "autotrain_val.jsonl",
    "train_prompt_completion.jsonl",
    "val_prompt_completion.jsonl",
    "autotrain.yml",
)


class PushError(RuntimeError):
    """A push that cannot go ahead; the message says what to do (and never contains the token)."""


class PushFile(BaseModel):
    path: str = Field(description="path inside the Hub repo")
    local: str = Field(description="path of the local file")
    size: int


class PushPlan(BaseModel):
    repo_id: str
    repo_type: str = "dataset"
    endpoint: str
    dry_run: bool
    token_env: str
    token_present: bool
    files: list[PushFile]
    total_bytes: int
    uploaded: bool = False
    url: str | None = None


def mask_secret(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` replaced by ``***``."""
    return text.replace(secret, "***") if secret else text


def plan_files(build_dir: Path) -> list[PushFile]:
    """Files to send, sorted by repo path: ``hf/**`` at the root, JSONL + yml under ``data/``."""
    ds = Path(build_dir) / "dataset"
    hf = ds / "hf"
    if not (hf / "README.md").is_file():
        raise PushError(f"no dataset export in {hf}: run `manualtune build` first")
    files = [
        PushFile(path=p.relative_to(hf).as_posix(), local=str(p), size=p.stat().st_size)
        for p in sorted(hf.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    ]
    for name in DATA_FILES:
        p = ds / name
        if p.is_file():
            files.append(PushFile(path=f"data/{name}", local=str(p), size=p.stat().st_size))
    return sorted(files, key=lambda f: f.path)


def _is_network_error(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) is a connection/DNS/timeout/offline-mode failure."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        name = type(cur).__name__
        if isinstance(cur, OSError | TimeoutError) or any(
            key in name for key in ("ConnectError", "ConnectionError", "Timeout", "NetworkError", "OfflineMode")
        ):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def push_dataset(
    build_dir: Path,
    repo_id: str,
    dry_run: bool = False,
    token_env: str = "HF_TOKEN",
    private: bool = True,
) -> PushPlan:
    """Create the dataset repo (if needed) and upload the export; ``dry_run`` only plans.

    Raises :class:`PushError` for: a missing export, an invalid repo id, no token in
    ``$token_env`` (real push only), an unreachable network, or a Hub error (token masked).
    """
    from huggingface_hub import HfApi, constants
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(repo_id)
    except HFValidationError as e:
        raise PushError(f"invalid repo id {repo_id!r}: {e}") from None
    if "/" not in repo_id:
        raise PushError(f"repo id {repo_id!r} must be 'user-or-org/name'")
    files = plan_files(Path(build_dir))
    token = os.environ.get(token_env) or None
    endpoint = (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")
    plan = PushPlan(
        repo_id=repo_id,
        endpoint=endpoint,
        dry_run=dry_run,
        token_env=token_env,
        token_present=token is not None,
        files=files,
        total_bytes=sum(f.size for f in files),
    )
    if dry_run:
        return plan
    if token is None:
        raise PushError(
            f"no Hugging Face token: set the {token_env} environment variable to a write token "
            f"(https://huggingface.co/settings/tokens) and run again"
        )
    ds = Path(build_dir) / "dataset"
    api = HfApi(endpoint=endpoint, token=token)
    try:
        url = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        api.upload_folder(
            folder_path=str(ds / "hf"),
            repo_id=repo_id,
            repo_type="dataset",
            path_in_repo="",
            ignore_patterns=[".*"],
            commit_message="manualtune: dataset card and save_to_disk export",
        )
        api.upload_folder(
            folder_path=str(ds),
            repo_id=repo_id,
            repo_type="dataset",
            path_in_repo="data",
            allow_patterns=[f.path.removeprefix("data/") for f in files if f.path.startswith("data/")],
            commit_message="manualtune: JSONL exports and autotrain.yml",
        )
    except Exception as e:  # noqa: BLE001 - every failure becomes a PushError with a masked message
        if _is_network_error(e):
            raise PushError(
                f"network unreachable: could not connect to {endpoint} "
                f"({type(e).__name__}); check your connection or HF_ENDPOINT and try again"
            ) from None
        raise PushError(f"upload to {repo_id} failed: {mask_secret(f'{type(e).__name__}: {e}', token)}") from None
    plan.uploaded = True
    plan.url = str(url)
    return plan
