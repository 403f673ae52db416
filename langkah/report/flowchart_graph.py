"""The SOP-AP flowchart as data: actor columns, one node per step, and the arrows between them.

Pure (no drawing library): built from the definition alone, so tests can check the symbols,
the columns and the return loops without rendering anything. flowchart_draw lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from langkah.engine.definition import SopDefinition, Symbol

NO_ACTOR = "Pelaksana tidak disebut"  # the column of a step whose SOP names no actor


@dataclass(frozen=True)
class Node:
    """One step: its number, symbol, the columns (indexes into FlowGraph.columns) it sits in,
    and the texts printed beside it on its row."""

    step: int
    symbol: Symbol
    columns: tuple[int, ...]
    activity: str
    time: str
    output: str


@dataclass(frozen=True)
class Edge:
    """An arrow from one step to another; `label` is a decision's answer ("" otherwise)."""

    source: int
    target: int
    label: str = ""


@dataclass(frozen=True)
class FlowGraph:
    """Column titles (the actors in SOP order, then NO_ACTOR if a step has none), the nodes in
    SOP order and every arrow."""

    columns: tuple[str, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def index(self, step: int) -> int:
        """The position of a step in the SOP's order."""
        return self._positions[step]

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {node.step: position for position, node in enumerate(self.nodes)}

    def follows(self, edge: Edge) -> bool:
        """True when the arrow goes to the very next node (drawn straight down)."""
        return self.index(edge.target) == self.index(edge.source) + 1

    def goes_back(self, edge: Edge) -> bool:
        """True when the arrow returns to the same or an earlier step (a return loop)."""
        return self.index(edge.target) <= self.index(edge.source)


def flow_graph(definition: SopDefinition) -> FlowGraph:
    """The flowchart of a definition: every step in its actors' columns, with its exits."""
    titles = [actor.title for actor in definition.actors]
    positions = {actor.id: index for index, actor in enumerate(definition.actors)}
    if any(not step.actors for step in definition.steps):
        titles.append(NO_ACTOR)
    nodes = []
    edges = []
    for step in definition.steps:
        columns = tuple(sorted({positions[a] for a in step.actors})) or (len(titles) - 1,)
        nodes.append(
            Node(
                step=step.number,
                symbol=step.symbol,
                columns=columns,
                activity=" ".join(step.activity.split()),
                time=" ".join(step.time.split()) or "-",
                output=" ".join(step.output.split()) or "-",
            )
        )
        exits = definition.successors(step.number)
        if step.decision is not None:
            labels = {"yes": step.decision.yes_label, "no": step.decision.no_label}
        else:
            labels = {"next": ""}
        for key, target in exits.items():
            if target is not None:
                edges.append(Edge(step.number, target, labels[key]))
    return FlowGraph(tuple(titles), tuple(nodes), tuple(edges))
