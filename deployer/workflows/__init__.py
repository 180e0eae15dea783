"""Step Functions workflows of a deployed environment: start, wait, executions, failures."""
