"""manualtune.layout stage family."""
