"""Exports of the bank: JSONL (the data contract) and a Markdown handbook."""
