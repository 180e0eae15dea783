"""Native ECS task-definition files (``services.<name>.task_definition_file``): read as ECS
reads them, normalised, checked against ECS's own API model and rules, and against this
project's policies, before anything reaches CDK.

Every problem is a ``FileProblem``: the JSON path inside the file and what is wrong there.
"""
