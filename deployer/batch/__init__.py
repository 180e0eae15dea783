"""AWS Batch operations on a deployed environment: submit (without double submits), wait, status."""
