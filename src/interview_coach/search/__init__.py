"""Finding questions: lexical, dense and hybrid search; linking duplicates."""
