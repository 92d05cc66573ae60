"""plausibility rules (being written)."""
