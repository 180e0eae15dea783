"""The spec loader: valid files load; every kind of mistake names its YAML path and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import SpecError, available_environments, load_spec, parse_spec
from config.loader import ENVIRONMENTS_DIR
from tests.spec_problems import problems_of

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_shipped_environments_load(env: str) -> None:
    spec = load_spec(env)
    assert spec.environment.name == env
    assert spec.services


def test_shipped_environments_are_the_three_documented_ones() -> None:
    assert {"local", "dev", "prod"} <= set(available_environments())


def test_local_targets_the_local_endpoint_with_fargate_spot_and_ec2() -> None:
    spec = load_spec("local")
    assert spec.environment.target == "local"
    assert spec.cluster.fargate
    assert spec.cluster.ec2_capacity
    providers = {item.provider for item in spec.cluster.default_capacity}
    assert {"FARGATE", "FARGATE_SPOT"} <= providers
    assert len(spec.services) >= 2


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_example_environments_target_a_real_account(env: str) -> None:
    assert load_spec(env).environment.target == "aws"


def test_invalid_fargate_cpu_names_path_and_allowed_values() -> None:
    text = LOCAL_TEXT.replace(
        "    cpu: 256\n    memory: 512\n    port",
        "    cpu: 300\n    memory: 512\n    port",
        1,
    )
    [problem] = problems_of(text)
    assert problem.startswith("services.web.cpu (line ")
    assert "300 is not a valid Fargate CPU; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384" in problem


def test_invalid_fargate_memory_for_cpu_lists_the_choices() -> None:
    text = LOCAL_TEXT.replace("    memory: 512\n    port", "    memory: 4096\n    port", 1)
    [problem] = problems_of(text)
    assert problem.startswith("services.web.memory")
    assert "4096 is not a valid Fargate memory for cpu 256; allowed: 512, 1024, 2048" in problem


def test_ec2_services_are_not_held_to_fargate_sizes() -> None:
    worker = (
        "    image: public.ecr.aws/docker/library/busybox:1.37\n    cpu: 256\n    memory: 512\n    capacity:"
    )
    assert worker in LOCAL_TEXT
    text = LOCAL_TEXT.replace(worker, worker.replace("cpu: 256", "cpu: 300").replace("512", "700"))
    assert parse_spec(text).services["worker"].cpu == 300


def test_unknown_key_lists_the_allowed_keys() -> None:
    text = LOCAL_TEXT.replace("    desired_count: 2\n", "    desired_count: 2\n    colour: red\n", 1)
    [problem] = problems_of(text)
    assert problem.startswith("services.web.colour (line ")
    assert "unknown key; allowed: image, port, app_protocol, essential, command" in problem


def test_wrong_type_names_the_value() -> None:
    text = LOCAL_TEXT.replace("desired_count: 2", "desired_count: two", 1)
    [problem] = problems_of(text)
    assert problem.startswith("services.web.desired_count")
    assert "'two'" in problem


def test_line_numbers_point_at_the_offending_key() -> None:
    text = LOCAL_TEXT.replace("desired_count: 2", "desired_count: -1", 1)
    [problem] = problems_of(text)
    line = next(i for i, text_line in enumerate(text.splitlines(), 1) if "desired_count: -1" in text_line)
    assert f"(line {line})" in problem


def test_all_field_problems_are_reported_together() -> None:
    text = LOCAL_TEXT.replace("desired_count: 2", "desired_count: -1", 1).replace("max_azs: 2", "max_azs: 9")
    paths = [p.split(" ")[0] for p in problems_of(text)]
    assert paths == ["network.max_azs", "services.web.desired_count"]


def test_missing_required_key() -> None:
    text = LOCAL_TEXT.replace("    image: public.ecr.aws/nginx/nginx-unprivileged:1.27\n", "", 1)
    [problem] = problems_of(text)
    assert problem.startswith("services.web.image") and "required key is missing" in problem


def test_duplicate_key_is_an_error_with_its_line() -> None:
    text = LOCAL_TEXT.replace("desired_count: 2", "desired_count: 2\n    desired_count: 3", 1)
    [problem] = problems_of(text)
    assert "duplicate key 'desired_count'" in problem and "line " in problem


def test_invalid_yaml_is_reported_not_raised() -> None:
    [problem] = problems_of("app: [unclosed\n")
    assert "invalid YAML" in problem


def test_top_level_must_be_a_mapping() -> None:
    [problem] = problems_of("- just\n- a list\n")
    assert "mapping" in problem


@pytest.mark.parametrize(
    ("old", "new", "path", "fragment"),
    [
        ("app: shop", "app: Shop_App", "app", "lowercase letters"),
        ('account: "123456789012"', 'account: "12345"', "environment.account", "12 digits"),
        ('account: "123456789012"', "account: 123456789012", "environment.account", "must be quoted"),
        ("region: us-east-1", "region: moon-1", "environment.region", "region code"),
        ("target: local", "target: staging", "environment.target", "'local' or 'aws'"),
        (
            "instance_types: [m7g.medium, m6g.medium]",
            "instance_types: [m7g.medium, large]",
            "cluster.ec2_capacity.graviton.instance_types[1]",
            "instance type",
        ),
        (
            "image: public.ecr.aws/nginx/nginx-unprivileged:1.27",
            "image: 'Not An Image'",
            "services.web.image",
            "registry/repository:tag",
        ),
        ("LOG_LEVEL: info", "1LOG: info", "services.web.environment.1LOG", "letters, digits and '_'"),
    ],
)
def test_bad_values_name_path_and_rule(old: str, new: str, path: str, fragment: str) -> None:
    assert old in LOCAL_TEXT
    problems = problems_of(LOCAL_TEXT.replace(old, new, 1))
    assert any(p.startswith(path) and fragment in p for p in problems), problems


def test_strategy_naming_a_provider_the_cluster_lacks() -> None:
    text = LOCAL_TEXT.replace("      - provider: graviton", "      - provider: gpu", 1)
    [problem] = problems_of(text)
    assert problem.startswith("services.worker.capacity[0].provider")
    assert (
        "unknown capacity provider 'gpu'; this cluster has: FARGATE, FARGATE_SPOT, graviton, spot" in problem
    )


def test_strategy_cannot_mix_fargate_and_ec2() -> None:
    text = LOCAL_TEXT.replace(
        "      - provider: graviton\n        weight: 1",
        "      - provider: graviton\n        weight: 1\n      - provider: FARGATE",
        1,
    )
    [problem] = problems_of(text)
    assert problem.startswith("services.worker.capacity") and "not a mix (ec2, fargate)" in problem


def test_only_one_base_per_strategy() -> None:
    text = LOCAL_TEXT.replace(
        "    - provider: FARGATE_SPOT\n      weight: 3",
        "    - provider: FARGATE_SPOT\n      weight: 3\n      base: 1",
        1,
    )
    [problem] = problems_of(text)
    assert problem.startswith("cluster.default_capacity") and "only one provider" in problem


def test_fargate_providers_require_fargate_on_the_cluster() -> None:
    text = LOCAL_TEXT.replace("  fargate: true", "  fargate: false", 1)
    problems = problems_of(text)
    assert any(p.startswith("cluster.default_capacity[0].provider") for p in problems)


def test_nat_gateways_cannot_exceed_azs() -> None:
    [problem] = problems_of(LOCAL_TEXT.replace("nat_gateways: 1", "nat_gateways: 3", 1))
    assert problem.startswith("network.nat_gateways") and "allowed: 0 to 2" in problem


def test_min_capacity_above_max() -> None:
    [problem] = problems_of(LOCAL_TEXT.replace("min_capacity: 1", "min_capacity: 5", 1))
    assert problem.startswith("cluster.ec2_capacity.graviton.min_capacity")


def test_environment_name_must_match_file(tmp_path: Path) -> None:
    (tmp_path / "staging.yaml").write_text(LOCAL_TEXT)
    with pytest.raises(SpecError, match="does not match the file name 'staging'"):
        load_spec("staging", tmp_path)


@pytest.mark.parametrize("env", ["../etc/passwd", "Local", ""])
def test_bad_environment_names_are_rejected_before_reading(env: str) -> None:
    with pytest.raises(SpecError, match="not a valid environment name"):
        load_spec(env)


@pytest.mark.parametrize("env", ["Local", "local.yaml", "local "])
def test_a_bad_environment_name_says_what_a_name_is_and_lists_the_available_ones(env: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(env)
    assert str(caught.value.problems[0].message) == (
        f"{env!r} is not a valid environment name (use lowercase letters, digits and '-', "
        "2-32 characters, starting with a letter); available: dev, local, prod"
    )


def test_a_missing_environments_directory_and_a_broken_link_are_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(SpecError) as caught:
        load_spec("local", missing)
    assert caught.value.problems[0].message == (
        f"no environment 'local': the environments directory {missing} does not exist"
    )
    (tmp_path / "local.yaml").symlink_to(tmp_path / "moved" / "local.yaml")
    with pytest.raises(SpecError) as caught:
        load_spec("local", tmp_path)
    assert caught.value.problems[0].message == (
        f"{tmp_path / 'local.yaml'} is a link to {tmp_path / 'moved' / 'local.yaml'}, which does not exist"
    )


def test_unknown_environment_lists_the_available_ones() -> None:
    with pytest.raises(SpecError, match=r"no environment 'qa'; available: .*local"):
        load_spec("qa")


def test_spec_is_immutable() -> None:
    spec = load_spec("local")
    with pytest.raises(Exception, match="frozen"):
        spec.services["web"].cpu = 512  # type: ignore[misc]


def test_misspelt_key_gets_a_suggestion() -> None:
    [problem] = problems_of(LOCAL_TEXT.replace("desired_count: 2", "desired_cuont: 2", 1))
    assert problem.startswith("services.web.desired_cuont") and "did you mean 'desired_count'?" in problem
