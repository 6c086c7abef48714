"""manualtune.ocr stage family."""
