"""Reading the plan file's YAML: lines of every value, duplicate keys, comma-split names."""

from __future__ import annotations

from datetime import date

from planning.plan.source import read_source


def test_every_path_has_the_line_its_node_starts_on() -> None:
    source = read_source(
        "naam: X\n"  # 1
        "overleggen:\n"  # 2
        "  - code: ao\n"  # 3
        "    bijeenkomsten:\n"  # 4
        "      - 2011-01-18\n"  # 5
        "      - {datum: 2011-03-22,\n"  # 6
        "         tijd: 10:00}\n",  # 7
        "plan.yaml",
    )
    assert source.problems == []
    assert source.node_lines[("overleggen", 0, "bijeenkomsten")] == 5
    assert source.key_lines[("overleggen", 0, "bijeenkomsten")] == 4
    assert source.node_lines[("overleggen", 0, "bijeenkomsten", 1)] == 6
    assert source.line(("overleggen", 0, "bijeenkomsten", 1, "tijd")) == 7
    assert source.line(("overleggen", 0, "bijeenkomsten")) == 4  # the key's line
    # A path that is not in the file is placed at its nearest ancestor.
    assert source.line(("overleggen", 0, "bijeenkomsten", 0, "datum")) == 5
    assert source.line(("overleggen", 0, "naam")) == 3


def test_scalars_keep_what_the_author_meant() -> None:
    data = read_source(
        "a: 2011-01-18\nb: 2011-02-30\nc: 10:00\nd: 09:00\nja: 1\n", "plan.yaml"
    ).data
    # An impossible date stays text (the model reports it); 10:00 is not base-60 for 600.
    assert data == {"a": date(2011, 1, 18), "b": "2011-02-30", "c": "10:00", "d": "09:00", "ja": 1}


def test_a_comma_split_name_in_a_flow_mapping_is_joined_again() -> None:
    data = read_source(
        "- {code: rijk, naam: Ministeries van BZK, J&V en VWS}\n"
        "- {code: vws, naam: Ministerie van Volksgezondheid, Welzijn en Sport, soort: rijk}\n"
        "- {naam: A, B, C}\n",
        "plan.yaml",
    ).data
    assert data == [
        {"code": "rijk", "naam": "Ministeries van BZK, J&V en VWS"},
        {
            "code": "vws",
            "naam": "Ministerie van Volksgezondheid, Welzijn en Sport",
            "soort": "rijk",
        },
        {"naam": "A, B, C"},
    ]


def test_only_a_bare_key_after_plain_text_is_a_continuation() -> None:
    data = read_source(
        '- {naam: A, b:}\n- {naam: "A", b}\n- {naam: 1, b}\n- {b, naam: A}\n- {naam: A, ? b}\n',
        "plan.yaml",
    ).data
    assert data == [
        {"naam": "A", "b": None},  # b: has a colon: a key of its own
        {"naam": "A", "b": None},  # quoted text is complete as written
        {"naam": 1, "b": None},  # a number is not text to continue
        {"b": None, "naam": "A"},  # nothing before it
        {"naam": "A", "b": None},  # an explicit key
    ]


def test_a_key_twice_in_one_mapping_is_a_problem_at_the_second() -> None:
    source = read_source("naam: A\nversie: 1\nnaam: B\n", "plan.yaml")
    assert [str(p) for p in source.problems] == [
        "plan.yaml:3: naam: sleutel naam komt twee keer voor (eerder op regel 1)"
    ]
    assert source.data == {"naam": "A", "versie": 1}


def test_a_syntax_error_is_one_problem_at_the_line_and_column_yaml_names() -> None:
    source = read_source("naam: X\ngroepen:\n  - {code: a, naam: A\n  - {code: b}\n", "p.yaml")
    assert source.data is None
    assert [str(problem) for problem in source.problems] == [
        "p.yaml:4:5: yaml: in het object {...} dat op regel 3 begint, ontbreekt hier een komma "
        "of de sluitende }"
    ]


def test_an_unknown_tag_is_a_problem_at_its_line() -> None:
    source = read_source("naam: X\nversie: !nummer 1\n", "plan.yaml")
    assert [str(p) for p in source.problems] == [
        "plan.yaml:2: versie: de tag !nummer kan in een jaarplan niet: laat hem weg, of zet de "
        "waarde tussen aanhalingstekens"
    ]


def test_a_value_its_tag_cannot_make_is_left_to_the_models() -> None:
    source = read_source("a: !!bool misschien\nb: !!int tien\n", "plan.yaml")
    assert source.problems == []
    assert source.data == {"a": "misschien", "b": "tien"}


def test_an_empty_file_is_an_empty_mapping() -> None:
    assert read_source("# niets\n", "plan.yaml").data == {}
