"""What runs between the decision key and the preview: the decision, then the render, nothing else in between.

The documents are planned from the decision's own result (no ``documents.due`` on the database worker) and the render
starts at once; the list of today's applications, hidden behind the form, is read only once the decision's tasks are
done (or when the clerk shows it), never beside them.  Real window, real threads, real store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.conftest import write_deployment
from tests.ui.ui_testkit import Keyboard, applicant, choose_item, set_materials, valid_id

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def services(services_factory: Any, tmp_path: Path) -> Any:
    return services_factory(config=write_deployment(tmp_path, mode="demo"))


def test_the_render_follows_the_decision_and_the_hidden_list_is_read_after(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any
) -> None:
    applications = window.pages["applications"]
    assert not applications.isVisible()
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "阿依古丽·买买提", valid_id("31010119800101001"))
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("家中失火，衣物被褥损毁")
    set_materials(qtbot, keyboard, window, ["1"])
    qtbot.waitUntil(lambda: window.context.runner.idle)
    finished: list[str] = []
    window.context.runner.finished.connect(finished.append)
    loads: list[int] = []
    applications.loaded.connect(loads.append)
    with qtbot.waitSignal(window.desk.preview_opened, timeout=20_000) as opened:
        keyboard.press(Qt.Key.Key_1, CTRL)
    preview = opened.args[0]
    on_the_way = finished[finished.index("decide.accept") + 1 :]
    # The rating desk's query and the form's own lookup run on the database worker while the renderer works, so
    # they may finish on either side of the render; the decision's own path is the render alone.
    assert [task for task in on_the_way if task not in {"ratings.awaiting", "history"}] == ["documents.render"]
    assert "documents.due" not in finished  # planned from the decision's result
    assert "list" not in on_the_way and loads == []  # the hidden list waited
    # Once the decision's tasks are done the hidden list is read, so it is current when the clerk looks.
    qtbot.waitUntil(lambda: not preview.storing and window.context.runner.idle, timeout=20_000)
    qtbot.waitUntil(lambda: bool(loads), timeout=10_000)
    assert finished.index("list") > finished.index("documents.store")
    assert [r.applicant_name for r in applications.model.rows] == ["阿依古丽·买买提"]
