"""Tim SAKIP's figures (key `a` on the overview): per SOP variant x kecamatan x period, then the
step table across kecamatan. The logs are read and replayed in a thread worker."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from langkah.analytics import Stats, compute
from langkah.analytics.facts import FactsRead
from langkah.service import Langkah
from langkah.tui.base import Job, LangkahScreen
from langkah.tui.presenters import analytics as presenter
from langkah.tui.presenters.filters import Filters
from langkah.tui.strings import language, t, translate_bindings
from langkah.tui.widgets.bars import KeyBar, TitleBar


class AnalyticsScreen(LangkahScreen[None]):
    """Two tables of figures; the overview's kecamatan and period filters apply."""

    AUTO_FOCUS = "#an-groups"
    BINDINGS = [
        Binding("escape,q", "back", "key.back", id="analytics.back"),
    ]

    def __init__(self, filters: Filters):
        super().__init__()
        translate_bindings(self)
        self.filters = filters
        self.stats: Stats | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(presenter.filter_line(self.filters), id="an-filters", markup=False)
        with VerticalScroll(id="an-body"):
            yield DataTable(id="an-groups", cursor_type="row", zebra_stripes=True)
            yield Static(t("an.steps"), id="an-steps-title", markup=False)
            yield DataTable(id="an-steps", cursor_type="row", zebra_stripes=True)
            yield PlotextPlot(id="an-chart")
            yield Static(t("an.loading"), id="an-summary", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("an.title")
        groups: DataTable[str] = self.query_one("#an-groups", DataTable)
        for key in presenter.GROUP_COLUMNS:
            groups.add_column(t(key), key=key)
        groups.loading = True
        wants = presenter.wants(self.filters)
        now = self.app.clock

        def load(service: Langkah) -> tuple[Stats, FactsRead]:
            read = service.analytics_facts(wants, now())
            return compute(read.facts), read

        def failed(error: Exception) -> None:
            groups.loading = False
            self.query_one("#an-summary", Static).update(t("an.failed", message=str(error)))

        self.submit(Job(load, self.show, failed, kind="analytics"))
        groups.focus()

    def show(self, loaded: tuple[Stats, FactsRead]) -> None:
        self.stats, read = loaded
        lang = language()
        groups: DataTable[str] = self.query_one("#an-groups", DataTable)
        groups.loading = False
        for row in presenter.group_rows(self.stats, lang):
            groups.add_row(*row)
        steps: DataTable[str] = self.query_one("#an-steps", DataTable)
        for label in presenter.step_columns(self.stats):
            steps.add_column(label)
        for row in presenter.step_rows(self.stats, lang):
            steps.add_row(*row)
        self.draw_chart(self.stats)
        text = presenter.summary(self.stats, lang)
        if read.problems:
            text += "\n" + t("an.left_out", count=len(read.problems))
        self.query_one("#an-summary", Static).update(text)

    def draw_chart(self, stats: Stats) -> None:
        """On-time % per period, a line per kecamatan; the same figures are in the table
        above (a chart is never the only carrier of a figure). No data: no chart."""
        chart = self.query_one("#an-chart", PlotextPlot)
        periods, series = presenter.on_time_series(stats)
        drawn = [(label, xs, ys) for label, xs, ys in series if xs]
        chart.display = bool(drawn)
        if not drawn:
            return
        plt = chart.plt
        plt.clear_data()
        for label, xs, ys in drawn:
            plt.plot(xs, ys, label=label, marker="braille")
        ticks, labels = presenter.tick_labels(periods, self.size.width - 10)
        plt.xticks([float(x) for x in ticks], labels)
        plt.ylim(0, 100)
        plt.yticks([0.0, 25.0, 50.0, 75.0, 100.0], ["0%", "25%", "50%", "75%", "100%"])
        plt.title(t("an.chart"))
        chart.refresh()

    def action_back(self) -> None:
        self.app.pop_screen()
