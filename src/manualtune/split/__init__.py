"""manualtune.split stage family."""
