"""Review family: a web app and CLI to fix risky facts and examples; decisions replayed on every build.

``manualtune review serve|queue|apply|export`` (see :mod:`manualtune.review.commands`). The build calls
:func:`apply_review_decisions` at the end of fact extraction. The web app needs the ``review`` extra
(FastAPI, uvicorn); everything else here needs only the core dependencies.
"""

from manualtune.review.apply import ReviewSummary, apply_review_decisions, review_figures
from manualtune.review.config import ReviewConfig
from manualtune.review.store import Decision, DecisionStore

__all__ = ["Decision", "DecisionStore", "ReviewConfig", "ReviewSummary", "apply_review_decisions", "review_figures"]
