"""Plain environment variables whose names look like secrets are spec errors (Security Hub ECS.8).

docs/security.md promises ``*_PASSWORD``, ``*_TOKEN``, ``*_KEY``, ``*SECRET*`` and the AWS
credential names; Security Hub's ECS.8 names ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``
and ``ECS_ENGINE_AUTH_DATA``. Each spelling below goes through the whole spec loader, in
upper, lower, mixed and camel case.
"""

from __future__ import annotations

import pytest

from config import SpecError, parse_spec
from config.loader import ENVIRONMENTS_DIR

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()
ANCHOR = "      LOG_LEVEL: info\n"
ADDED_LINE = LOCAL_TEXT[: LOCAL_TEXT.index(ANCHOR)].count("\n") + 2  # the line after the anchor

SECRET_LOOKING = [
    # Security Hub ECS.8's own list
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA", "AWS_SESSION_TOKEN",
    "aws_access_key_id", "ecs_engine_auth_data",
    # *_PASSWORD and its short forms
    "PASSWORD", "DB_PASSWORD", "db_password", "Db_Password", "DB_PASSWORD_2", "ADMIN_PASSWD", "DB_PWD",
    "dbPassword", "DbPassword",
    # *SECRET*
    "SECRET", "CLIENT_SECRET", "client_secret", "CLIENTSECRET", "clientSecret", "SECRET_KEY_BASE",
    "JWT_SECRET_VALUE",
    # *_TOKEN
    "TOKEN", "GITHUB_TOKEN", "github_token", "apiToken", "SLACK_TOKEN_URL",
    # *_KEY, API keys, private keys
    "API_KEY", "APIKEY", "api_key", "apiKey", "StripeApiKey", "PRIVATE_KEY", "PRIVATEKEY", "private_key",
    "SIGNING_KEY", "Signing_Key",
    # credentials
    "CREDENTIALS", "GOOGLE_CREDENTIALS", "google_credential", "gcpCredentials",
]  # fmt: skip
ORDINARY = [
    "LOG_LEVEL_DEBUG", "LOG_FORMAT", "TOKENIZER_MODEL", "KEYCLOAK_URL", "MONKEY_MODE", "TURKEY",
    "KEYBOARD_LAYOUT", "PWDX", "AUTHOR", "PASSWORDLESS_LOGIN", "tokenizerModel", "monkeyMode",
]  # fmt: skip


def problems_with(name: str) -> list[str]:
    text = LOCAL_TEXT.replace(ANCHOR, f"{ANCHOR}      {name}: x\n", 1)
    assert text != LOCAL_TEXT
    try:
        parse_spec(text, source="local.yaml")
    except SpecError as error:
        return [str(p) for p in error.problems]
    return []


@pytest.mark.parametrize("name", SECRET_LOOKING)
def test_secret_looking_names_in_every_spelling_are_rejected_at_their_path(name: str) -> None:
    [problem] = problems_with(name)
    assert problem.startswith(f"services.web.environment.{name} (line {ADDED_LINE}): "), problem
    assert problem.endswith(
        f"{name} looks like a secret; move it to secrets (Secrets Manager or SSM), "
        "where it is never stored in the task definition"
    )


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_names_are_accepted(name: str) -> None:
    assert problems_with(name) == []


def test_a_secret_looking_name_is_fine_under_secrets() -> None:
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db"
    text = LOCAL_TEXT.replace(ANCHOR, f'{ANCHOR}    secrets:\n      DB_PASSWORD: {{secret: "{secret}"}}\n', 1)
    assert parse_spec(text).services["web"].secrets["DB_PASSWORD"].secret == secret
