"""manualtune: scanned service manual -> grounded dataset -> fine-tune -> honest evaluation."""

__version__ = "0.1.0"
