"""manualtune.retrieve: BM25 + dense retrieval over a build's records, and `ask` answers with citations."""
