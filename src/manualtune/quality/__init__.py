"""manualtune.quality stage family."""
