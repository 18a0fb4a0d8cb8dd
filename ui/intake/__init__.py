"""Intake: the form a case is taken on (queue ticket, item, parties, the item's fields, materials, decision)."""
