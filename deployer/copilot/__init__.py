"""``deployer import copilot``: an AWS Copilot workspace read into this project's specs.

Reads ``copilot/.workspace``, ``copilot/environments/<env>/manifest.yml`` and
``copilot/<service>/manifest.yml``, and writes one environment spec per Copilot environment
plus a migration report saying, per manifest field, what it became or what to do by hand.
"""
