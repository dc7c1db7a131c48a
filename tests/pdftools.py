"""Read generated PDFs back as a person would: their text and their fonts."""

import os
import shutil
import subprocess

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} (poppler-utils) is missing")
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        [_tool("pdftotext"), "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_fonts(content: bytes) -> str:
    result = subprocess.run(
        [_tool("pdffonts"), "-"], input=content, capture_output=True, check=False
    )
    if result.returncode != 0:  # older pdffonts cannot read stdin
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(content)
            handle.flush()
            result = subprocess.run(
                [_tool("pdffonts"), handle.name], capture_output=True, check=True
            )
    return result.stdout.decode("utf-8")
