"""Tim SAKIP's figures (key `a` on the overview): per SOP variant x kecamatan x period, then the
step table across kecamatan. The logs are read and replayed in a thread worker."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from langkah.analytics import Stats, compute
from langkah.analytics.facts import FactsRead
from langkah.service import Langkah
from langkah.tui.base import Job, LangkahScreen
from langkah.tui.presenters import analytics as presenter
from langkah.tui.presenters.filters import Filters
from langkah.tui.strings import language, said, t, translate_bindings
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
            with Horizontal(id="an-charts"):
                yield PlotextPlot(id="an-chart")
                yield PlotextPlot(id="an-bars")
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
            self.query_one("#an-summary", Static).update(t("an.failed", message=said(error)))

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
        self.draw_bars(self.stats)
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

    def draw_bars(self, stats: Stats) -> None:
        """Median delay per step, a bar per kecamatan; the figures are in the step table
        (a step without a judged visit has no bar there: "-" or "." in the table)."""
        chart = self.query_one("#an-bars", PlotextPlot)
        steps, series = presenter.delay_bars(stats)
        drawn = [(label, values) for label, values in series if any(v is not None for v in values)]
        chart.display = bool(drawn)
        if not drawn:
            return
        plt = chart.plt
        plt.clear_data()
        labels = [str(step) for step in steps]
        heights = [[v if v is not None else 0.0 for v in values] for _label, values in drawn]
        if len(drawn) == 1:
            plt.bar(labels, heights[0], label=drawn[0][0], width=0.6)
        else:
            names = [label for label, _ in drawn]  # plotext 5.3 takes `labels`; the stub says label
            plt.multiple_bar(labels, heights, labels=names)  # type: ignore[call-arg]
        top = max(max(row) for row in heights)
        if top > 0:  # whole minutes on the axis
            ticks = sorted({round(top * i / 4) for i in range(5)})
            plt.yticks([float(v) for v in ticks], [str(v) for v in ticks])
        plt.title(t("an.bars"))
        chart.refresh()

    def on_resize(self) -> None:
        """The two charts side by side when there is room, else one above the other."""
        self.query_one("#an-charts").set_class(self.size.width < 120, "narrow")

    def action_back(self) -> None:
        self.app.pop_screen()
