"""manualtune.export: chat / AutoTrain JSONL, autotrain.yml, hf/ DatasetDict + card, Hub push."""

from manualtune.export.config import AutoTrainParams, ExportConfig
from manualtune.export.dataset import VERSION, ExportResult, export_dataset
from manualtune.export.formats import (
    autotrain_config,
    chat_row,
    parse_autotrain_text,
    render_autotrain_text,
)

__all__ = [
    "VERSION",
    "AutoTrainParams",
    "ExportConfig",
    "ExportResult",
    "autotrain_config",
    "chat_row",
    "export_dataset",
    "parse_autotrain_text",
    "render_autotrain_text",
]
