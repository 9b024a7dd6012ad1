"""The web UI and JSON API (server-rendered, over the same library)."""
