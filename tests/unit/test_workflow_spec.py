"""The ``triggers`` and ``workflows`` sections: what they accept, what they refuse and how the
refusal reads (the YAML path, the line, what to write instead).

Limits come from AWS's own models: botocore's EventBridge (EventPattern length, retry attempts,
event age, event bus names) and Step Functions (state machine and execution names) shapes.
"""

from __future__ import annotations

import re

import botocore.session
import pytest

from config import load_spec, naming, parse_spec
from config.event_patterns import EVENT_PATTERN_MAX
from config.trigger_schema import EVENT_BUS_NAME, TriggerSpec
from config.workflow_checks import STATE_MACHINE_NAME_MAX, walk_steps
from config.workflow_schema import RESERVED_STEP_NAMES, StepSpec, iam_description_problem
from tests.spec_problems import TEXTS, assert_problem, refused
from tests.unit.test_workflows_stack import FAN_OUT, definition, state_machine

LOCAL = TEXTS["local"]
EVENTS = botocore.session.get_session().get_service_model("events")
IAM = botocore.session.get_session().get_service_model("iam")
STATES = botocore.session.get_session().get_service_model("stepfunctions")
WORKFLOWS = LOCAL[LOCAL.index("workflows:\n") :]
BEFORE_WORKFLOWS = LOCAL[: LOCAL.index("workflows:\n")]
REPORTS_TRIGGER = "    triggers:                     # and whenever an export lands in the uploads bucket\n"
LAST_TRIGGER_LINE = "          prefix: exports/\n"


def with_workflow(body: str) -> str:
    """The local file with a second workflow ``extra`` holding ``body`` (indented 4)."""
    return LOCAL + "  extra:\n" + "".join(f"    {line}\n" for line in body.strip("\n").splitlines())


def with_trigger(body: str) -> str:
    """The local file whose reports job has a second trigger: ``body`` (a list item, indented 6)."""
    lines = "".join(f"      {line}\n" for line in body.strip("\n").splitlines())
    return LOCAL.replace(LAST_TRIGGER_LINE, LAST_TRIGGER_LINE + lines, 1)


def test_local_has_a_triggered_job_and_a_two_step_workflow() -> None:
    spec = load_spec("local")
    (trigger,) = spec.services["reports"].triggers
    assert trigger.event_pattern == {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": ["shop-local-uploads"]}, "object": {"key": [{"prefix": "exports/"}]}},
    }
    assert trigger.event_fields == {"S3_BUCKET": "$.detail.bucket.name", "S3_KEY": "$.detail.object.key"}
    assert trigger.summary == "S3 shop-local-uploads/exports/"
    nightly = spec.workflows["nightly"]
    assert [(s.name, s.run) for _, s in walk_steps(nightly.steps, ())] == [
        ("export", "reports"),
        ("report", "reports"),
    ]
    assert nightly.steps[1].retry.attempts == 2 and nightly.steps[1].retry.backoff_rate == 2.0


def test_a_pattern_trigger_keeps_its_pattern_and_maps_event_values() -> None:
    spec = parse_spec(
        with_trigger(
            """
- pattern: {source: [shop.orders], detail-type: [OrderPlaced], detail: {total: [{numeric: [">", 100]}]}}
  bus: orders
  from_event: {ORDER_ID: $.detail.id}
  retries: 0
  max_event_age_seconds: 60
"""
        )
    )
    trigger = spec.services["reports"].triggers[1]
    assert trigger.event_pattern["detail"] == {"total": [{"numeric": [">", 100]}]}
    assert trigger.event_fields == {"ORDER_ID": "$.detail.id"}
    assert trigger.summary == "events from shop.orders (bus orders)"


def test_retry_and_age_limits_are_eventbridges() -> None:
    retry = EVENTS.shape_for("MaximumRetryAttempts").metadata
    age = EVENTS.shape_for("MaximumEventAgeInSeconds").metadata
    fields = TriggerSpec.model_fields
    limits = {
        (m.__class__.__name__, getattr(m, "ge", getattr(m, "le", None))) for m in fields["retries"].metadata
    }
    assert limits == {("Ge", retry["min"]), ("Le", retry["max"])}
    limits = {
        (m.__class__.__name__, getattr(m, "ge", getattr(m, "le", None)))
        for m in fields["max_event_age_seconds"].metadata
    }
    assert limits == {("Ge", age["min"]), ("Le", age["max"])}
    assert EVENTS.shape_for("EventPattern").metadata["max"] == EVENT_PATTERN_MAX
    bus = EVENTS.shape_for("EventBusName").metadata
    botocore_bus = re.compile(f"^(?:{bus['pattern']})$")
    for name in (
        "default",
        "orders",
        "my.bus-1_a/b",
        "x" * bus["max"],
        "x" * (bus["max"] + 1),
        "a b",
        "",
        "é",
    ):
        within = bus["min"] <= len(name) <= bus["max"] and botocore_bus.match(name) is not None
        assert (re.match(EVENT_BUS_NAME, name) is not None) == within, name


def test_state_machine_and_step_names_fit_step_functions() -> None:
    assert STATES.shape_for("Name").metadata["max"] == STATE_MACHINE_NAME_MAX
    longest = "a" * STATE_MACHINE_NAME_MAX
    assert StepSpec(name=longest, run="reports").name == longest
    with pytest.raises(ValueError, match="is not a step name"):
        StepSpec(name=longest + "a", run="reports")


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        (with_trigger("- s3: {bucket: Shop_Uploads}"), "services.reports.triggers[1].s3.bucket",
         "is not an S3 bucket name: 3-63 lowercase letters"),
        (with_trigger("- {s3: {bucket: shop-uploads}, pattern: {source: [x]}}"),
         "services.reports.triggers[1]", "give exactly one of s3 and pattern per trigger"),
        (with_trigger("- {retries: 1}"), "services.reports.triggers[1]",
         "give exactly one of s3 and pattern per trigger"),
        (with_trigger("- {s3: {bucket: shop-uploads}, bus: orders}"), "services.reports.triggers[1]",
         "S3 sends its events to the default bus: remove bus"),
        (with_trigger("- {pattern: {source: [x]}, bus: 'orders bus'}"), "services.reports.triggers[1].bus",
         "is not an event bus name: 1-256 letters"),
        (with_trigger("- {pattern: {}}"), "services.reports.triggers[1]",
         "an event pattern needs at least one field"),
        (with_trigger("- {pattern: {sources: [x]}}"), "services.reports.triggers[1]",
         "'sources' is not a field of an event; the top level takes: version, id, detail-type, source"),
        (with_trigger("- {pattern: {source: x}}"), "services.reports.triggers[1]",
         "source: give a non-empty list of values, e.g. [x]"),
        (with_trigger("- {pattern: {detail: {state: []}}}"), "services.reports.triggers[1]",
         "detail.state: give a non-empty list of values"),
        (with_trigger("- {pattern: {detail: {}}}"), "services.reports.triggers[1]",
         "detail: an empty mapping matches nothing; give its fields or remove it"),
        (with_trigger("- {pattern: {detail: {key: [{starts: a}]}}}"), "services.reports.triggers[1]",
         "detail.key: a filter is one of prefix, suffix, anything-but"),
        (with_trigger("- {pattern: {source: [[a]]}}"), "services.reports.triggers[1]",
         "source: a list inside a list matches nothing; flatten it"),
        (with_trigger("- {pattern: {$or: [{source: [a]}]}}"), "services.reports.triggers[1]",
         "$or: $or takes a list of two or more patterns"),
        (with_trigger("- {pattern: {source: [" + ", ".join(["a" * 60] * 70) + "]}}"),
         "services.reports.triggers[1]", "the event pattern is longer than EventBridge's 4096 characters"),
        (with_trigger("- {s3: {bucket: shop-uploads}, from_event: {KEY: detail.key}}"),
         "services.reports.triggers[1].from_event.KEY", "is not a JSON path: use $ or $.field.field"),
        (with_trigger("- {s3: {bucket: shop-uploads}, from_event: {"
                      + ", ".join(f"V{i}: $.detail.v{i}" for i in range(99)) + "}}"),
         "services.reports.triggers[1]", "at most 100 values of the event (EventBridge's limit)"),
    ],
)  # fmt: skip
def test_bad_triggers_name_the_path_and_what_is_allowed(text: str, path: str, fragment: str) -> None:
    assert_problem(refused(text), path, fragment)


FILTER_MISTAKES = [
    ("{numeric: ['>=', '10']}", "numeric compares with numbers: '10' is not one (write 10, not '10')"),
    ("{numeric: ['>=']}", "numeric takes [operator, number] or two of them, e.g. ['>=', 10, '<', 20]"),
    ("{numeric: ['=>', 10]}", "numeric operators are <, <=, =, >, >=, not '=>'"),
    ("{exists: 'true'}", "exists takes true or false, not 'true'"),
    ("{wildcard: 'a**b'}", "wildcard 'a**b' has consecutive wildcards (**), which EventBridge refuses"),
    ("{cidr: bad}", "cidr takes an IPv4 or IPv6 block such as 10.0.0.0/24, not 'bad'"),
    ("{prefix: 3}", "prefix takes text or {equals-ignore-case: text}, not 3"),
    ("{equals-ignore-case: [a]}", "equals-ignore-case takes text, not ['a']"),
    ("{anything-but: {prefix: 3}}", "anything-but prefix takes text or {equals-ignore-case: text}, not 3"),
    ("{anything-but: []}", "anything-but takes a value or a non-empty list of texts or numbers, not []"),
    ("{anything-but: {numeric: ['>', 1]}}", "anything-but takes values, or one of prefix, suffix, wildcard"),
]


@pytest.mark.parametrize(("item", "message"), FILTER_MISTAKES)
def test_a_filter_takes_the_value_eventbridge_takes(item: str, message: str) -> None:
    """They validated and synthesised; EventBridge's PutRule refuses them at deploy."""
    text = with_trigger(f"- {{pattern: {{detail: {{size: [{item}]}}}}}}")
    assert_problem(refused(text), "services.reports.triggers[1]", f"detail.size: {message}")


def test_the_filters_eventbridge_documents_are_accepted() -> None:
    filters = (
        "{numeric: ['>', 0, '<=', 5]}, {numeric: ['=', 3.5]}, {exists: false}, {prefix: img/}, "
        "{suffix: {equals-ignore-case: .PNG}}, {anything-but: [a, 1]}, {anything-but: {prefix: tmp/}}, "
        "{anything-but: x}, {equals-ignore-case: Shop}, {wildcard: 'img/*.png'}, {cidr: 10.0.0.0/24}, "
        "{cidr: '2001:db8::/32'}"
    )
    parse_spec(with_trigger(f"- {{pattern: {{detail: {{size: [{filters}]}}}}}}"))


def test_pattern_or_alternatives_are_checked_too() -> None:
    text = with_trigger("- {pattern: {$or: [{source: [a]}, {detail: {k: v}}]}}")
    assert_problem(refused(text), "services.reports.triggers[1]", "detail.k: give a non-empty list of values")
    parse_spec(with_trigger("- {pattern: {$or: [{source: [a]}, {detail-type: [b]}]}}"))  # accepted


def test_triggers_are_for_jobs_only() -> None:
    text = LOCAL.replace(
        "    allow_from: [web, worker]\n",
        "    allow_from: [web, worker]\n    triggers: [{pattern: {source: [x]}}]\n",
        1,
    )
    assert_problem(
        refused(text), "services.api.triggers", "'triggers' is for kind job; this service is kind backend"
    )


def test_a_job_needs_a_schedule_triggers_or_a_workflow_step() -> None:
    without_schedule = LOCAL.replace("    schedule:\n      expression: cron(0 3 * * ? *)\n", "", 1)
    parse_spec(without_schedule)  # its trigger and the workflow start it
    alone = BEFORE_WORKFLOWS.replace("    schedule:\n      expression: cron(0 3 * * ? *)\n", "", 1)
    alone = (
        alone[: alone.index(REPORTS_TRIGGER)] + alone[alone.index("    capacity:\n      - provider: spot") :]
    )
    assert_problem(
        refused(alone),
        "services.reports.schedule",
        "a job needs a schedule (e.g. expression: cron(0 3 * * ? *)), "
        "triggers, or a workflow step that runs it",
    )
    parse_spec(alone + WORKFLOWS)  # a workflow step is enough


@pytest.mark.parametrize(
    ("body", "path", "fragment"),
    [
        ("steps: [{name: a, run: reprots}]", "workflows.extra.steps[0].run",
         "unknown service 'reprots'; did you mean 'reports'? services: web, api, worker, reports"),
        ("steps: [{name: a}]", "workflows.extra.steps[0]",
         "give exactly one of run, parallel and map per step"),
        ("steps: [{name: a, run: reports, map: {items: $.x, steps: [{name: b, run: reports}]}}]",
         "workflows.extra.steps[0]", "give exactly one of run, parallel and map per step (found run, map)"),
        ("steps: [{name: a, parallel: [[{name: b, run: reports}], [{name: c, run: reports}]], command: [x]}]",
         "workflows.extra.steps[0]", "command: for a run step only"),
        ("steps: [{name: a, parallel: [[{name: b, run: reports}], []]}]", "workflows.extra.steps[0]",
         "a parallel branch needs at least one step"),
        ("steps: [{name: a, run: reports}, {name: a, run: reports}]", "workflows.extra.steps[1].name",
         "step name 'a' is used twice in this workflow"),
        ("steps: [{name: a, parallel: [[{name: b, run: reports}], [{name: b, run: reports}]]}]",
         "workflows.extra.steps[0].parallel[1][0].name", "step name 'b' is used twice in this workflow"),
        ("steps: [{name: 'a b', run: reports}]", "workflows.extra.steps[0].name",
         "is not a step name: 1-80 letters, digits, '-' and '_'"),
        ("steps: [{name: Failed, run: reports}]", "workflows.extra.steps[0].name",
         "is the name of the state that handles a failed step; choose another name"),
        ("steps: [{name: NotifyFailure, run: reports}]", "workflows.extra.steps[0].name",
         "'NotifyFailure' is the name of the state that handles a failed step"),
        ("description: export the day\u2019s orders\nsteps: [{name: a, run: reports}]",
         "workflows.extra.description", "character 15, '\u2019' (U+2019), cannot be in an IAM role"),
        ("description: nightly \u2014 report\nsteps: [{name: a, run: reports}]",
         "workflows.extra.description", "use printable ASCII and Latin-1 letters, e.g. ' for a curly quote"),
        ("description: report \U0001f4ca\nsteps: [{name: a, run: reports}]",
         "workflows.extra.description", "character 8, '\U0001f4ca' (U+1F4CA)"),
        ("description: \u65e5\u6b21\u30ec\u30dd\u30fc\u30c8\nsteps: [{name: a, run: reports}]",
         "workflows.extra.description", "character 1, '\u65e5' (U+65E5)"),
        ("steps: [{name: a, run: api}]", "workflows.extra.steps[0].command",
         "api is a backend service: its task runs until stopped; give the command the step runs"),
        ("steps: [{name: a, run: reports, environment: {K: v}, from_input: {K: $.k}}]",
         "workflows.extra.steps[0].from_input", "K also set in environment; keep one"),
        ("steps: [{name: a, map: {items: files, steps: [{name: b, run: reports}]}}]",
         "workflows.extra.steps[0].map.items", "is not a JSON path"),
        ("steps: [{name: a, run: reports}]\nlog_retention_days: 8", "workflows.extra.log_retention_days",
         "8 is not a CloudWatch retention; allowed: 1, 3, 5, 7, 14"),
        ("steps: [{name: a, run: reports, retry: {attempts: 100}}]",
         "workflows.extra.steps[0].retry.attempts", "less than or equal to 99"),
    ],
)  # fmt: skip
def test_bad_workflows_name_the_path_and_what_is_allowed(body: str, path: str, fragment: str) -> None:
    assert_problem(refused(with_workflow(body)), path, fragment)


def test_a_secret_is_never_overridden_in_plain_text() -> None:
    text = LOCAL.replace(
        "      LOG_LEVEL: info\n",
        "      LOG_LEVEL: info\n    secrets:\n      DB_PASSWORD: {parameter: /shop/db}\n",
        1,
    )
    body = "steps: [{name: a, run: web, command: [migrate], environment: {DB_PASSWORD: x}}]"
    assert_problem(
        refused(text + "  extra:\n" + f"    {body}\n"),
        "workflows.extra.steps[0].environment",
        "DB_PASSWORD is a secret of web; an override would replace it in plain text",
    )


def test_a_long_state_machine_name_is_refused() -> None:
    app, env = "a" * 30, "e" * 32  # names of 32 characters at most, but <app>-<env>-<workflow> may pass 80
    text = LOCAL.replace("app: shop", f"app: {app}", 1).replace("  name: local", f"  name: {env}", 1)
    text += "  nightly-export-all:\n    steps: [{name: a, run: reports}]\n"
    assert len(f"{app}-{env}-nightly-export-all") > STATE_MACHINE_NAME_MAX
    assert_problem(
        refused(text),
        "workflows.nightly-export-all",
        f"the state machine name '{app}-{env}-nightly-export-all' is longer than 80 characters",
    )


def test_parallel_map_and_workflow_triggers_are_accepted() -> None:
    fan_out = parse_spec(LOCAL + FAN_OUT).workflows["fan-out"]
    names = [step.name for _, step in walk_steps(fan_out.steps, ())]
    assert names == ["both", "left", "right", "per-file", "resize"]
    assert fan_out.steps[1].map is not None and fan_out.steps[1].map.max_concurrency == 3
    assert fan_out.steps[1].map.steps[0].retry.attempts == 0
    assert fan_out.triggers[0].summary == "S3 shop-local-uploads/batches/"
    assert fan_out.tracing is True


def test_reserved_step_names_are_the_construct_states() -> None:
    from constructs_lib.workflow import STATE_NAMES

    assert set(RESERVED_STEP_NAMES) == set(STATE_NAMES)


def test_workflow_descriptions_take_iams_role_description_pattern() -> None:
    pattern = IAM.shape_for("roleDescriptionType").metadata["pattern"]
    assert pattern == "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*"
    for code in range(0x300):
        char = chr(code)
        allowed = re.fullmatch(pattern, char) is not None
        assert (iam_description_problem(char) is None) == allowed, hex(code)


def test_a_step_may_take_the_name_of_any_other_child_of_the_workflow_construct() -> None:
    """Steps' states live in a scope of their own: Role, Executions, StateMachine... are free."""
    from constructs_lib.workflow import STATE_NAMES
    from stacks.app_builder import build_environment
    from stacks.workflow_stack import WorkflowStack
    from tests.harness import make_app

    children = ["Executions", "ExecutionsFailed", "ImmutableRoleRole", "Role", "StateMachine", "Steps"]
    steps = ", ".join(f"{{name: {child}, run: reports}}" for child in children)
    text = with_workflow(f"description: caf\u00e9 cr\u00e8me, 'nightly' - report\nsteps: [{steps}]")
    app = make_app()
    stacks = build_environment(app, parse_spec(text))
    workflows = next(s for s in stacks if isinstance(s, WorkflowStack)).workflows
    # Every child the construct makes (shipped nightly, with its triggers, and extra) is named by
    # a step above: a new child must join the list.
    for name in ("nightly", "extra"):
        assert sorted({c.node.id for c in workflows[name].node.children} - set(STATE_NAMES)) == children
    template = app.synth().get_stack_by_name("shop-local-workflows").template
    asl = definition(state_machine(template, "shop-local-extra"))
    assert set(children) | set(STATE_NAMES) == set(asl["States"])
    descriptions = [r["Properties"].get("Description") for r in template["Resources"].values()]
    assert "Step Functions runs workflow caf\u00e9 cr\u00e8me, 'nightly' - report" in descriptions


def test_execution_input_paths_take_the_documented_shapes() -> None:
    from config.trigger_schema import JSON_PATH

    for good in ("$", "$.detail.object.key", "$.files[0]", "$.a_b.c-d"):
        assert re.match(JSON_PATH, good), good
    for bad in ("detail", "$.", "$..x", "$.a b", "$['x']"):
        assert not re.match(JSON_PATH, bad), bad


TRIGGERED_AB = (
    "  ab:\n    triggers: [{s3: {bucket: shop-local-uploads}}]\n    steps: [{name: a, run: reports}]\n"
)


def a_workflow(name: str) -> str:
    return f"  {name}:\n    steps: [{{name: a, run: reports}}]\n"


@pytest.mark.parametrize(
    ("added", "path", "fragment"),
    [
        (a_workflow("report-2") + a_workflow("report2"), "workflows.report2",
         "'report2' and workflow 'report-2' would both give the stack output StateMachineArnReport2"),
        (TRIGGERED_AB + a_workflow("ab-trigger-rule0"), "workflows.ab-trigger-rule0",
         "would both give the stack output StateMachineArnAbTriggerRule0"),
        (a_workflow("ab-trigger-dead-letter-queue-url") + TRIGGERED_AB, "workflows.ab",
         "'ab' and workflow 'ab-trigger-dead-letter-queue-url' would both give the stack output"),
    ],
)  # fmt: skip
def test_workflows_whose_outputs_clash_are_refused(added: str, path: str, fragment: str) -> None:
    assert_problem(refused(LOCAL + added), path, fragment)


def test_workflow_outputs_are_the_ones_the_stack_gives() -> None:
    """The nearest accepted variant (the rule of trigger 0 next to a workflow ab-trigger-rule1)
    synthesises, with exactly the outputs the check counts on."""
    from tests.harness import synthesise

    spec = parse_spec(LOCAL + TRIGGERED_AB + a_workflow("ab-trigger-rule1"))
    template = synthesise(spec).templates["shop-local-workflows"]
    expected = {
        output
        for name, w in spec.workflows.items()
        for output in naming.workflow_outputs(name, len(w.triggers), bool(w.schedule or w.triggers))
    }
    assert set(template["Outputs"]) == expected
    assert "StateMachineArnAbTriggerRule0" in expected and "StateMachineArnAbTriggerRule1" in expected
