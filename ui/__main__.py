"""The ``yimen`` command: the counter window by default; subcommands go to ``app.cli`` before Qt is imported."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from app.cli import SUBCOMMANDS

    if args and args[0] in SUBCOMMANDS:
        from app.cli import main as cli_main

        return cli_main(args)
    from ui.app import run_gui  # imports PySide6

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
