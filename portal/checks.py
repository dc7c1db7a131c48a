"""Deploy checks (``manage.py check --deploy``) of the identity-number keys.

``IDENTITY_ENCRYPTION_KEY`` is a Fernet key: 32 bytes once URL-safe base64 is
decoded, as ``portal.identity`` decodes it. ``IDENTITY_HASH_KEY`` keys the HMAC
that finds identity numbers: at least 32 bytes, or the numbers (a small space)
can be tried one by one. Neither may be a key committed in this repository
(``config/settings/dev.py`` and ``test.py``): those are published.
"""

import ast
import base64
import binascii
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_HASH_KEY_BYTES = 32
_KEY_SETTINGS = ("IDENTITY_ENCRYPTION_KEY", "IDENTITY_HASH_KEY")
_SETTINGS_DIR = Path(__file__).resolve().parent.parent / "config" / "settings"


def published_keys() -> set[str]:
    """Every string that ``dev.py`` and ``test.py`` assign, or give as the default,
    to one of the identity key settings: read from the files, so a changed
    development key is refused too."""
    keys = set()
    for name in ("dev.py", "test.py"):
        path = _SETTINGS_DIR / name
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in _KEY_SETTINGS for t in node.targets
            ):
                keys |= {
                    c.value
                    for c in ast.walk(node.value)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                }
    return keys - set(_KEY_SETTINGS)


def _decoded(key: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        return b""


@register(Tags.security, deploy=True)
def identity_keys_check(app_configs, **kwargs):
    errors = []
    published = published_keys()
    encryption_key = getattr(settings, "IDENTITY_ENCRYPTION_KEY", "") or ""
    decoded = _decoded(encryption_key)
    if len(decoded) != 32:
        errors.append(
            Error(
                "IDENTITY_ENCRYPTION_KEY is not a Fernet key: it must be 32 bytes in URL-safe "
                f"base64 (this decodes to {len(decoded)} bytes).",
                hint='python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"',
                id="portal.E001",
            )
        )
    for index, fallback in enumerate(getattr(settings, "IDENTITY_ENCRYPTION_KEY_FALLBACKS", [])):
        if len(_decoded(fallback)) != 32:
            errors.append(
                Error(
                    f"IDENTITY_ENCRYPTION_KEY_FALLBACKS[{index}] is not a Fernet key: it must be "
                    "32 bytes in URL-safe base64.",
                    id="portal.E001",
                )
            )
    hash_key = getattr(settings, "IDENTITY_HASH_KEY", "") or ""
    if len(hash_key.encode()) < MIN_HASH_KEY_BYTES:
        errors.append(
            Error(
                f"IDENTITY_HASH_KEY is shorter than {MIN_HASH_KEY_BYTES} bytes "
                f"({len(hash_key.encode())}).",
                hint='python -c "import secrets; print(secrets.token_urlsafe(48))"',
                id="portal.E002",
            )
        )
    for name, value in (
        ("IDENTITY_ENCRYPTION_KEY", encryption_key),
        ("IDENTITY_HASH_KEY", hash_key),
    ):
        if value and value in published:
            errors.append(
                Error(
                    f"{name} is a development or test key committed in config/settings/: "
                    "it is public.",
                    hint="Generate a key of your own (deploy/portal.env.example).",
                    id="portal.E003",
                )
            )
    return errors
