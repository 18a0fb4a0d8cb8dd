"""The citizen's rating at the counter (好差评): the rater on the citizen's screen or in a window, and the desk that
opens it after a decision or a 补正 return visit and stores the choice (docs/ratings.md, "At the counter").

It offers no tab: the main window makes its :class:`~ui.rating.desk.RatingDesk`, which listens to the window's
``events.changed``.
"""
