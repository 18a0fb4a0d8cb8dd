"""Records: today's applications and the search, and one stored application (return visit, 更正, 作废)."""
