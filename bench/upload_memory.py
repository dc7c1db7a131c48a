"""Benchmark: peak memory of checking two large PNG uploads in one request.

What it measures
    The peak resident set size (``ru_maxrss``) of a fresh Python process that
    sets Django up and then checks two 9400 × 9400 PNG uploads one after the
    other, as the public form does with two evidence files: first the process
    with Django loaded (the baseline), then the peak after the two checks. The
    difference is what the checks cost. Each PNG is about 300 KB on disk (a
    flat picture with a band of noise) but 88 million pixels decoded.

How to run (from the project root)::

    .venv/bin/python bench/upload_memory.py
    .venv/bin/python bench/upload_memory.py --side 4000     # a picture that is accepted
    .venv/bin/python bench/upload_memory.py --checker mymodule:check_upload

``--checker`` names another ``module:function`` taking one upload (to compare an
older checker). The run prints one line per file (accepted, or the refusal's
code) and the two figures in MB.
"""

import argparse
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def big_png(side: int, seed: int) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (side, side), (250, 250, 250))
    rng = random.Random(seed)
    band = Image.frombytes("RGB", (side, 16), rng.randbytes(side * 16 * 3))
    image.paste(band, (0, side // 2))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=9)
    return out.getvalue()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=9400)
    parser.add_argument("--checker", default="portal.uploads:check_upload")
    parser.add_argument("--make", help=argparse.SUPPRESS)  # the child: write the PNGs here
    args = parser.parse_args()
    if args.make:
        for n in (0, 1):
            (Path(args.make) / f"{n}.png").write_bytes(big_png(args.side, n + 1))
        return

    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    module, function = args.checker.split(":")
    check = getattr(import_module(module), function)
    with tempfile.TemporaryDirectory() as folder:
        # Made by another process, so that drawing them is not in this one's peak.
        subprocess.run(
            [sys.executable, __file__, "--side", str(args.side), "--make", folder], check=True
        )
        uploads = [
            SimpleUploadedFile(f"screenshot-{n}.png", (Path(folder) / f"{n}.png").read_bytes())
            for n in (0, 1)
        ]
    baseline = peak_mb()
    for upload in uploads:
        try:
            check(upload)
            outcome = "accepted"
        except ValidationError as exc:
            outcome = f"refused ({exc.error_list[0].code})"
        print(f"{upload.name}: {upload.size / 1024:.0f} KB, {args.side}×{args.side}: {outcome}")
    peak = peak_mb()
    print(f"baseline (Django loaded, files in memory): {baseline:.0f} MB")
    print(f"peak after checking both:                  {peak:.0f} MB")
    print(f"cost of the checks:                        {peak - baseline:.0f} MB")


if __name__ == "__main__":
    main()
