"""PySide6 front end: windows, dialogs, widgets, models.  Talks only to app."""
