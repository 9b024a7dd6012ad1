"""Reading question-bank documents: encodings, shapes, items with provenance."""
