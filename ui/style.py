"""The look of the counter: a CJK font that has 𠮷 and 䶮, calm colours, and the colours of inline messages.

Fonts (STACK.md): Noto Sans CJK SC renders every rare character of our test names; Windows machines fall back to
Microsoft YaHei and the system's Ext-B fonts.  Families missing on a machine are skipped by Qt.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

FONT_FAMILIES = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
]
FONT_POINT_SIZE = 11

STYLE_SHEET = """
QMainWindow, QDialog { background: #f6f7f9; }
QScrollArea > QWidget > QWidget#intake_page { background: #f6f7f9; }
QGroupBox {
    background: #ffffff;
    border: 1px solid #d5dae1;
    border-radius: 6px;
    margin-top: 14px;
    padding: 10px 10px 8px 10px;
}
QGroupBox::title {
    subcontrol-origin: margin;
    subcontrol-position: top left;
    left: 10px;
    padding: 0 4px;
    color: #1f3b5a;
}
QLineEdit, QPlainTextEdit, QComboBox {
    background: #ffffff;
    border: 1px solid #b9c1cc;
    border-radius: 3px;
    padding: 3px 5px;
    min-height: 20px;
}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus { border: 2px solid #1e6bb8; padding: 2px 4px; }
QPushButton {
    background: #ffffff;
    border: 1px solid #9aa5b1;
    border-radius: 4px;
    padding: 5px 14px;
}
QPushButton:focus { border: 2px solid #1e6bb8; }
QPushButton:disabled { color: #9aa5b1; border-color: #d5dae1; }
QPushButton#decide_accept, QPushButton#supplement_accept { background: #2e7d32; color: #ffffff; border-color: #1b5e20; }
QPushButton#decide_supplement { background: #ef8f00; color: #ffffff; border-color: #b26a00; }
QPushButton#decide_refuse { background: #b3261e; color: #ffffff; border-color: #7f1b15; }
QPushButton#decide_accept:disabled, QPushButton#decide_supplement:disabled, QPushButton#decide_refuse:disabled {
    background: #d5dae1; color: #6b7683; border-color: #c3cad3;
}
QPushButton#login_button { background: #1e6bb8; color: #ffffff; border-color: #154f88; }
QComboBox[status="received"] { color: #1b5e20; }
QComboBox[status="missing"] { color: #b3261e; }
QComboBox[status="defective"] { color: #8a5300; }
QLabel[severity="error"] { color: #b3261e; }
QLabel[severity="warning"] { color: #8a5300; }
QLabel[severity="ok"] { color: #2e6b31; }
QLabel[role="hint"] { color: #5f6b7a; }
QLabel[role="heading"] { color: #1f3b5a; font-weight: bold; }
QLabel[role="column-header"] { color: #1f3b5a; font-weight: bold; }
QLabel[role="row-number"] { color: #5f6b7a; }
QLabel[role="item-title"] { color: #1f3b5a; font-size: 13pt; font-weight: bold; }
QLabel[role="app-title"] { color: #1f3b5a; font-size: 16pt; font-weight: bold; }
QLabel[role="demo"] { color: #8a5300; background: #fff4d6; padding: 4px; border-radius: 3px; }
QLabel[role="history"] { background: #eef3f8; border: 1px solid #c9d6e3; border-radius: 4px; padding: 6px; }
QLabel#toast { border-radius: 4px; padding: 8px 10px; }
QLabel#toast[level="info"] { background: #e6f4e7; border: 1px solid #88c28c; color: #1b4d1e; }
QLabel#toast[level="warning"] { background: #fff4d6; border: 1px solid #e0b44c; color: #5c3b00; }
QLabel#result { background: #e7f0fa; border: 1px solid #8db5dd; border-radius: 4px; padding: 10px 12px;
    font-size: 12pt; color: #12355b; }
QLabel#result[decision="supplement"] { background: #fff4d6; border-color: #e0b44c; color: #5c3b00; }
QLabel#result[decision="refuse"] { background: #fbe9e7; border-color: #e0a39c; color: #6d1a14; }
QFrame#issues { background: #fff8e6; border: 1px solid #e0b44c; border-radius: 4px; }
QStatusBar QLabel { padding: 0 8px; }
QStatusBar QLabel#sync_state { color: #8a5300; font-weight: bold; }
QPushButton#catalog_notes { color: #8a5300; border: 1px solid #e0b44c; background: #fff4d6; padding: 1px 8px; }
QTabWidget::pane { border-top: 1px solid #d5dae1; }
QTabBar::tab { padding: 6px 16px; }
QTableView { background: #ffffff; alternate-background-color: #f3f6f9; gridline-color: #e1e5ea; }
"""


def apply_style(app: QApplication) -> None:
    """Set the font and the style sheet of the whole application."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
