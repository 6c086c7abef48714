"""manualtune.preprocess stage family."""
