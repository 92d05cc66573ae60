"""completeness rules (being written)."""
