"""The figures' charts (QtCharts): volume by hour, by item, and the ratings by level with the satisfaction rate."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

BAR_COLOUR = "#1e6bb8"
ALERT_COLOUR = "#c62828"
CHART_HEIGHT = 240


def count_axis(top: int) -> tuple[int, int]:
    """The top of a count axis above ``top`` and its number of ticks, every tick a whole number."""
    if top < 5:
        return top + 1, top + 2
    step = -(-top * 11 // 50)  # ceil(top × 1.1 / 5): five steps reach above the highest bar
    return step * 5, 6


class BarChart(QChartView):
    """One bar chart of labelled counts (vertical bars, or horizontal ones for long labels such as item names).

    Attributes:
        values: the (label, count) pairs shown (tests read them).
    """

    def __init__(
        self,
        name: str,
        title: str,
        parent: QWidget | None = None,
        *,
        horizontal: bool = False,
        colour: str = BAR_COLOUR,
    ) -> None:
        chart = QChart()
        chart.setTitle(title)
        font = QFont(chart.titleFont())
        font.setBold(True)
        chart.setTitleFont(font)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(4)
        super().__init__(chart, parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(CHART_HEIGHT)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.horizontal = horizontal
        self.colour = colour
        self.values: list[tuple[str, int]] = []

    def set_title(self, title: str) -> None:
        self.chart().setTitle(title)

    def set_values(self, values: Sequence[tuple[str, int]], alerts: Sequence[int] = ()) -> None:
        """Draw ``values`` (label, count) as bars; the bars at ``alerts`` (indexes) in red (差评)."""
        self.values = list(values)
        chart = self.chart()
        chart.removeAllSeries()
        for axis in list(chart.axes()):
            chart.removeAxis(axis)
        labels = [label for label, _ in self.values] or ["—"]
        series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        bar_set = QBarSet("")
        bar_set.setColor(QColor(self.colour))
        bar_set.setSelectedColor(QColor(ALERT_COLOUR))
        bar_set.append([float(count) for _, count in self.values] or [0.0])
        bar_set.selectBars(list(alerts))
        series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(labels)
        categories.setTruncateLabels(False)
        upper, ticks = count_axis(max((count for _, count in self.values), default=0))
        counts = QValueAxis()
        counts.setRange(0, upper)
        counts.setLabelFormat("%d")
        counts.setTickCount(ticks)
        if self.horizontal:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(counts)
