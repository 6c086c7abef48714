"""manualtune.export stage family."""
