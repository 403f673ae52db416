"""`langkah import`: read an SOP-AP Word document (.docx) and write a TOML definition draft.

docx_reading opens the file (one clear message per way it can fail), shapes finds the flowchart
symbols in a cell, table_model reads the flowchart table, identity reads the identity block and
the text sections, draft_builder turns what was read into a commented draft (toml_draft writes
the text). The importer may use the engine to validate; the engine never imports it.
"""

from langkah.importer.errors import ImportFailure

__all__ = ["ImportFailure"]
