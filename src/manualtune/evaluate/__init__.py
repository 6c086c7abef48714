"""manualtune.evaluate: probes, the unit-aware matcher, and evaluation of rag / model / rag+model."""
