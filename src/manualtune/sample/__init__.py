"""manualtune.sample stage family."""
