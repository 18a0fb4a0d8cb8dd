"""The sizes every side agrees on: what the catalog may define, what an event may carry, and what the central
server's columns hold.

One definition, read by the catalog schema (``app.catalog.schema``: the largest item code, item name, material
count …), by the wire format (``app.sync.protocol``: every string, list and number of an event is bounded here) and by
the server's store (``server.store.models``: the column sizes).  A value the catalog accepts fits the protocol, and a
value the protocol accepts fits the server's columns, so an event the server cannot store is refused by name (a
per-event ``rejected`` with the reason) before anything is inserted, never by the database.
``tests/app/catalog/test_limits.py`` reads the three back and checks that they agree.

Plain numbers and dates; imports nothing of ours (an import-linter contract checks it).
"""

from __future__ import annotations

import datetime as dt

# ---------------------------------------------------------------------------------------------------- characters

#: One line of text: no control character at all (NUL, line breaks, C1).  Format characters such as the bidi
#: controls are text and may be stored.
LINE_PATTERN = r"^[^\x00-\x1F\x7F-\x9F]*$"
#: Free text: tabs and line breaks, but no other control character (NUL above all: PostgreSQL text cannot hold it).
TEXT_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"

# ---------------------------------------------------------------------------------------------------- numbers

#: A signed 32-bit column (``INTEGER`` on PostgreSQL): versions, sequence numbers, counts.
INT32_MAX = 2**31 - 1
#: The largest integer a JSON number carries exactly everywhere (form values: integer fen, counts).
JSON_INT_MAX = 2**53 - 1

# ---------------------------------------------------------------------------------------------------- codes and numbers

#: Centre code: 9–12 digits (docs/numbering.md).
CENTER_CODE_MIN = 9
CENTER_CODE_MAX = 12
#: Workstation code: exactly 3 digits.
WORKSTATION_CODE_LENGTH = 3
#: 受理编号 ``{centre}-{workstation}-{YYYYMMDD}-{NNNN}``: 12 + 3 + 8 + 3 hyphens leave 14 digits of sequence.
ACCEPTANCE_NO_MAX = 40
#: 查询码.
QUERY_CODE_LENGTH = 6
#: Notice and document numbers (``示范补正〔2026〕310104003-003-0007号``).
NOTICE_NO_MAX = 60
#: SHA-256 in lowercase hex.
SHA256_HEX_LENGTH = 64
#: The event type's name (``application.supplemented``).
EVENT_TYPE_MAX = 40

# ---------------------------------------------------------------------------------------------------- the catalog

#: An item's code (the catalog's pattern allows at most 25 characters; the column holds 40).
ITEM_CODE_MAX = 40
#: An item's Chinese name: the citizen's progress page and the back office show it.
ITEM_NAME_MAX = 200
#: Keys of fields and materials (snake_case ASCII; the catalog's KEY_PATTERN).
KEY_MAX = 40
#: Any other catalog text (labels, standards, notes, citations) and the short free texts of an event (a material's
#: name or note, a reason).
TEXT_MAX = 2000
#: Copies of one material.
MATERIAL_COUNT_MAX = 99
#: Parties of one role in one case, and all parties of a case (every role at its maximum).
PARTY_PER_ROLE_MAX = 50
PARTIES_MAX = 300
#: Form fields of an item (and of one party role); so also the values of one form or one party.
FIELDS_MAX = 200
#: Choices of one choice field; so also the values ticked in a multichoice.
CHOICES_MAX = 200
#: Materials an item lists.  An event lists more: a per-party material once for each party.
CATALOG_MATERIALS_MAX = 100
EVENT_MATERIALS_MAX = 2000

# ---------------------------------------------------------------------------------------------------- an event's texts

#: A counter account's username (the workstation's column), and a clerk's staff number.
USERNAME_MAX = 40
STAFF_NO_MAX = 20
#: A person's name as stored (the counter accepts 100 code points; the column holds 200).
PERSON_NAME_MAX = 200
#: An ID number, as normalized (18 characters for a resident's; passports and others are shorter).
ID_NUMBER_MAX = 30
#: Short words of the closed lists (a party's role, an ID kind, a material's form).
WORD_MAX = 30
#: A phone number with its extension.
PHONE_MAX = 30
#: A queue ticket (叫号).
QUEUE_TICKET_MAX = 20
#: One text value of a form (a multi-line field may be long; a field's own max_length is usually far less).
FORM_TEXT_MAX = 10_000
#: Documents an issued document replaces.
REPLACES_MAX = 100
#: A document's pages.
PAGE_COUNT_MAX = 10_000
#: A document's PDF, as uploaded (``PUT /api/v1/documents/{sha256}``).
DOCUMENT_BYTES_MAX = 8 * 1024 * 1024

# ---------------------------------------------------------------------------------------------------- time

#: Moments an event may name (received, decided, occurred): wide enough for a workstation whose clock was reset, narrow
#: enough that every one converts to UTC and fits every column.
EARLIEST_MOMENT = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST_MOMENT = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)
#: Calendar dates an event may name (a birth date, a promised date): the years a counter form accepts.
EARLIEST_DATE = dt.date(1850, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)

#: A signature taken on the counter's pad (app/signatures.py, the ``signature.recorded`` event): its PNG, its strokes
#: and all their points together.
SIGNATURE_PNG_BYTES_MAX = 192 * 1024
SIGNATURE_STROKES_MAX = 300
SIGNATURE_POINTS_MAX = 10_000
