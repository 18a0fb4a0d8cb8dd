"""PySide6 front end: windows, dialogs, widgets, models.  Talks only to app.

Feature packages (Frescobaldi's slices; they never import each other, see pyproject.toml's import contracts):
``intake/`` (the form), ``records/`` (the list, one record), ``documents/`` (preview, printing), ``sync/`` (the
worker's rounds, the status line, the upload queue, enrollment).  Shared modules at the top: ``context`` (what a
logged-in window is given, and its events), ``tabs`` (the tab registry), ``tasks`` (the background runner),
``messages`` (the message bridge), ``widgets``, ``fields`` (catalog field editors), ``material_names``, ``i18n``,
``style``, ``crash``; and the window itself: ``app`` (start-up), ``login``, ``main_window``, ``screenshots``.
"""
