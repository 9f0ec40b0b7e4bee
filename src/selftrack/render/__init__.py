"""Words and small text views shared by the command line, the terminal program and the PDF:
status, flag, verdict and pain words (`words`), history and trend tables and their JSON
(`history`), a routine as text (`protocol`) and braille charts (`charts`)."""
