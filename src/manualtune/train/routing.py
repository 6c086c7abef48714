"""Per-task adapters behind one router (``manualtune route --runs A,B,C``).

A router is a registered run (``kind: router``) whose ``router.json`` maps task -> adapter run and
holds a TF-IDF + logistic-regression classifier (scikit-learn) trained on the build's train questions,
stored as plain numbers (vocabulary, idf, coefficients): no pickle. A question that starts with a
``[TASK]`` tag goes to that task's adapter; any other question to the adapter of the predicted task.
"""

from __future__ import annotations

import re
from pathlib import Path

from manualtune.exceptions import BadAdapterError, ConfigError
from manualtune.train.registry import (
    create_run,
    find_run,
    git_commit,
    new_run_id,
    read_jsonl,
    read_run,
    update_run,
    write_json,
)

TAG = re.compile(r"^\s*\[([A-Z]+)\]\s*")
ROUTER_FILE = "router.json"


def _questions(build_dir: Path) -> tuple[list[str], list[str]]:
    rows = read_jsonl(Path(build_dir) / "dataset" / "train.jsonl")
    qs, ys = [], []
    for r in rows:
        q = next(m["content"] for m in r["messages"] if m["role"] == "user")
        qs.append(TAG.sub("", q))
        ys.append(r["task"])
    return qs, ys


def train_classifier(questions: list[str], tasks: list[str], seed: int = 0) -> dict:
    """TF-IDF (word 1-2 grams) + logistic regression, exported as JSON-able numbers."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
    x = vec.fit_transform(questions)
    clf = LogisticRegression(max_iter=1000, random_state=seed, C=10.0)
    clf.fit(x, tasks)
    vocab = {k: int(v) for k, v in sorted(vec.vocabulary_.items())}
    return {
        "vocabulary": vocab,
        "idf": [float(v) for v in vec.idf_],
        "classes": [str(c) for c in clf.classes_],
        "coef": [[float(v) for v in row] for row in clf.coef_],
        "intercept": [float(v) for v in clf.intercept_],
        "train_accuracy": float(clf.score(x, tasks)),
    }


class TaskClassifier:
    """Predicts a task from the numbers :func:`train_classifier` exported (same maths as scikit-learn)."""

    def __init__(self, data: dict) -> None:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, vocabulary=data["vocabulary"])
        self.vec.idf_ = np.asarray(data["idf"])
        self.classes = data["classes"]
        self.coef = np.asarray(data["coef"])
        self.intercept = np.asarray(data["intercept"])

    def predict(self, questions: list[str]) -> list[str]:
        x = self.vec.transform([TAG.sub("", q) for q in questions])
        scores = x @ self.coef.T + self.intercept
        if scores.shape[1] == 1:  # binary: one coefficient row for classes[1]
            return [self.classes[int(s[0] > 0)] for s in scores]
        return [self.classes[int(i)] for i in scores.argmax(axis=1)]


def pick_task(question: str, classifier: TaskClassifier, tasks: set[str]) -> str:
    m = TAG.match(question)
    if m and m.group(1) in tasks:
        return m.group(1)
    return classifier.predict([question])[0]


def create_router(runs_dir: Path, run_ids: list[str], build_dir: Path, hypothesis: str = "") -> Path:
    """Register a router run over adapters trained with ``--task`` (one per task, same base model)."""
    adapters: dict[str, str] = {}
    base = None
    for rid in run_ids:
        rec = read_run(find_run(runs_dir, rid))
        task = rec.get("task")
        if rec.get("kind") != "train" or not task:
            raise ConfigError(f"run '{rec['run_id']}' was not trained with --task", "route only per-task runs")
        if rec.get("status") != "finished":
            raise ConfigError(f"run '{rec['run_id']}' is {rec.get('status')}", "route finished runs only")
        model = rec["config"]["model"]
        if base is None:
            base = model
        elif model != base:
            raise ConfigError(f"run '{rec['run_id']}' has another base model", "route runs of one base model")
        if task in adapters:
            raise ConfigError(f"two runs for task {task}: {adapters[task]} and {rec['run_id']}")
        adapters[task] = rec["run_id"]
    questions, tasks = _questions(build_dir)
    keep = [(q, t) for q, t in zip(questions, tasks, strict=True) if t in adapters]
    if len({t for _, t in keep}) < 2:
        raise ConfigError("a router needs adapters for at least two tasks present in the build")
    clf = train_classifier([q for q, _ in keep], [t for _, t in keep])
    run_id = new_run_id("router-" + "-".join(sorted(adapters)).lower(), adapters)
    run_dir = create_run(runs_dir, run_id, {
        "kind": "router",
        "hypothesis": hypothesis,
        "adapters": dict(sorted(adapters.items())),
        "config": {"model": base, "router": {"classifier": "tfidf-1-2gram+logreg", "tasks": sorted(adapters)}},
        "build_dir": str(Path(build_dir).resolve()),
        "git_commit": git_commit(),
    })
    write_json(run_dir / ROUTER_FILE, {"adapters": dict(sorted(adapters.items())), "classifier": clf})
    update_run(run_dir, status="finished", results={"router_train_accuracy": round(clf["train_accuracy"], 4)})
    return run_dir


class RoutedModel:
    """One base model carrying every routed adapter; ``generate_answers`` switches adapter per group."""

    def __init__(self, peft_model, adapters: dict[str, str], classifier: TaskClassifier) -> None:
        self.model = peft_model
        self.adapters = adapters
        self.classifier = classifier

    def route(self, questions: list[str]) -> list[str]:
        return [pick_task(q, self.classifier, set(self.adapters)) for q in questions]

    def generate_answers(self, tokenizer, questions, **kwargs) -> list[str]:
        from manualtune.train.inference import generate_answers

        tasks = self.route(questions)
        answers: list[str] = [""] * len(questions)
        for task in sorted(set(tasks)):
            idx = [i for i, t in enumerate(tasks) if t == task]
            self.model.set_adapter(self.adapters[task])
            outs = generate_answers(self.model, tokenizer, [questions[i] for i in idx], **kwargs)
            for i, a in zip(idx, outs, strict=True):
                answers[i] = a
        return answers


def load_router_model(run_dir: Path, device: str | None = None):
    """``(RoutedModel, tokenizer)`` for a router run (adapters found beside it in the runs folder)."""
    import json

    from manualtune.train.inference import load_adapter_model

    spec = json.loads((run_dir / ROUTER_FILE).read_text(encoding="utf-8"))
    runs_dir = run_dir.parent
    adapters = spec["adapters"]
    first_task = sorted(adapters)[0]
    model, tokenizer, _ = load_adapter_model(find_run(runs_dir, adapters[first_task]), device)
    for task in sorted(adapters)[1:]:
        adapter_dir = find_run(runs_dir, adapters[task]) / "adapter"
        try:
            model.load_adapter(str(adapter_dir), adapter_name=adapters[task])
        except (OSError, ValueError, RuntimeError, KeyError) as e:
            raise BadAdapterError(f"adapter of run '{adapters[task]}' does not load ({str(e)[:120]})") from e
    model.eval()
    return RoutedModel(model, adapters, TaskClassifier(spec["classifier"])), tokenizer
