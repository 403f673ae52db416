"""Presenters: what each screen shows and allows, in plain Python (tested without Textual)."""
