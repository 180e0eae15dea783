"""CDK-facing operations: the pinned CDK CLI, in-process synthesis, cloud assemblies, deploy."""
