"""Readers: bytes of one medium -> Document."""
