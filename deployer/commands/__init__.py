"""The CLI's commands, one module per verb or verb family; ``common`` holds what they share."""
