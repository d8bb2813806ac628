"""The layout-free text behind a finding's fingerprint: what it ignores, and what it keeps."""

from __future__ import annotations

import pytest

from mldebt.fingerprint import MAX_EXCERPT_LINES, identifying_text, normalised_source, statement_excerpt


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("f(a,b)", "f( a , b )"),
        ("x = f(a, b)", "x=f(a,\n      b)"),
        ("return DataLoader(dataset, shuffle=True)", "return DataLoader(\n    dataset,\n    shuffle=True,\n)"),
        ("y = [1, 2, 3]", "y = [\n    1,\n    2,\n    3,\n]"),
        ("x = 'a'", 'x = "a"'),
        ("x = 'it''s'", "x = 'it' 's'"),
        ('x = "a\\x62"', "x = 'ab'"),
        ("x = u'a'", "x = 'a'"),
        ("x = f'{a} b'", 'x = f"{a} b"'),
        ("open(path)", "open(path)  # noqa: MLD803"),
        ("a = b.c()", "a = b \\\n    .c()"),
        ("if x > 0.5:", "if x>0.5 :"),
        ("\tvalue = 1", "        value = 1"),
        ("torch>=1.0", "torch >= 1.0  # the model"),
        ("# TODO: fix this", "#   TODO:  fix this"),
    ],
)
def test_layout_does_not_change_the_text(one: str, other: str) -> None:
    assert normalised_source(one) == normalised_source(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("not x", "notx"),
        ("f(a, b)", "f(b, a)"),
        ("x = 'a b'", "x = 'ab'"),
        ("x = b'a'", "x = 'a'"),
        ("x = f'{a}'", "x = '{a}'"),
        ("lr = 0.1", "lr = 0.01"),
        ("# TODO: fix this", "# TODO: fix that"),
    ],
)
def test_what_the_code_says_changes_the_text(one: str, other: str) -> None:
    assert normalised_source(one) != normalised_source(other)


def test_an_unfinished_excerpt_still_has_one_text() -> None:
    for text in ('x = """starts here', "s = 'never closed", "call(a,\n     b", "a = b)]}"):
        assert normalised_source(text) == normalised_source("    " + text.replace(" = ", "="))


def test_a_block_is_known_by_its_header() -> None:
    lines = [
        "@app.route('/predict', methods=['POST'])",
        "def predict(",
        "    request: dict[str, int] = {'a': 1},",
        ") -> Annotated[int, 'x:y']:",
        "    return model.predict(request)",
    ]
    assert statement_excerpt(lines, 1, 5) == "\n".join(lines[:4])
    block = ["if (n := len(rows)) > 3 and rows[1:2]:  # a comment: with a colon", "    use(n)", "    more()"]
    assert statement_excerpt(block, 1, 3) == block[0]
    assert statement_excerpt(["if flag: run()"], 1, 1) == "if flag: run()"  # one line: all of it
    assert statement_excerpt(["class_weights = {", "    0: 1.0,", "}"], 1, 3) == "class_weights = {\n    0: 1.0,\n}"


def test_a_long_statement_is_known_by_its_first_lines() -> None:
    lines = ["config = dict("] + [f"    option_{index}={index}," for index in range(100)] + [")"]
    excerpt = statement_excerpt(lines, 1, len(lines))
    assert excerpt.split("\n") == lines[:MAX_EXCERPT_LINES]
    assert statement_excerpt(lines, 3, 2) == lines[2]  # an end before the start: the first line


def test_a_point_on_a_header_line_takes_the_whole_header() -> None:
    wrapped = ["def train_iter(", "    epoch,", "    model,", "):", "    pass"]
    assert statement_excerpt(wrapped, 1, 1) == "\n".join(wrapped[:4])
    joined = ["def train_iter(epoch, model):", "    pass"]
    one, other = (normalised_source(statement_excerpt(lines, 1, 1)) for lines in (wrapped, joined))
    assert one == other == "def train_iter(epoch,model):"


def test_the_text_is_the_reported_node() -> None:
    # a call chain split with backslashes, then joined and wrapped in parentheses by black
    before = "        self.indices = torch.LongTensor(batch_size) \\\n                                    .random_(0, classes) \\"
    node = identifying_text(before, 75, 24, 76, 57)
    assert normalised_source(node) == "torch.LongTensor(batch_size).random_(0,classes)"
    after = "            torch.LongTensor(batch_size).random_(0, classes).view(batch_size, 1)"
    assert normalised_source(identifying_text(after, 76, 13, 76, 61)) == normalised_source(node)
    # a point (a project rule's finding) keeps its whole excerpt; an end past the excerpt cuts nothing
    assert identifying_text("x = load(path)", 3, 1, 3, 1) == "x = load(path)"
    assert identifying_text("if flag:", 3, 4, 9, 1) == "flag:"
