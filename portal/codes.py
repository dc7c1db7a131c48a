"""Codes people read out and type: tracking codes, access keys, verification codes."""

import secrets

# Crockford's base32 without I, L, O, U: easy to read out on the phone and to type.
READABLE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def readable_code(length: int) -> str:
    """A random code of ``length`` characters of :data:`READABLE_ALPHABET`."""
    return "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))
