"""Filled in by its area (see the issue)."""
