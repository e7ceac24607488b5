"""Reusable parts of the client's screens."""
