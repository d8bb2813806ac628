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


def test_treemap_areas_are_proportional_and_fill_the_rectangle() -> None:
    from mldebt.layout import treemap

    values = [("glue", 117.0), ("ml", 33.0), ("data", 31.0), ("config", 14.0), ("features", 11.0), ("none", 0.0)]
    boxes = treemap(values, 0, 0, 600, 300)
    assert [key for key, *_ in boxes] == ["glue", "ml", "data", "config", "features"]
    total = sum(value for _, value in values)
    for key, x, y, w, h in boxes:
        assert abs(w * h - 600 * 300 * dict(values)[key] / total) < 1e-6
        assert -1e-6 <= x and x + w <= 600 + 1e-6 and -1e-6 <= y and y + h <= 300 + 1e-6
    for (_, x1, y1, w1, h1), (_, x2, y2, w2, h2) in itertools.combinations(boxes, 2):
        assert x1 + w1 <= x2 + 1e-6 or x2 + w2 <= x1 + 1e-6 or y1 + h1 <= y2 + 1e-6 or y2 + h2 <= y1 + 1e-6
    assert treemap([("a", 0.0)], 0, 0, 10, 10) == []
