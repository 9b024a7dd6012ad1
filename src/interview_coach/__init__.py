"""Interview Coach: a local-first bank of GenAI / ML interview questions."""

__version__ = "0.1.0"
