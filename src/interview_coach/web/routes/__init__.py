"""One module per area of the UI. Each has `pages` (HTML) and `api` (JSON, mounted at /api)."""
