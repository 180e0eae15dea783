"""Hostile or malformed YAML is refused quickly, with bounded memory, at a line (exit 2 in the
CLI), never an internal error; merge keys work; numbers and booleans are taken as written."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from config import SpecError, load_spec, parse_spec
from config.yaml_source import MAX_DEPTH, MAX_VALUES, YamlSyntaxError, parse_yaml
from tests.spec_problems import TEXTS, assert_problem, edited, line_of, refused


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": each level repeats the previous one nine times (9**levels values)."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_in_well_under_a_second() -> None:
    started = time.process_time()  # CPU time: other processes on the machine do not count
    with pytest.raises(SpecError) as caught:
        parse_spec(alias_bomb(), source="bomb.yaml")
    elapsed = time.process_time() - started
    [problem] = caught.value.problems
    assert f"aliases expand it to more than {MAX_VALUES} values" in problem.message
    assert problem.line is not None
    assert elapsed < 0.5, elapsed  # ~0.1 s here


def test_an_alias_bomb_is_refused_with_bounded_memory() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(SpecError):
            parse_spec(alias_bomb(), source="bomb.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, peak  # the expanded document would be 9**10 values


def test_aliases_within_the_budget_still_work() -> None:
    data, _ = parse_yaml("base: &base [1, 2]\ncopy: *base\n")
    assert data == {"base": [1, 2], "copy": [1, 2]}


@pytest.mark.parametrize(
    "text",
    [
        "app: " + "[" * 5000 + "]" * 5000 + "\n",
        "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n",
    ],
    ids=["flow", "block"],
)
def test_very_deep_nesting_is_refused_with_a_line(text: str) -> None:
    [problem] = refused(text)
    assert problem.message == f"nesting is deeper than {MAX_DEPTH} levels"
    assert problem.line is not None


def test_a_control_character_in_a_value_is_refused_at_its_path() -> None:
    text = edited("local", "      LOG_LEVEL: info", '      LOG_LEVEL: "in\\x07fo"')
    [problem] = refused(text)
    assert problem.path == "services.web.environment.LOG_LEVEL"
    assert problem.line == line_of(text, "LOG_LEVEL")
    assert "control character U+0007" in problem.message


def test_half_a_surrogate_pair_is_refused_at_its_path() -> None:
    """An escaped "\\ud800" passed validate and broke the deploy ("JSON parse error", no field named)."""
    text = edited("local", "      LOG_LEVEL: info", '      LOG_LEVEL: "\\ud800"')
    assert_problem(
        refused(text),
        "services.web.environment.LOG_LEVEL",
        "U+D800 is half of a UTF-16 surrogate pair, not a character; write the character itself",
    )
    pair = edited("local", "      LOG_LEVEL: info", '      LOG_LEVEL: "\\U0001F600"')
    assert parse_spec(pair).services["web"].environment["LOG_LEVEL"] == "\U0001f600"


def test_a_raw_control_character_is_refused_with_its_line() -> None:
    text = edited("local", "      LOG_LEVEL: info", "      LOG_LEVEL: in\x01fo")
    [problem] = refused(text)
    assert problem.line == line_of(text, "LOG_LEVEL")
    assert "character U+0001 is not allowed in YAML" in problem.message


def test_non_utf8_bytes_are_refused_with_their_line(tmp_path: Path) -> None:
    text = TEXTS["local"].replace("      LOG_LEVEL: info", "      LOG_LEVEL: caf\udce9", 1)
    (tmp_path / "local.yaml").write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(SpecError) as caught:
        load_spec("local", tmp_path)
    [problem] = caught.value.problems
    assert problem.message == "byte 0xE9 is not UTF-8; save the file as UTF-8"
    assert problem.line == line_of(TEXTS["local"], "LOG_LEVEL")


def test_a_list_as_a_key_is_refused_with_its_line() -> None:
    [problem] = refused("app: shop\n? [a, b]\n: c\n")
    assert problem.message == "a key must be a plain value, not a list or mapping"
    assert problem.line == 2


def test_a_duplicate_key_names_its_path_and_line() -> None:
    text = edited("local", "desired_count: 2", "desired_count: 2\n    desired_count: 3")
    [problem] = refused(text)
    assert problem.path == "services.web.desired_count"
    assert problem.line == line_of(text, "desired_count: 3")
    assert "duplicate key 'desired_count'" in problem.message


def test_merge_keys_work_and_a_written_key_overrides_the_merged_one() -> None:
    text = edited(
        "local",
        "  api:\n    kind: backend",
        "  api:\n    <<: &small\n      cpu: 256\n      memory: 1024\n    memory: 2048\n    kind: backend",
    )
    api = parse_spec(text).services["api"]
    assert (api.cpu, api.memory) == (256, 2048)


def test_a_merged_value_is_checked_at_the_line_that_defines_it() -> None:
    text = edited(
        "local", "  api:\n    kind: backend", "  api:\n    <<: {cpu: 300, memory: 512}\n    kind: backend"
    )
    problem = assert_problem(refused(text), "services.api.cpu", "not a valid Fargate CPU")
    assert problem.line == line_of(text, "<<: {cpu: 300")


def test_a_key_written_twice_next_to_a_merge_is_still_a_duplicate() -> None:
    text = edited(
        "local",
        "  api:\n    kind: backend",
        "  api:\n    <<: {cpu: 256}\n    cpu: 512\n    cpu: 1024\n    kind: backend",
    )
    [problem] = refused(text)
    assert problem.path == "services.api.cpu" and "duplicate key 'cpu'" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "path", "fragment"),
    [
        ("desired_count: 2", "desired_count: yes", "services.web.desired_count",
         "true is a boolean (YAML reads yes, no, on, off, true and false as booleans); give a number"),
        ("    cpu: 256\n    memory: 512\n    port", '    cpu: "256"\n    memory: 512\n    port',
         "services.web.cpu", "'256' is text; give a number, without quotes"),
        ("  fargate: true", "  fargate: 1", "cluster.fargate", "1 is not a boolean; use true or false"),
        ("  fargate: true", '  fargate: "no"', "cluster.fargate", "'no' is not a boolean; use true or false"),
        ("  container_insights: enhanced", "  container_insights: off", "cluster.container_insights",
         "false is a boolean (YAML reads yes, no, on, off, true and false as booleans); quote it"),
        # YAML 1.1 read these as 8 and 60 without a word: the numbers are read as written now.
        ("desired_count: 2", "desired_count: 010", "services.web.desired_count",
         "'010' has a leading zero (YAML 1.1 would read 010 as octal 8); write 10"),
        ("cpu_percent: 60", "cpu_percent: 1:00", "services.web.autoscaling.cpu_percent",
         "'1:00' is text (YAML 1.1 would read 1:30 as 90, in base 60); give a number"),
        ("desired_count: 2", "desired_count: 1_000", "services.web.desired_count",
         "'1_000' is text; give a number, without quotes"),
        ("desired_count: 2", "desired_count: 1" + "0" * 200, "services.web.desired_count",
         "a number of 201 digits; no value here is that long"),
    ],
)  # fmt: skip
def test_numbers_and_booleans_are_taken_only_as_written(old: str, new: str, path: str, fragment: str) -> None:
    assert_problem(refused(edited("local", old, new)), path, fragment)


def test_yaml_1_1_number_forms_are_text_where_text_is_wanted() -> None:
    """A user id 33:33 and a variable 1:30 stay as written (YAML 1.1 made them 2013 and 90)."""
    text = edited("local", '    user: "101"', "    user: 33:33")
    text = text.replace(
        "      LOG_LEVEL: info", "      LOG_LEVEL: info\n      TIMEOUT: 1:30\n      ZIP: 01234", 1
    )
    web = parse_spec(text).services["web"]
    assert web.user == "33:33"
    assert (web.environment["TIMEOUT"], web.environment["ZIP"]) == ("1:30", "01234")


def test_environment_name_mismatch_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "staging.yaml").write_text(TEXTS["local"])
    with pytest.raises(SpecError) as caught:
        load_spec("staging", tmp_path)
    problem = assert_problem(
        caught.value.problems, "environment.name", "does not match the file name 'staging'"
    )
    assert problem.line == line_of(TEXTS["local"], "name: local")


@pytest.mark.parametrize(
    ("old", "new", "path", "fragment"),
    [
        ("services:", '"": 1\nservices:', '[""]', "unknown key"),
        ("  web:\n", "  web.api:\n", 'services["web.api"]', "the name 'web.api' is not valid: use lowercase"),
        ("  web:\n", "  Web:\n", "services.Web", "the name 'Web' is not valid"),
    ],
)
def test_odd_keys_are_quoted_and_paths_never_end_with_a_dot(
    old: str, new: str, path: str, fragment: str
) -> None:
    problem = assert_problem(refused(edited("local", old, new)), path, fragment)
    assert not problem.path.endswith(".") and "[key]" not in problem.path


def test_a_list_whose_items_fail_reports_only_the_items() -> None:
    problems = refused(
        edited("local", "instance_types: [m7g.medium, m6g.medium]", "instance_types: [m7g.huge]")
    )
    assert [p.path for p in problems] == ["cluster.ec2_capacity.graviton.instance_types[0]"]


def test_yaml_syntax_errors_carry_their_line() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml("a: 1\nb: [unclosed\n")
    assert caught.value.line is not None and str(caught.value).startswith("line ")
