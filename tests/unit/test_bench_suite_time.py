"""bench/suite_time.py reads pytest's summary and --durations rows and reports each run with the
host's state before it; a run over the target, or a failing one, is reported as missing it."""

from __future__ import annotations

from bench.suite_time import TARGET_S, Run, cpu_pressure, parse_output, report

OUTPUT = """\
........................................................................ [100%]
============================= slowest 10 durations =============================
53.42s setup    tests/e2e/test_deploy_local.py::test_deploy_succeeds_and_prints_every_service
11.55s setup    tests/unit/test_control_tower.py::test_prod_passes_every_control
0.01s teardown tests/unit/test_x.py::test_y[a b]
================= 2073 passed, 1 warning in 127.97s (0:02:07) ==================
"""


def test_the_summary_and_the_slowest_tests_are_read_from_pytests_output() -> None:
    summary, slowest = parse_output(OUTPUT)
    assert summary == "2073 passed, 1 warning"
    assert slowest[:2] == [
        (53.42, "setup", "tests/e2e/test_deploy_local.py::test_deploy_succeeds_and_prints_every_service"),
        (11.55, "setup", "tests/unit/test_control_tower.py::test_prod_passes_every_control"),
    ]  # fmt: skip
    assert slowest[2] == (0.01, "teardown", "tests/unit/test_x.py::test_y[a b]")  # a parameter with a space
    assert parse_output("collected 0 items\n")[0] == "no summary line"


def test_each_run_is_a_row_with_the_hosts_state_and_a_verdict() -> None:
    fast = Run(TARGET_S - 1, 230.0, 0.4, 0.8, "2073 passed", 0, [(50.0, "setup", "tests/e2e/t.py::t")])
    slow = Run(TARGET_S + 30, 320.0, 41.0, 3.1, "2073 passed", 0)
    failed = Run(TARGET_S - 10, 200.0, None, 0.5, "1 failed, 2072 passed", 1)
    text = report([slow, fast, failed])
    assert "| 1 | 41 % | 3.10 | 2073 passed | 150 s | 320 s | misses |" in text
    assert "| 2 | 0 % | 0.80 | 2073 passed | 119 s | 230 s | meets |" in text
    assert "| 3 | - | 0.50 | 1 failed, 2072 passed | 110 s | 200 s | misses |" in text
    assert "The ten slowest of run 2: 50.0 s setup `tests/e2e/t.py::t`." in text  # the fastest that passed


def test_cpu_pressure_is_a_percentage_on_linux() -> None:
    pressure = cpu_pressure()
    assert pressure is None or 0.0 <= pressure <= 100.0
