"""One module per document shape. Each finds `Anchor`s (where questions are);
`ingest.parse` resolves bodies, sections and provenance for all of them alike."""
