"""The bank: domain types, the SQLite store, its migrations and canonical questions."""
