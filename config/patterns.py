"""Regular expressions of the spec and the plain-words hint shown when a value misses one."""

from __future__ import annotations

from config.image_reference import IMAGE_REFERENCE
from config.image_reference import SHAPE as IMAGE_SHAPE

NAME = r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$"
ACCOUNT = r"^\d{12}$"
REGION = r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$"
INSTANCE_TYPE = r"^[a-z][a-z0-9-]*\.[a-z0-9]+$"
ENV_VAR_NAME = r"^[A-Za-z_][A-Za-z0-9_]{0,254}$"
IMAGE = IMAGE_REFERENCE  # the Docker reference grammar (config/image_reference.py)
CERTIFICATE_ARN = r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$"
ENVIRONMENT_KEY = "environment"  # a secret's kms_key: the environment key (alias/<app>-<env>)
S3_OBJECT_ARN = r"^arn:aws[a-z-]*:s3:::[a-z0-9.-]{3,63}/.+$"
SECRETS_MANAGER_ARN = r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$"
ABSOLUTE_PATH = r"^/.*"
REQUEST_PATH = r"^/[^\s]*$"
CONTAINER_USER = r"^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$"
PRIVATE_CA_ARN = r"^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority/[0-9a-f-]{36}$"
EFS_FILE_SYSTEM = r"^fs-[0-9a-f]{8,40}$"
EFS_ACCESS_POINT = r"^fsap-[0-9a-f]{8,40}$"
MANAGED_POLICY_ARN = r"^arn:aws[a-z-]*:iam::(\d{12}|aws):policy/[\w+=,.@/-]+$"
LOAD_BALANCER_NAME = r"^[a-z][a-z0-9]{0,15}$"
PROACTIVE_CONTROL = r"^(all|CT\.[A-Z0-9-]+\.PR\.[0-9]+)$"  # a Control Tower proactive control id
SECRET_KMS_KEY = rf"^({ENVIRONMENT_KEY}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{{12}}:key/[A-Za-z0-9-]{{1,128}})$"

PATTERN_HINTS: dict[str, str] = {
    NAME: "use lowercase letters, digits and '-', 2-32 characters, starting with a letter",
    ACCOUNT: 'an AWS account id is 12 digits, quoted in YAML ("123456789012")',
    REGION: "use an AWS region code such as us-east-1 or eu-west-2",
    INSTANCE_TYPE: "use an EC2 instance type such as t3.medium or m7g.large",
    ENV_VAR_NAME: "use letters, digits and '_', not starting with a digit",
    CERTIFICATE_ARN: "use an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<id>",
    SECRET_KMS_KEY: (
        f"use '{ENVIRONMENT_KEY}' or a KMS key ARN: arn:aws:kms:<region>:<account>:key/<id> "
        "(an alias cannot be granted decrypt rights)"
    ),
    IMAGE: f"use {IMAGE_SHAPE}",
    S3_OBJECT_ARN: "use an S3 object ARN: arn:aws:s3:::<bucket>/<key>, e.g. arn:aws:s3:::my-bucket/app.env",
    SECRETS_MANAGER_ARN: "use a Secrets Manager ARN: arn:aws:secretsmanager:<region>:<account>:secret:<name>",
    ABSOLUTE_PATH: "use an absolute path, starting with '/'",
    REQUEST_PATH: "use a request path starting with '/', without spaces, e.g. /health",
    PRIVATE_CA_ARN: "use a Private CA ARN: arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>",
    CONTAINER_USER: "use user or user:group, by name or number (1000:1000); letters, digits, '_', '.', '-'",
    EFS_FILE_SYSTEM: "use an EFS file system id: fs- and 8 to 40 hex digits (fs-0123abcd)",
    EFS_ACCESS_POINT: "use an EFS access point id: fsap- and 8 to 40 hex digits",
    MANAGED_POLICY_ARN: "use a managed policy ARN: arn:aws:iam::<account>:policy/<name>",
    PROACTIVE_CONTROL: "use a Control Tower proactive control id, CT.<SERVICE>.PR.<N> (CT.ECS.PR.3), or all",
    LOAD_BALANCER_NAME: "use 1-16 lowercase letters and digits, starting with a letter",
}
