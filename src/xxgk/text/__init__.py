"""Text normalisation for matching. The original text is always kept for display."""
