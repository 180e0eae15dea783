"""Task-definition revisions: history, rollback, pruning, native JSON and field diffs."""
