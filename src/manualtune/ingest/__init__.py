"""manualtune.ingest stage family."""
