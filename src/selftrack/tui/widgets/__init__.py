"""Reusable widgets of the terminal program."""
