"""manualtune.report stage family."""
