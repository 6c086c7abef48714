"""manualtune.facts stage family."""
