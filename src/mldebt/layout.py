"""A layered drawing of a directed graph, in pure Python (networkx's layouts need numpy).

Data flows left to right, Sugiyama-style:
1. The strongly connected groups (loops) are condensed into one node each, and the condensation
   is cut into layers by `topological_generations`: every edge points to a later layer.
2. An edge that skips layers gets a waypoint in each layer it crosses, so that it runs between
   the boxes instead of through them.
3. Within each layer, nodes and waypoints are ordered by the barycenter of their neighbours in
   the layer before (then after, alternately) to reduce crossings.
4. The members of a loop are stacked together inside their layer; the drawing frames them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

SWEEPS = 6  # alternating passes of barycenter ordering


@dataclass(frozen=True)
class Placed:
    """A node's box: top-left corner, size, layer and its loop's number (-1: in no loop)."""

    node: Hashable
    x: float
    y: float
    width: float
    height: float
    layer: int
    group: int


@dataclass(frozen=True)
class Frame:
    """The frame drawn around the members of a loop."""

    group: int
    x: float
    y: float
    width: float
    height: float
    members: tuple[Hashable, ...]


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    nodes: dict[Hashable, Placed]
    frames: tuple[Frame, ...]
    # Waypoints (x, y) of each edge that skips layers, from its source's side to its target's.
    routes: dict[tuple[Hashable, Hashable], tuple[tuple[float, float], ...]]


@dataclass(frozen=True)
class _Waypoint:
    source: int
    target: int
    step: int


def layered_layout(
    graph: nx.DiGraph,
    widths: Mapping[Hashable, float],
    node_height: float = 34.0,
    layer_gap: float = 90.0,
    row_gap: float = 14.0,
    margin: float = 20.0,
    group_padding: float = 10.0,
    waypoint_height: float = 8.0,
) -> Layout:
    """Place every node of `graph`; `widths` gives each node's box width."""
    if len(graph) == 0:
        return Layout(2 * margin, 2 * margin, {}, (), {})
    condensed = nx.condensation(graph)
    mapping: dict[Hashable, int] = condensed.graph["mapping"]
    members: dict[int, list[Hashable]] = {
        group: _within_group(graph, sorted(condensed.nodes[group]["members"], key=str)) for group in condensed
    }
    layer_of: dict[int, int] = {}
    layers: list[list[int | _Waypoint]] = []
    for index, generation in enumerate(nx.topological_generations(condensed)):
        groups: list[int] = sorted(generation, key=lambda g: str(members[g][0]))
        layers.append(list(groups))
        for group in groups:
            layer_of[group] = index

    # Waypoints: a chain through every layer an edge of the condensation skips.
    ordering = nx.DiGraph()
    ordering.add_nodes_from(condensed)
    chains: dict[tuple[int, int], list[_Waypoint]] = {}
    for source, target in sorted(condensed.edges):
        span = layer_of[target] - layer_of[source]
        if span <= 1:
            ordering.add_edge(source, target)
            continue
        chain = [_Waypoint(source, target, step) for step in range(1, span)]
        for point in chain:
            layers[layer_of[source] + point.step].append(point)
        nx.add_path(ordering, [source, *chain, target])
        chains[(source, target)] = chain
    _order(ordering, layers)

    placed: dict[Hashable, Placed] = {}
    points: dict[_Waypoint, tuple[float, float]] = {}
    frames: list[Frame] = []
    x = margin
    height = 0.0
    for layer_index, layer in enumerate(layers):
        in_layer = [item for item in layer if isinstance(item, int)]
        layer_width = max((widths.get(node, 120.0) for group in in_layer for node in members[group]), default=40.0)
        framed = any(len(members[group]) > 1 for group in in_layer)
        inner_x = x + (group_padding if framed else 0.0)
        centre = inner_x + layer_width / 2
        y = margin
        for item in layer:
            if not isinstance(item, int):
                points[item] = (centre, y + waypoint_height / 2)
                y += waypoint_height + row_gap
                continue
            looped = len(members[item]) > 1
            top = y
            if looped:
                y += group_padding
            for node in members[item]:
                width = widths.get(node, 120.0)
                placed[node] = Placed(node, centre - width / 2, y, width, node_height, layer_index, item if looped else -1)
                y += node_height + row_gap
            if looped:
                y += group_padding - row_gap
                frames.append(Frame(item, x, top, layer_width + 2 * group_padding, y - top, tuple(members[item])))
                y += row_gap
        height = max(height, y)
        x += layer_width + (2 * group_padding if framed else 0.0) + layer_gap

    routes: dict[tuple[Hashable, Hashable], tuple[tuple[float, float], ...]] = {}
    for source, target in graph.edges:
        found = chains.get((mapping[source], mapping[target]))
        if found:
            routes[(source, target)] = tuple(points[point] for point in found)
    return Layout(x - layer_gap + margin, height + margin, placed, tuple(frames), routes)


def _order(ordering: nx.DiGraph, layers: list[list[int | _Waypoint]]) -> None:
    """Barycenter ordering, in place: each layer sorted by the mean position of its neighbours in
    the layer just ordered, sweeping forward then backward."""
    position = {item: index for layer in layers for index, item in enumerate(layer)}
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        sequence = range(1, len(layers)) if forward else range(len(layers) - 2, -1, -1)
        neighbours = ordering.predecessors if forward else ordering.successors
        for index in sequence:
            layer = layers[index]
            keys = {}
            for item in layer:
                around = [position[other] for other in neighbours(item)]
                keys[item] = (sum(around) / len(around) if around else float(position[item]), position[item])
            layer.sort(key=lambda item: keys[item])
            for place, item in enumerate(layer):
                position[item] = place


def _within_group(graph: nx.DiGraph, group: Sequence[Hashable]) -> list[Hashable]:
    """A loop's members in the order data flows around it, from its first member."""
    if len(group) < 3:
        return list(group)
    order = list(nx.dfs_preorder_nodes(graph.subgraph(group), source=group[0]))
    return order + [node for node in group if node not in order]


def treemap(
    values: Sequence[tuple[Hashable, float]], x: float, y: float, width: float, height: float
) -> list[tuple[Hashable, float, float, float, float]]:
    """Squarified treemap (Bruls, Huizing and van Wijk): a (key, x, y, width, height) box for each
    positive value, with areas proportional to the values, largest first, filling the rectangle."""
    items = sorted(((key, value) for key, value in values if value > 0), key=lambda item: -item[1])
    total = sum(value for _, value in items)
    if not items or width <= 0 or height <= 0:
        return []
    scale = width * height / total
    areas = [(key, value * scale) for key, value in items]
    boxes: list[tuple[Hashable, float, float, float, float]] = []

    def worst(row: list[tuple[Hashable, float]], side: float) -> float:
        area = sum(a for _, a in row)
        return max(max(side * side * a / (area * area), area * area / (side * side * a)) for _, a in row)

    while areas:
        side = min(width, height)
        row = [areas.pop(0)]
        while areas and worst([*row, areas[0]], side) <= worst(row, side):
            row.append(areas.pop(0))
        area = sum(a for _, a in row)
        if width >= height:  # a column on the left
            column = area / height
            top = y
            for key, a in row:
                boxes.append((key, x, top, column, a / column))
                top += a / column
            x += column
            width -= column
        else:  # a row along the top
            band = area / width
            left = x
            for key, a in row:
                boxes.append((key, left, y, a / band, band))
                left += a / band
            y += band
            height -= band
    return boxes
