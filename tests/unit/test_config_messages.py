"""Every spec-check message in config/, triggered by a spec that has the mistake, at its path.

tests/check_messages.py lists the messages no test quotes; each case here triggers one of
them from the local environment with one edit and compares the whole message. Boundaries
sit next to the mistake: the value that is still accepted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config import SpecError, load_spec, parse_spec
from config.loader import ENVIRONMENTS_DIR
from config.pipeline_schema import load_pipeline, parse_pipeline
from tests.check_messages import untested_messages

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()
Problems = list[tuple[str, str]]


def edited(*edits: tuple[str, str]) -> str:
    text = LOCAL_TEXT
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def after(anchor: str, added: str) -> tuple[str, str]:
    """An edit that inserts ``added`` after the first ``anchor``."""
    return anchor, anchor + added


def problems(text: str) -> Problems:
    try:
        parse_spec(text, source="local.yaml")
    except SpecError as error:
        return [(p.path, p.message) for p in error.problems]
    return []


WEB_ENV = "    environment:\n      LOG_LEVEL: info\n"
API = "  api:\n    kind: backend                 # internal: http://api:8080 through Service Connect\n"
WORKER_QUEUE = "    queue:\n      messages_per_task: 20\n      max_count: 4\n"
JOB = '    command: ["sh", "-c", "echo report done"]\n'
AUTOSCALING = "    autoscaling:\n      min_count: 1\n      max_count: 2\n"
MANAGED = "  default_capacity:\n"
GRAVITON_SIZE = "      min_capacity: 1\n      max_capacity: 2\n"
ADMIN = """\
  admin:
    kind: web
    image: public.ecr.aws/nginx/nginx-unprivileged:1.27
    user: "101"
    port: 8080
    http:
      paths: ["/admin/*"]
      priority: 10
"""
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db"
VERSION = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"
RETENTIONS = (
    "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
)

ONLY_PROBLEM = [
    (
        [after("  nat_gateways: 1\n", "  cidr: 10.0.0.0/25\n")],
        (
            "network.cidr",
            "a /25 VPC holds the subnets of 0 AZs, not max_azs 2 (each AZ takes a /24 public and a /20 "
            "private subnet): use /17 or larger for up to 6 AZs, /18 for 3, /19 for 1, or lower max_azs",
        ),
    ),
    (
        [after("  nat_gateways: 1\n", "  cidr: 10.0.0.0/15\n")],
        ("network.cidr", "a VPC block is /16 at the largest (AWS's limit)"),
    ),
    (
        [("  nat_gateways: 1\n", "  nat_gateways: 3\n")],
        ("network.nat_gateways", "3 NAT gateways for 2 AZs; allowed: 0 to 2"),
    ),
    (
        [("[m7g.medium, m6g.medium]", "[m7g.medium, m7g.medium]")],
        ("cluster.ec2_capacity.graviton.instance_types", "an instance type is listed twice"),
    ),
    (
        [(GRAVITON_SIZE, "      min_capacity: 3\n      max_capacity: 2\n")],
        ("cluster.ec2_capacity.graviton.min_capacity", "min_capacity 3 is above max_capacity 2"),
    ),
    (
        [(MANAGED, "  managed_instances:\n    flex:\n      min_vcpus: 5\n      max_vcpus: 4\n" + MANAGED)],
        ("cluster.managed_instances.flex.min_vcpus", "min_vcpus 5 is above max_vcpus"),
    ),
    (
        [
            (
                MANAGED,
                "  managed_instances:\n    flex:\n      min_memory_mib: 8193\n      max_memory_mib: 8192\n"
                + MANAGED,
            )
        ],
        ("cluster.managed_instances.flex.min_memory_mib", "min_memory_mib 8193 is above max_memory_mib"),
    ),
    (
        [after(WEB_ENV, "    log_retention_days: 45\n")],
        ("services.web.log_retention_days", f"45 is not a CloudWatch retention; allowed: {RETENTIONS}"),
    ),
    (
        [
            after(
                WEB_ENV,
                "    mounts:\n      - {volume: data1, path: /a}\n      - {volume: data2, path: /b}\n"
                "    volumes:\n      data1: {ebs: {size_gib: 1}}\n      data2: {ebs: {size_gib: 1}}\n",
            )
        ],
        ("services.web.volumes", "a task can have at most one service-managed EBS volume"),
    ),
    (
        [("writable_paths: [/tmp, /var/cache/nginx, /var/run]", "writable_paths: [tmp]")],
        ("services.web.writable_paths", "'tmp' is not an absolute path"),
    ),
    (
        [("  region: us-east-1\n", "  region: mars-1\n")],
        (
            "environment.region",
            "'mars-1' is not valid: use an AWS region code such as us-east-1 or eu-west-2",
        ),
    ),
    (
        [('  account: "123456789012"', '  account: "12345678901"')],
        (
            "environment.account",
            "'12345678901' is not valid: an AWS account id is 12 digits, quoted in YAML (\"123456789012\")",
        ),
    ),
    (
        [("[m7g.medium, m6g.medium]", "[m7g.medium, bogus]")],
        (
            "cluster.ec2_capacity.graviton.instance_types[1]",
            "'bogus' is not valid: use an EC2 instance type such as t3.medium or m7g.large",
        ),
    ),
    (
        [after(API, "    schedule:\n      expression: rate(1 hour)\n")],
        ("services.api.schedule", "'schedule' is for kind job; this service is kind backend"),
    ),
    (
        [("  container_insights: enhanced\n", "  container_insights: disabled\n")],
        (
            "services.worker.queue.min_count",
            "scaling a worker from zero reads Container Insights' RunningTaskCount: set "
            "cluster.container_insights to enhanced or enabled, or min_count to 1 or more",
        ),
    ),
    (
        [after(API, "    deployment:\n      strategy: blue_green\n")],
        (
            "services.api.deployment.strategy",
            "blue_green shifts load balancer traffic, so it needs a web service (this one is kind backend); "
            "use rolling",
        ),
    ),
    (
        [(WORKER_QUEUE, WORKER_QUEUE + "      min_count: 5\n")],
        ("services.worker.queue.min_count", "min_count 5 is above max_count"),
    ),
    (
        [after(WORKER_QUEUE, AUTOSCALING)],
        (
            "services.worker.autoscaling",
            "a worker scales on its queue backlog (queue.min_count/max_count); remove autoscaling",
        ),
    ),
    (
        [after(JOB, AUTOSCALING)],
        ("services.reports.autoscaling", "a job runs on a schedule; remove autoscaling"),
    ),
    (
        [("      min_count: 2\n      max_count: 6\n", "      min_count: 7\n      max_count: 6\n")],
        ("services.web.autoscaling.min_count", "min_count is above max_count"),
    ),
    (
        [after(API, AUTOSCALING + "      requests_per_target: 100\n")],
        (
            "services.api.autoscaling.requests_per_target",
            "requests per target come from the load balancer: web services only",
        ),
    ),
    (
        [after(API, AUTOSCALING + "      cpu_percent: null\n")],
        (
            "services.api.autoscaling",
            "give at least one target: cpu_percent, memory_percent or requests_per_target",
        ),
    ),
    (
        [
            (
                '      paths: ["/*"]\n',
                '      paths: ["/a", "/b", "/c"]\n      hosts: [a.example, b.example, c.example]\n',
            )
        ],
        (
            "services.web.http",
            "3 paths and 3 hosts make 6 condition values; an ALB rule takes at most 5 (paths plus hosts, "
            "not adjustable): use wildcards or fewer patterns",
        ),
    ),
    (
        [('      paths: ["/*"]\n', '      paths: ["api/*"]\n')],
        ("services.web.http.paths[0]", "'api/*': a path pattern starts with '/' (e.g. /api/*)"),
    ),
    (
        [('      paths: ["/*"]\n', '      paths: ["/*"]\n      priority: 10\n'), after("services:\n", ADMIN)],
        ("services.web.http.priority", "priority 10 is also used by service 'admin'"),
    ),
    (
        [("    allow_from: [web, worker]\n", "    allow_from: [web, worker, api]\n")],
        ("services.api.allow_from[2]", "a service always reaches itself; remove it"),
    ),
    (
        [after(WORKER_QUEUE, "    allow_from: [web]\n")],
        ("services.worker.allow_from", "allow_from opens the service's port: set port"),
    ),
    (
        [("    allow_from: [web, worker]\n", "    allow_from: [web, worker, zzz]\n")],
        ("services.api.allow_from[2]", "unknown service 'zzz'; services: web, api, worker, reports"),
    ),
    (
        [("    allow_from: [web, worker]\n", "    allow_from: [web, workr]\n")],
        (
            "services.api.allow_from[1]",
            "unknown service 'workr'; did you mean 'worker'? services: web, api, worker, reports",
        ),
    ),
    (
        [("[m7g.medium, m6g.medium]\n", "[m7g.medium, m6g.medium]\n      architecture: x86_64\n")],
        (
            "cluster.ec2_capacity.graviton.architecture",
            "x86_64 does not match the instance types (m7g.medium, m6g.medium are arm64)",
        ),
    ),
    (
        [after(WEB_ENV, f'    secrets:\n      DB_PASSWORD: {{secret: "{SECRET}", parameter: /shop/db}}\n')],
        (
            "services.web.secrets.DB_PASSWORD",
            "give exactly one of secret (a Secrets Manager ARN) or parameter (an SSM name or ARN)",
        ),
    ),
    (
        [
            after(
                WEB_ENV, "    secrets:\n      DB_PASSWORD: {parameter: /shop/db, version_stage: AWSCURRENT}\n"
            )
        ],
        (
            "services.web.secrets.DB_PASSWORD",
            "key, version_stage and version_id apply to Secrets Manager secrets only",
        ),
    ),
    (
        [after(WEB_ENV, "    secrets:\n      DB_PASSWORD: {parameter: /shop/db, key: password}\n")],
        (
            "services.web.secrets.DB_PASSWORD",
            "key, version_stage and version_id apply to Secrets Manager secrets only",
        ),
    ),
    (
        [
            after(
                WEB_ENV,
                f'    secrets:\n      DB_PASSWORD: {{secret: "{SECRET}", version_stage: AWSCURRENT, version_id: {VERSION}}}\n',
            )
        ],
        ("services.web.secrets.DB_PASSWORD", "give version_stage or version_id, not both"),
    ),
    (
        [
            after(
                WEB_ENV,
                '    sidecars:\n      envoy:\n        image: public.ecr.aws/nginx/nginx:1.27\n        user: "101"\n        writable_paths: [tmp]\n',
            )
        ],
        ("services.web.sidecars.envoy.writable_paths", "'tmp' is not an absolute path"),
    ),
    (
        [
            (
                "    image: public.ecr.aws/docker/library/busybox:1.37\n    cpu: 256\n    memory: 512\n",
                "    image: public.ecr.aws/docker/library/busybox:1.37\n    task_definition_file: worker.json\n",
            ),
            ('      max_count: 4\n    user: "65534"                 # nobody\n', "      max_count: 4\n"),
        ],
        ("services.worker", "task_definition_file replaces the container keys; remove: image"),
    ),
    (
        [
            (
                "    image: public.ecr.aws/docker/library/busybox:1.37\n    cpu: 256\n    memory: 512\n",
                "    image: public.ecr.aws/docker/library/busybox:1.37\n    task_definition_file: worker.json\n"
                "    sidecars:\n      log:\n        image: public.ecr.aws/docker/library/busybox:1.37\n",
            ),
            ('      max_count: 4\n    user: "65534"                 # nobody\n', "      max_count: 4\n"),
        ],
        ("services.worker", "task_definition_file replaces the container keys; remove: image, sidecars"),
    ),
    (
        [
            (
                "    image: public.ecr.aws/docker/library/busybox:1.37\n    cpu: 256\n    memory: 512\n    capacity:",
                "    cpu: 256\n    memory: 512\n    capacity:",
            )
        ],
        ("services.worker.image", "required key is missing (or give task_definition_file)"),
    ),
    (
        [after(WEB_ENV, "    deployment:\n      strategy: linear\n      step_percent: 2\n")],
        ("services.web.deployment.step_percent", "linear steps are 3 to 100 percent"),
    ),
    (
        [after(WEB_ENV, "    deployment:\n      step_bake_minutes: 2\n")],
        (
            "services.web.deployment.step_bake_minutes",
            "'step_bake_minutes' is for canary or linear deployments",
        ),
    ),
    (
        [after(WEB_ENV, "    depends_on: {web: START}\n")],
        ("services.web.depends_on.web", "unknown container 'web'; other containers: none"),
    ),
    (
        [after(WEB_ENV, "    allow_from: [api]\n")],
        (
            "services.web.allow_from",
            "web → api → web: each caller's stack holds the rule into the service it calls, so calls cannot go "
            "both ways; route one direction through a queue or merge the services",
        ),
    ),
    (
        [after(WEB_ENV, "    permissions:\n      - parameter: {name: /shop/bad name}\n")],
        (
            "services.web.permissions[0].parameter.name",
            "'/shop/bad name' is not a parameter name (/app/key) or a path ending in '/' (/app/config/)",
        ),
    ),
]


@pytest.mark.parametrize(("edits", "expected"), ONLY_PROBLEM)
def test_the_one_problem_of_each_mistake(edits: list[tuple[str, str]], expected: tuple[str, str]) -> None:
    assert problems(edited(*edits)) == [expected]


@pytest.mark.parametrize(
    "edits",
    [
        [after("  nat_gateways: 1\n", "  cidr: 10.0.0.0/16\n")],
        # (a /19 holds one AZ, too few for the web services' load balancer: test_spec_shapes)
        [after("  nat_gateways: 1\n", "  cidr: 10.0.0.0/18\n"), ("  max_azs: 2\n", "  max_azs: 3\n")],
        [("  nat_gateways: 1\n", "  nat_gateways: 2\n")],
        [("  nat_gateways: 1\n", "  nat_gateways: 0\n")],
        [(GRAVITON_SIZE, "      min_capacity: 2\n      max_capacity: 2\n")],
        [(MANAGED, "  managed_instances:\n    flex:\n      min_vcpus: 4\n      max_vcpus: 4\n" + MANAGED)],
        [(WORKER_QUEUE, WORKER_QUEUE + "      min_count: 4\n")],
        [("      min_count: 2\n      max_count: 6\n", "      min_count: 6\n      max_count: 6\n")],
        [after(WEB_ENV, "    log_retention_days: 3653\n")],
        [('      paths: ["/*"]\n', '      paths: ["/a", "/b", "/c"]\n      hosts: [a.example, b.example]\n')],
        [('      paths: ["/*"]\n', '      paths: ["*"]\n')],
        [after(API, AUTOSCALING + "      cpu_percent: null\n      memory_percent: 70\n")],
        [
            (
                MANAGED,
                "  managed_instances:\n    flex:\n      min_memory_mib: 8192\n      max_memory_mib: 8192\n"
                + MANAGED,
            )
        ],
        [('      paths: ["/*"]\n', '      paths: ["/*"]\n      priority: 11\n'), after("services:\n", ADMIN)],
        [after(WEB_ENV, f'    secrets:\n      A_KEY: {{secret: "{SECRET}", version_stage: AWSPREVIOUS}}\n')],
        [after(WEB_ENV, f'    secrets:\n      A_KEY: {{secret: "{SECRET}", version_id: {VERSION}}}\n')],
        [after(WEB_ENV, "    deployment:\n      strategy: linear\n      step_percent: 3\n")],
    ],
)
def test_the_accepted_value_next_to_each_mistake(edits: list[tuple[str, str]]) -> None:
    assert problems(edited(*edits)) == []


def test_a_sidecar_named_like_its_service() -> None:
    text = edited(
        after(
            WEB_ENV,
            "    sidecars:\n      web:\n        image: public.ecr.aws/nginx/nginx-unprivileged:1.27\n",
        )
    )
    assert ("services.web.sidecars.web", "a sidecar cannot have the service's own name") in problems(text)


def test_an_environment_that_requires_digests() -> None:
    found = problems(edited(after("  target: local\n", "  require_image_digests: true\n")))
    nginx = "'public.ecr.aws/nginx/nginx-unprivileged:1.27' has no @sha256 digest; this environment requires digests"
    busybox = "'public.ecr.aws/docker/library/busybox:1.37' has no @sha256 digest; this environment requires digests"
    assert found == [
        ("services.web.image", nginx),
        ("services.api.image", nginx),
        ("services.worker.image", busybox),
        ("services.reports.image", busybox),
        ("batch.jobs.thumbnails.image", busybox),
    ]


def test_web_on_aws_needs_a_certificate() -> None:
    message = (
        "web services in an aws environment are served over HTTPS: give an ACM certificate ARN "
        "(only a local target may serve plain HTTP)"
    )
    assert ("load_balancer.certificate_arn", message) in problems(
        edited(("  target: local\n", "  target: aws\n"))
    )


def test_a_malformed_certificate_arn() -> None:
    found = problems(LOCAL_TEXT + "load_balancer:\n  certificate_arn: nope\n")
    assert found == [
        (
            "load_balancer.certificate_arn",
            "'nope' is not valid: use an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<id>",
        )
    ]


def test_a_job_takes_no_connections() -> None:
    found = problems(edited(after(JOB, "    allow_from: [web]\n")))
    assert ("services.reports.allow_from", "a job runs to completion and takes no connections") in found


def test_a_file_that_is_not_a_mapping() -> None:
    assert problems("- web\n- api\n") == [("", "the file must be a YAML mapping of keys")]


ACCOUNT = "123456789012"


@pytest.mark.parametrize(
    ("item", "path", "message"),
    [
        ('s3: {bucket: "arn:aws:s3:::Shop"}', "s3.bucket",
         "'arn:aws:s3:::Shop' is not an S3 bucket ARN: arn:aws:s3:::<bucket-name>"),
        ('s3: {bucket: "arn:aws:s3:::shop", prefix: "in*"}', "s3.prefix",
         "'in*' is not a key prefix such as incoming/ (letters, digits, ! _ . ' ( ) / -; no wildcards)"),
        ("sqs: {queue: orders, access: send}", "sqs.queue",
         "'orders' is not an SQS queue ARN: arn:aws:sqs:<region>:<account>:<queue-name>"),
        ("sns: {topic: events}", "sns.topic",
         "'events' is not an SNS topic ARN: arn:aws:sns:<region>:<account>:<topic-name>"),
        (f'kms: {{key: "arn:aws:kms:us-east-1:{ACCOUNT}:alias/app"}}', "kms.key",
         f"'arn:aws:kms:us-east-1:{ACCOUNT}:alias/app' is not a KMS key ARN: "
         "arn:aws:kms:<region>:<account>:key/<key-id> (not an alias)"),
        (f'parameter: {{name: "arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/"}}', "parameter.name",
         f"'arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/': give a parameter path by name (/app/config/), "
         "in this account and region"),
        (f'parameter: {{name: "arn:aws:ssm:us-east-1:{ACCOUNT}:param/app"}}', "parameter.name",
         f"'arn:aws:ssm:us-east-1:{ACCOUNT}:param/app' is not an SSM parameter ARN: "
         "arn:aws:ssm:<region>:<account>:parameter/<name>"),
    ],
)  # fmt: skip
def test_permission_shapes(item: str, path: str, message: str) -> None:
    found = problems(edited(after(WEB_ENV, f"    permissions:\n      - {item}\n")))
    assert found == [(f"services.web.permissions[0].{path}", message)]


PIPELINE = """\
name: shop-delivery
account: "333333333333"
region: eu-west-1
source:
  connection_arn: arn:aws:codeconnections:eu-west-1:333333333333:connection/0f1e2d3c-4b5a-6978
  repository: example-org/shop-infra
stages:
  - environment: dev
  - environment: prod
"""


def pipeline_problems(text: str) -> Problems:
    with pytest.raises(SpecError) as caught:
        parse_pipeline(text)
    return [(p.path, p.message) for p in caught.value.problems]


def test_pipeline_account_must_be_quoted() -> None:
    found = pipeline_problems(PIPELINE.replace('account: "333333333333"', "account: 333333333333"))
    assert found == [("account", "333333333333 must be quoted: an AWS account id is 12 digits, as a string")]


def test_pipeline_stage_listed_twice() -> None:
    found = pipeline_problems(PIPELINE.replace("environment: prod", "environment: dev"))
    assert found == [("stages[1].environment", "'dev' is listed twice; each environment is one stage")]


def test_pipeline_stage_must_target_aws(tmp_path: Path) -> None:
    path = tmp_path / "pipeline.yaml"
    path.write_text(PIPELINE.replace("environment: prod", "environment: local"))
    with pytest.raises(SpecError) as caught:
        load_pipeline(path)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        (
            "stages[1].environment",
            "'local' has target 'local'; a pipeline deploys only environments with target 'aws'",
        )
    ]


def test_no_pipeline_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        load_pipeline(tmp_path / "pipeline.yaml")
    assert [(p.path, p.message) for p in caught.value.problems] == [("", "no pipeline file; see docs/ci.md")]


def test_a_task_definition_file_that_is_not_json(tmp_path: Path) -> None:
    environments = tmp_path / "environments"
    environments.mkdir()
    (tmp_path / "worker.json").write_text("{not json")
    (environments / "local.yaml").write_text(
        LOCAL_TEXT.replace(
            "    image: public.ecr.aws/docker/library/busybox:1.37\n    cpu: 256\n    memory: 512\n    capacity:",
            "    task_definition_file: worker.json\n    capacity:",
            1,
        ).replace('    user: "65534"                 # nobody\n', "", 1)
    )
    with pytest.raises(SpecError) as caught:
        load_spec("local", environments)
    [problem] = caught.value.problems
    assert problem.path == "services.worker.task_definition_file"
    assert problem.message == (
        "worker.json: not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"
    )


def test_every_message_in_config_is_quoted_by_a_test() -> None:
    """tests/check_messages.py: a new message needs a test that triggers it and checks it."""
    assert [str(m) for m in untested_messages()] == []


def test_a_yaml_number_or_boolean_where_text_is_wanted_says_to_quote_it() -> None:
    text = edited(
        after("      LOG_LEVEL: info\n", "      PORT: 8080\n      DEBUG: true\n      RATIO: 1.5\n"),
        ('user: "101"', "user: 101"),
    )
    assert problems(text) == [
        ("services.web.user", '101 is a number in YAML and this value is text: write it in quotes as you '
         'mean it, e.g. "101"'),
        ("services.web.environment.PORT", '8080 is a number in YAML and this value is text: write it in '
         'quotes as you mean it, e.g. "8080"'),
        ("services.web.environment.DEBUG", 'true is a boolean in YAML and this value is text: write it in '
         'quotes as you mean it, e.g. "true"'),
        ("services.web.environment.RATIO", '1.5 is a number in YAML and this value is text: write it in '
         'quotes as you mean it, e.g. "1.5"'),
    ]  # fmt: skip
    quoted = edited(after("      LOG_LEVEL: info\n", '      PORT: "8080"\n      DEBUG: "true"\n'))
    assert problems(quoted) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("cpu: 256", "cpu: 0.5"), ("services.web.cpu", "0.5 is not a whole number; cpu is in CPU units: "
                                    "1024 is 1 vCPU, so 0.5 vCPU is 512")),
        (("memory: 512", "memory: 512Mi"), ("services.web.memory", "'512Mi' is text; give a number, without "
                                            "quotes; memory is in MiB: 1024 is 1 GiB, so 512Mi is 512 and "
                                            "2GB is 2048")),
        (("desired_count: 2", "desired_count: 1.5"), ("services.web.desired_count",
                                                      "1.5 is not a whole number; give a whole number")),
    ],
)  # fmt: skip
def test_a_size_in_another_tools_units_names_this_ones(
    edit: tuple[str, str], expected: tuple[str, str]
) -> None:
    assert problems(edited(edit)) == [expected]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("command: [\"sh\", \"-c\", \"echo report done\"]", "command: bin/report --all"),
         ("services.reports.command", "'bin/report --all' is one text and command is a list of arguments, "
          'which ECS runs without a shell: write ["bin/migrate", "--all"], or ["sh", "-c", "<the line>"] '
          "for a shell line")),
        (('      command: ["CMD-SHELL", "wget -q -O /dev/null http://localhost:8080/ || exit 1"]',
          "      command: wget -q -O- http://localhost:8080/"),
         ("services.web.health_check.command", "'wget -q -O- http://localhost:8080/' is one text and "
          'health_check.command is a list: write ["CMD-SHELL", "<the line>"] to run the line in a shell, '
          'or ["CMD", "<program>", "<argument>", …]')),
        (('      paths: ["/*"]', "      paths: /*"),
         ("services.web.http.paths", "'/*' is one text and paths is a list: write [/*], or one '- item' "
          "line each")),
        (("    environment:\n      LOG_LEVEL: info\n", "    environment:\n      - LOG_LEVEL=info\n"),
         ("services.web.environment", "this is a list and the spec takes a mapping here: one 'key: value' "
          "line each (LOG_LEVEL: info)")),
    ],
)  # fmt: skip
def test_the_shape_other_tools_allow_is_named_with_this_ones(
    edit: tuple[str, str], expected: tuple[str, str]
) -> None:
    """A command as one line (Copilot and docker compose split it), a single path, and the
    NAME=value list docker compose takes for environment."""
    assert problems(edited(edit)) == [expected]
