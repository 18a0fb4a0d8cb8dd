"""Sync at the counter: the background worker's rounds, the status bar's sync line, the upload queue, enrollment."""
