"""manualtune.ingest stage family: find source files and read their pages."""

from manualtune.ingest.inventory import DEFAULT_IGNORE, Inventory, inventory, make_page_id
from manualtune.ingest.pages import QuarantineError, load_page_image, pdf_text_layer

__all__ = [
    "DEFAULT_IGNORE",
    "Inventory",
    "QuarantineError",
    "inventory",
    "load_page_image",
    "make_page_id",
    "pdf_text_layer",
]
