"""The named eligibility rules, one module per :class:`~app.catalog.schema.RuleName`, named after it.

Each module has a ``check(form)`` function whose docstring states the rule and cites its source, and, where the
item pays a figure, the helper that picks that figure from the item's dated amounts.  :mod:`.common` holds what
several rules share.  The rules are registered in :mod:`app.catalog.rules.registration`.

The rules implement eligibility facts from `domain notes catalog-items.md` (cited as "items §N") and
``rules.md``.  Where the sources leave a question open the rule warns instead of refusing, and says so.
"""
