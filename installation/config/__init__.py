"""The show file and scene files: schemas, loading, and errors an artist can act on."""
