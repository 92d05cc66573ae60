"""members rules (being written)."""
