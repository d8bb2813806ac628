"""The layered layout of the audit's data-graph drawing (pure Python, no numpy)."""

from __future__ import annotations

import itertools

import networkx as nx

from mldebt.layout import layered_layout


def _layout(edges: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    graph = nx.DiGraph(edges)
    return graph, layered_layout(graph, {node: 100.0 for node in graph})


def test_edges_point_to_later_layers_outside_loops() -> None:
    graph, layout = _layout([("a", "x"), ("x", "b"), ("b", "y"), ("y", "c"), ("a", "z"), ("z", "c")])
    for source, target in graph.edges:
        assert layout.nodes[target].layer > layout.nodes[source].layer
        assert layout.nodes[target].x > layout.nodes[source].x + layout.nodes[source].width


def test_a_loop_is_one_framed_group_in_one_layer() -> None:
    graph, layout = _layout([("in", "a"), ("a", "x"), ("x", "b"), ("b", "y"), ("y", "a"), ("b", "out")])
    loop = {"a", "x", "b", "y"}
    assert len(layout.frames) == 1 and set(layout.frames[0].members) == loop
    assert len({layout.nodes[node].layer for node in loop}) == 1
    frame = layout.frames[0]
    for node in loop:
        box = layout.nodes[node]
        assert frame.x <= box.x and box.x + box.width <= frame.x + frame.width
        assert frame.y <= box.y and box.y + box.height <= frame.y + frame.height
    assert layout.nodes["in"].layer < layout.nodes["a"].layer < layout.nodes["out"].layer


def test_long_edges_get_a_waypoint_in_every_layer_they_cross() -> None:
    graph, layout = _layout([("a", "b"), ("b", "c"), ("c", "d"), ("a", "d")])
    route = layout.routes[("a", "d")]
    assert len(route) == layout.nodes["d"].layer - layout.nodes["a"].layer - 1 == 2
    xs = [layout.nodes["a"].x, *(x for x, _ in route), layout.nodes["d"].x]
    assert xs == sorted(xs)
    assert ("a", "b") not in layout.routes


def test_boxes_never_overlap() -> None:
    edges = [(f"s{i}", f"m{i % 3}") for i in range(8)] + [(f"m{i}", f"t{j}") for i in range(3) for j in range(4)]
    graph, layout = _layout(edges)
    for one, other in itertools.combinations(layout.nodes.values(), 2):
        apart = (
            one.x + one.width <= other.x or other.x + other.width <= one.x
            or one.y + one.height <= other.y or other.y + other.height <= one.y
        )  # fmt: skip
        assert apart, (one.node, other.node)
    assert all(box.x + box.width <= layout.width and box.y + box.height <= layout.height for box in layout.nodes.values())


def test_barycenter_ordering_removes_an_avoidable_crossing() -> None:
    # Sorted by name alone, b1 would sit above a1 and its edges would cross.
    graph, layout = _layout([("a", "z1"), ("b", "a1")])
    assert (layout.nodes["a"].y < layout.nodes["b"].y) == (layout.nodes["z1"].y < layout.nodes["a1"].y)


def test_an_empty_graph() -> None:
    layout = layered_layout(nx.DiGraph(), {})
    assert layout.nodes == {} and layout.width > 0
