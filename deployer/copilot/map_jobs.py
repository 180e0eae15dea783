"""The keys of Scheduled Jobs (``on``, ``retries``, ``timeout``) and of Worker Services (``subscribe``)."""

from __future__ import annotations

import math

from config.yaml_source import Loc
from deployer.copilot.durations import parse_duration, whole_seconds
from deployer.copilot.models_workload import JobConfig, Subscribe
from deployer.copilot.record import FieldLog
from deployer.copilot.schedule import ScheduleError, convert

DAY_SECONDS = 86400


class JobScheduleError(ValueError):
    """``on.schedule`` is missing or not a schedule Copilot accepts."""


def map_schedule(config: JobConfig, log: FieldLog, to: Loc, name: str) -> None:
    """``on.schedule`` as ``schedule.expression`` (``none``: a service that never runs by itself)."""
    if config.on is None:
        raise JobScheduleError("on.schedule: a Scheduled Job needs a schedule")
    text = config.on.schedule.strip()
    if text == "none":
        log.put(
            ("on", "schedule"),
            (*to, "desired_count"),
            0,
            note="runs only when started: `deployer run " + name + "`",
        )
    else:
        try:
            schedule = convert(text)
        except ScheduleError as error:
            raise JobScheduleError(f"on.schedule: {error}") from None
        note = (
            f"Copilot deployed {schedule.copilot_deployed}, dropping a step of the day fields; this keeps "
            "the manifest's meaning"
            if schedule.copilot_deployed
            else ""
        )
        log.put(("on", "schedule"), (*to, "schedule", "expression"), schedule.expression, note=note)
    if config.retries is not None:
        log.manual(
            ("retries",),
            f"Copilot ran the job again after a failed run (up to {config.retries} times); schedule.retries "
            "here retries only a run that fails to start",
            "make the job retry its own work, or run it again with `deployer run` when it exits non-zero",
        )
    if config.timeout is not None:
        log.manual(
            ("timeout",),
            f"Copilot stopped a run after {config.timeout}; a run has no time limit here",
            "bound the run in the command itself "
            f"(e.g. command: [timeout, {whole_seconds(config.timeout)}, …])",
        )


def map_subscribe(subscribe: Subscribe, log: FieldLog, to: Loc) -> None:
    """The worker's queue settings; SNS subscriptions as a manual step."""
    queue = subscribe.queue
    target = (*to, "queue")
    if queue is not None:
        field: Loc = ("subscribe", "queue")
        if queue.retention is not None:
            seconds = parse_duration(queue.retention)
            days = max(1, math.ceil(seconds / DAY_SECONDS))
            exact = seconds == days * DAY_SECONDS
            note = "" if exact else f"{queue.retention} rounded up to whole days"
            log.put((*field, "retention"), (*target, "retention_days"), days, note=note)
        if queue.timeout is not None:
            log.put(
                (*field, "timeout"), (*target, "visibility_timeout_seconds"), whole_seconds(queue.timeout)
            )
        if queue.dead_letter is not None and "tries" in queue.dead_letter:
            log.put(
                (*field, "dead_letter", "tries"), (*target, "max_receive_count"), queue.dead_letter["tries"]
            )
        if queue.delay is not None:
            log.manual(
                (*field, "delay"),
                "a delivery delay on the queue is not modelled",
                "delay the messages when sending them (DelaySeconds)",
            )
        if queue.fifo is not None:
            log.manual(
                (*field, "fifo"),
                "FIFO queues are not modelled",
                "keep ordering in the app, or create a FIFO queue in your CDK app",
            )
    for index, topic in enumerate(subscribe.topics):
        log.manual(
            ("subscribe", "topics", index),
            "SNS fan-out is not modelled: the worker's queue is not subscribed to topic "
            f"{topic.name!r} of {topic.service!r}",
            "subscribe the worker's queue (stack output QueueUrl) to the topic, with a queue policy that "
            "lets the topic send (SqsSubscription in your CDK app), or have the publisher send to the "
            "queue directly",
        )
