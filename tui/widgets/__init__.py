"""Widgets of the run screen and the forms shared by several screens."""
