"""CDK stacks: wiring of ``constructs_lib`` from an ``AppSpec``; no logic of their own."""
