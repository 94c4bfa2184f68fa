"""Views of this area (built in its issue)."""
