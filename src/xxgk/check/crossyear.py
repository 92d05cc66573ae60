"""crossyear rules (being written)."""
