"""AWS-facing operations on a deployed environment: clients, stack state, the deploy lock,
rollout verdicts, one-off tasks, status, preflight checks and teardown."""
