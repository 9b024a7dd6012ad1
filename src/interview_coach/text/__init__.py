"""Text helpers shared by every layer: script folding, language detection, normalisation."""
