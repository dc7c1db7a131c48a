"""A roster job's result, one line per hit, streamed: as CSV (the portal's writer, which
neutralises formula cells) or as JSON, read in pieces so that a job of a million rows
is never held whole."""

import json
from collections.abc import Iterator

from django.utils import translation

from portal import csv as portal_csv

from ..models import ScreeningJob
from ..selectors import screening_job_hits
from .names import reason_text

RESULT_COLUMNS = ["row", "reference", "entry", "list", "matched_fields", "score", "reason"]


def _lines(job: ScreeningJob, language: str) -> Iterator[dict]:
    """The hits, their reasons worded in ``language``: the language of the request,
    which a streamed answer outlives."""
    for hit in screening_job_hits(job).iterator(chunk_size=2000):
        with translation.override(language):
            reason = "; ".join(reason_text(reason) for reason in hit.why)
        yield {
            "row": hit.row,
            "reference": hit.reference,
            "entry": hit.entry.reference,
            "list": hit.entry.list,
            "matched_fields": hit.matched_fields,
            "score": hit.score,
            "reason": reason,
        }


def result_csv(job: ScreeningJob) -> Iterator[str]:
    return _csv(job, translation.get_language())


def _csv(job: ScreeningJob, language: str) -> Iterator[str]:
    writer = portal_csv.Writer()
    yield portal_csv.BOM
    yield writer.writerow(RESULT_COLUMNS)
    for line in _lines(job, language):
        line["matched_fields"] = " ".join(line["matched_fields"])
        yield writer.writerow([line[column] for column in RESULT_COLUMNS])


def result_json(job: ScreeningJob) -> Iterator[str]:
    """A JSON array, one hit to a line."""
    return _json(job, translation.get_language())


def _json(job: ScreeningJob, language: str) -> Iterator[str]:
    yield "[\n"
    first = True
    for line in _lines(job, language):
        yield ("" if first else ",\n") + json.dumps(line, ensure_ascii=False)
        first = False
    yield "\n]\n"
