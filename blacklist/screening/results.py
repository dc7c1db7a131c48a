"""A roster job's result, one line per hit, streamed: as CSV (the portal's writer, which
neutralises formula cells) or as JSON, read in pieces so that a job of a million rows
is never held whole."""

import json
from collections.abc import Iterator

from portal import csv as portal_csv

from ..models import ScreeningJob
from ..selectors import screening_job_hits

RESULT_COLUMNS = ["row", "reference", "entry", "list", "matched_fields", "score", "reason"]


def _lines(job: ScreeningJob) -> Iterator[dict]:
    for hit in screening_job_hits(job).iterator(chunk_size=2000):
        yield {
            "row": hit.row,
            "reference": hit.reference,
            "entry": hit.entry.reference,
            "list": hit.entry.list,
            "matched_fields": hit.matched_fields,
            "score": hit.score,
            "reason": "; ".join(hit.why),
        }


def result_csv(job: ScreeningJob) -> Iterator[str]:
    writer = portal_csv.Writer()
    yield portal_csv.BOM
    yield writer.writerow(RESULT_COLUMNS)
    for line in _lines(job):
        line["matched_fields"] = " ".join(line["matched_fields"])
        yield writer.writerow([line[column] for column in RESULT_COLUMNS])


def result_json(job: ScreeningJob) -> Iterator[str]:
    """A JSON array, one hit to a line."""
    yield "[\n"
    first = True
    for line in _lines(job):
        yield ("" if first else ",\n") + json.dumps(line, ensure_ascii=False)
        first = False
    yield "\n]\n"
