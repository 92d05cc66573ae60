"""hygiene rules (being written)."""
