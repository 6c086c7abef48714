"""manualtune.generate stage family."""
