"""Documents at the counter: drawn after each change that owes them, previewed as they print, printed."""
