"""The terminal program (Textual). Imported only when the program is opened."""
