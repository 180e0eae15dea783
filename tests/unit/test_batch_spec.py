"""The spec's batch: section: what it accepts, and every refusal at its YAML path with a line."""

from __future__ import annotations

import pytest

from config import naming, parse_spec
from tests.spec_problems import TEXTS, assert_problem, edited, refused

JOB = "      queue: default\n"
QUEUE = "      compute_environments: [fargate-spot, fargate]\n"
EC2_COMPUTE = "    big:\n      type: ec2\n      instance_types: [m6i.large, c6i.large]\n      max_vcpus: 32\n"


def with_ec2_queue(job_keys: str = "") -> str:
    """local.yaml plus an EC2 compute environment ``big``, a queue ``heavy`` over it and a job
    ``crunch`` on that queue with ``job_keys``."""
    text = edited("local", "    fargate: {max_vcpus: 8}\n", "    fargate: {max_vcpus: 8}\n" + EC2_COMPUTE)
    text = edited_text(text, "  jobs:\n", "    heavy:\n      compute_environments: [big]\n  jobs:\n")
    job = "    crunch:\n      queue: heavy\n      image: public.ecr.aws/docker/library/busybox:1.37\n"
    return edited_text(text, "workflows:\n", job + job_keys + "workflows:\n")


def edited_text(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_local_has_a_fargate_queue_and_a_job_and_names_them() -> None:
    spec = parse_spec(TEXTS["local"])
    assert [c.type for c in spec.batch.compute_environments.values()] == ["fargate", "fargate"]
    assert spec.batch.queues["default"].compute_environments == ("fargate-spot", "fargate")
    job = spec.batch.jobs["thumbnails"]
    assert (job.user, job.readonly_root_filesystem, job.retry.attempts) == ("1000:1000", True, 3)
    assert naming.job_queue_name(spec, "default") == "shop-local-default"
    assert naming.job_definition_name(spec, "thumbnails") == "shop-local-thumbnails"
    assert naming.stack_plan(spec)[3] == naming.PlannedStack("shop-local-batch", "batch")


def test_an_environment_without_batch_has_no_batch_stack() -> None:
    spec = parse_spec(TEXTS["prod"])
    assert not spec.batch.enabled
    assert all(planned.kind != "batch" for planned in naming.stack_plan(spec))


def test_dev_runs_a_job_on_ec2_spot() -> None:
    spec = parse_spec(TEXTS["dev"])
    [compute] = spec.batch.compute_environments.values()
    assert (compute.type, compute.spot) == ("ec2", True)


def test_unknown_queue() -> None:
    problems = refused(edited("local", JOB, "      queue: fast\n"))
    assert_problem(problems, "batch.jobs.thumbnails.queue", "unknown queue 'fast'; queues: default")


def test_unknown_compute_environment() -> None:
    problems = refused(edited("local", QUEUE, "      compute_environments: [fargate-spot, gpu]\n"))
    assert_problem(
        problems,
        "batch.queues.default.compute_environments[1]",
        "unknown compute environment 'gpu'; defined: fargate-spot, fargate",
    )


def test_a_queue_does_not_mix_fargate_and_ec2() -> None:
    text = with_ec2_queue().replace(
        "      compute_environments: [big]\n", "      compute_environments: [big, fargate]\n"
    )
    problems = refused(text)
    assert_problem(problems, "batch.queues.heavy.compute_environments", "all Fargate or all EC2")


def test_a_queue_takes_at_most_three_compute_environments() -> None:
    text = edited(
        "local", QUEUE, "      compute_environments: [fargate-spot, fargate, fargate-spot, fargate]\n"
    )
    assert_problem(refused(text), "batch.queues.default.compute_environments", "at most 3")


def test_fargate_job_sizes_come_from_the_fargate_table() -> None:
    problems = refused(edited("local", JOB, JOB + "      cpu: 1024\n      memory: 512\n"))
    assert_problem(
        problems,
        "batch.jobs.thumbnails.memory",
        "512 is not a valid Fargate memory for cpu 1024; allowed: 2048 to 8192 in steps of 1024",
    )


def test_ec2_jobs_take_whole_vcpus_of_the_instances_architecture() -> None:
    problems = refused(with_ec2_queue("      cpu: 1536\n      memory: 2048\n      architecture: arm64\n"))
    assert_problem(problems, "batch.jobs.crunch.cpu", "1536 CPU units is not whole vCPUs")
    assert_problem(
        problems, "batch.jobs.crunch.architecture", "arm64 does not match the queue's instance types"
    )


def test_an_ec2_job_of_whole_vcpus_is_accepted() -> None:
    spec = parse_spec(with_ec2_queue("      cpu: 2048\n      memory: 3000\n"))
    assert spec.batch.jobs["crunch"].cpu == 2048


def test_a_job_larger_than_its_queue_could_never_start() -> None:
    text = edited("local", JOB, JOB + "      cpu: 16384\n      memory: 32768\n")
    problems = refused(text)
    assert_problem(problems, "batch.jobs.thumbnails.cpu", "max_vcpus 8); the job could never start")


def test_ec2_compute_needs_instance_types_and_fargate_takes_none() -> None:
    text = edited(
        "local", "    fargate: {max_vcpus: 8}\n", "    fargate: {max_vcpus: 8, instance_types: [m5.large]}\n"
    )
    text = text.replace(
        "    fargate-spot: {spot: true, max_vcpus: 8}", "    fargate-spot: {type: ec2, max_vcpus: 8}"
    )
    problems = refused(text)
    assert_problem(
        problems,
        "batch.compute_environments.fargate.instance_types",
        "instance types apply to type ec2; Fargate picks its own",
    )
    assert_problem(problems, "batch.compute_environments.fargate-spot.instance_types", "type ec2 needs")


def test_root_needs_a_reason() -> None:
    problems = refused(edited("local", JOB, JOB + "      user: root\n"))
    assert_problem(problems, "batch.jobs.thumbnails.user", "'root' runs the job as root; use a non-root user")
    reasoned = edited(
        "local", JOB, JOB + "      user: '0:0'\n      root_reason: the tool installs packages at start\n"
    )
    assert parse_spec(reasoned).batch.jobs["thumbnails"].user == "0:0"


def test_command_references_need_a_default() -> None:
    problems = refused(edited("local", '        size: "256"\n', '        width: "256"\n'))
    assert_problem(problems, "batch.jobs.thumbnails.command", "Ref::size has no default in parameters")


def test_exit_codes_leave_room_for_the_fixed_conditions() -> None:
    problems = refused(edited("local", "        exit_on_codes: [2]", "        exit_on_codes: [2, 3, 4, 5]"))
    assert_problem(problems, "batch.jobs.thumbnails.retry.exit_on_codes", "at most 3")


@pytest.mark.parametrize(
    ("minutes", "fragment"), [(9, "greater than or equal to 10"), (1441, "less than or equal to 1440")]
)
def test_runnable_limit_is_within_batch_bounds(minutes: int, fragment: str) -> None:
    text = edited("local", "runnable_timeout_minutes: 30", f"runnable_timeout_minutes: {minutes}")
    assert_problem(refused(text), "batch.queues.default.runnable_timeout_minutes", fragment)


def test_secret_looking_variables_and_log_retention() -> None:
    text = edited("local", JOB, JOB + "      environment: {API_TOKEN: abc}\n      log_retention_days: 10\n")
    problems = refused(text)
    assert_problem(problems, "batch.jobs.thumbnails.environment.API_TOKEN", "looks like a secret")
    assert_problem(problems, "batch.jobs.thumbnails.log_retention_days", "10 is not a CloudWatch retention")


def test_a_secret_names_exactly_one_store() -> None:
    text = edited("local", JOB, JOB + "      secrets: {DB: {kms_key: environment}}\n")
    assert_problem(refused(text), "batch.jobs.thumbnails.secrets.DB", "give exactly one of secret")


def test_writable_paths_are_directories_below_root_each_once() -> None:
    text = edited("local", JOB, JOB + "      writable_paths: [/, /tmp, /tmp/]\n")
    problems = refused(text)
    assert_problem(
        problems, "batch.jobs.thumbnails.writable_paths[0]", "'/': give an absolute directory below /"
    )
    assert_problem(problems, "batch.jobs.thumbnails.writable_paths", "a path is listed twice")


def test_a_queue_whose_failed_jobs_rule_name_is_too_long_for_eventbridge_is_refused() -> None:
    """app order-management (16) + env local + queue thumbnail-generation-highprio1 (30): the
    rule ``…-failed-jobs`` would be 65 characters; CDK refuses it only at synthesis."""
    text = edited("local", "app: shop\n", "app: order-management\n")
    text = edited_text(
        text,
        "    default:\n      compute_environments:",
        "    thumbnail-generation-highprio1:\n      compute_environments:",
    )
    text = edited_text(text, "      queue: default\n", "      queue: thumbnail-generation-highprio1\n")
    problem = assert_problem(refused(text), "batch.queues.thumbnail-generation-highprio1", "65 characters")
    assert "'order-management-local-thumbnail-generation-highprio1-failed-jobs'" in problem.message
    assert "EventBridge allows 64; use a shorter queue name (or app or environment name)" in problem.message
    # One character shorter fits: the rule name is then exactly 64 characters.
    accepted = parse_spec(text.replace("highprio1", "highprio"))
    assert len(naming.failed_jobs_rule_name(accepted, "thumbnail-generation-highprio")) == 64


def test_queues_whose_names_differ_only_in_dashes_are_refused() -> None:
    """q-1 and q1 would both give the output JobQueueQ1: synthesis fails on the second."""
    both = "    q-1:\n" + QUEUE + "    q1:\n" + QUEUE
    problems = refused(edited("local", "  queues:\n", "  queues:\n" + both))
    assert_problem(
        problems,
        "batch.queues.q1",
        "queue 'q1' and queue 'q-1' would both give the stack output JobQueueQ1 "
        "(output IDs drop '-' and capitalise each part); rename one",
    )
    assert naming.job_queue_output("thumbnails-eu") == "JobQueueThumbnailsEu"


EC2_JOB = "      cpu: 1024\n      memory: 2048\n"  # a job the EC2 queue can run, so only the volume is wrong


@pytest.mark.parametrize("size", [8, 29])
def test_an_ec2_root_volume_below_the_al2023_ami_snapshot_is_refused(size: int) -> None:
    """AWS Batch's ECS_AL2023 image is the ECS-optimised AL2023 AMI, whose root snapshot is 30 GiB."""
    volume = EC2_COMPUTE + f"      root_volume_gib: {size}\n"
    [problem] = refused(with_ec2_queue(EC2_JOB).replace(EC2_COMPUTE, volume, 1))
    assert_problem(
        [problem],
        "batch.compute_environments.big.root_volume_gib",
        "the ECS-optimised Amazon Linux 2023 AMI's root volume (/dev/xvda) comes from a 30 GiB "
        f"snapshot and EC2 refuses a smaller volume at launch; allowed: 30 to 16384 GiB, got {size}",
    )
    enough = EC2_COMPUTE + "      root_volume_gib: 30\n"
    spec = parse_spec(with_ec2_queue(EC2_JOB).replace(EC2_COMPUTE, enough, 1))
    assert spec.batch.compute_environments["big"].root_volume_gib == 30
