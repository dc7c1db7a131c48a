"""Roster screening jobs (Order 117 Art. 8, 14): a platform screens its whole roster of
marketers, up to 1,000,000 rows, against the lists at once.

The upload is streamed to a file (never held in memory whole) and checked: its
format, its encoding, its size and its number of rows. A Celery task then screens it
chunk by chunk (:data:`CHUNK_ROWS` rows): each row cleaned as a single screening's
query is, the chunk's keys and identifiers looked up set-wise
(``matching.roster_match``), scored as single screenings are, and the chunk's hits,
row errors and progress written in one transaction. A bad row is reported, never
fails the job. When every row is screened, the job writes one screening log
(``log.screening_job_log``) with its counts and the departments it hit.

The roster holds resident ID numbers in clear: its file is deleted once the job is
done or failed (:func:`screening_job_fail` when the task's retries run out), and
nothing else keeps a number in clear: the hits and errors keep the row's number and
reference (masked if it is an identity number), the log keeps counts only, and a row
error's message is a msgid with parameters (``portal.i18n``), never a row's text.
"""

import codecs
import csv
import io
import itertools
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import i18n
from portal.audit import actor_label, actor_user
from portal.errors import DomainError, NotAllowed
from portal.identity import normalise_ric, ric_fast, uscc_fast
from portal.logging import mask_identity_numbers
from portal.sealed_files import SealedFileError, SealedWriter, open_text
from portal.sql import on_postgresql
from portal.transitions import require_perm, transition

from ..forms import validate_screening_identifiers
from ..models import (
    FAILURE_REASONS,
    JOB_TRANSITIONS,
    ScreeningJob,
    ScreeningJobError,
    ScreeningJobHit,
)
from ._sql import rows_write
from .matching import ScreeningQuery, roster_match
from .names import Reason

logger = logging.getLogger(__name__)

MB = 1024 * 1024
FIELDS = ("name", "id_number", "uscc", "reference")
# The longest value of each field: what the screening API accepts.
FIELD_LIMITS = {"name": 200, "id_number": 32, "uscc": 32, "reference": 64}
READ_SIZE = 64 * 1024
HIT_COLUMNS = ("job_id", "row", "reference", "entry_id", "score", "matched_fields", "why")
ERROR_COLUMNS = ("job_id", "row", "reference", "field", "message_key", "message_params")


def max_rows() -> int:
    return getattr(settings, "BLACKLIST_SCREENING_JOB_MAX_ROWS", 1_000_000)


def max_bytes() -> int:
    return getattr(settings, "BLACKLIST_SCREENING_JOB_MAX_BYTES", 256 * MB)


def chunk_rows() -> int:
    """Rows screened and written together. 10,000 keeps a worker within about 160 MB over
    Django's own on common names (5.6 hits a row); 50,000 is 12 % faster and five times
    the memory (docs/performance.md)."""
    return getattr(settings, "BLACKLIST_SCREENING_JOB_CHUNK_ROWS", 10_000)


def format_of(content_type: str) -> str:
    """The job format of a ``Content-Type`` (its parameters ignored), or a 400."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    aliases = {"application/jsonl": ScreeningJob.Format.NDJSON, "text/csv": ScreeningJob.Format.CSV}
    aliases[ScreeningJob.Format.NDJSON] = ScreeningJob.Format.NDJSON
    if media not in aliases:
        raise DomainError(
            _(
                "Send the roster as JSON lines (Content-Type: application/x-ndjson) or as "
                "CSV (Content-Type: text/csv); “%(type)s” is neither."
            )
            % {"type": media or "—"},
            code="wrong_content_type",
        )
    return aliases[media]


def format_by_content(head: bytes) -> str:
    """JSON lines when the roster's first character (after a byte-order mark and blanks)
    opens an object, else CSV: told by the content, not by a file's name (the page's
    uploads, which carry no reliable content type)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return ScreeningJob.Format.NDJSON if text.startswith(b"{") else ScreeningJob.Format.CSV


def _head_and_body(body: Iterable[bytes], size: int = 4096) -> tuple[bytes, Iterator[bytes]]:
    """The first ``size`` bytes of ``body`` (or all of it when shorter), and the whole
    body still to be read, those bytes included."""
    pieces, head = iter(body), []
    read = 0
    for piece in pieces:
        head.append(piece)
        read += len(piece)
        if read >= size:
            break
    return b"".join(head)[:size], itertools.chain(head, pieces)


@dataclass(frozen=True)
class Record:
    """One row of a roster as read: its number in the file, its fields, or why it could
    not be read (a lazy message: its msgid is what the error row keeps)."""

    number: int
    fields: dict
    problem: Promise | str = ""


def records(text: io.TextIOBase, file_format: str) -> Iterator[Record]:
    """The rows of a roster, blank lines left out. JSON lines are numbered by line; a
    CSV file by record, its header line being row 1 (the first party is row 2)."""
    if file_format == ScreeningJob.Format.NDJSON:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                yield Record(number, {}, gettext_lazy("This line is not JSON."))
                continue
            if not isinstance(value, dict):
                yield Record(number, {}, gettext_lazy("This line is not a JSON object."))
                continue
            yield Record(number, value)
        return
    reader = csv.reader(text)
    header = next(reader, None)
    columns = [(column or "").strip().lower() for column in header or []]
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        yield Record(number, dict(zip(columns, cells, strict=False)))


def _check_header(text: io.TextIOBase) -> None:
    header = next(csv.reader(text), None) or []
    columns = {(column or "").strip().lower() for column in header}
    if not columns & {"name", "id_number", "uscc"}:
        raise DomainError(
            _(
                "The first line of the CSV file must name its columns: name, id_number, "
                "uscc and reference (any of the first three, and reference)."
            ),
            code="no_header",
        )


def _spool(body: Iterable[bytes], spool) -> str:
    """Write ``body`` to ``spool``, checking its size and encoding on the way; return
    the encoding (UTF-8, with or without a byte-order mark, else GB18030)."""
    size = 0
    utf8 = codecs.getincrementaldecoder("utf-8")()
    encoding = "utf-8-sig"
    for chunk in body:
        if not chunk:
            continue
        size += len(chunk)
        if size > max_bytes():
            raise DomainError(
                _("The roster is larger than %(n)s MB.") % {"n": max_bytes() // MB},
                code="too_large",
            )
        if b"\x00" in chunk:
            raise DomainError(_("The roster is not text (it holds a NUL byte)."), code="not_text")
        if encoding == "utf-8-sig":
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                encoding = "gb18030"
        spool.write(chunk)
    if encoding == "utf-8-sig":
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "gb18030"
    if not size:
        raise DomainError(_("The roster is empty."), code="empty")
    return encoding


def _actor_fields(actor) -> dict:
    api_key = getattr(actor, "api_key", None)
    return {
        "platform_id": actor.platform_id,
        "api_key": api_key,
        "created_by": actor_user(actor),
        "actor_label": actor_label(actor),
    }


def screening_job_submit(
    *,
    actor,
    body: Iterable[bytes],
    content_type: str | None,
    channel: str,
    original_name: str = "",
) -> ScreeningJob:
    """Take a roster to screen: ``body`` (the upload, in pieces) streamed to a file and
    checked, the job queued and its task enqueued once the job is committed. The format
    is the ``content_type``'s (the API's), or told by the content when it is ``None``
    (the page's uploads, :func:`format_by_content`). Refuses (``DomainError``, 400) a
    wrong content type, an empty roster, one over the size or row limit, a CSV file
    without its header line, and text in no known encoding."""
    require_perm(actor, "blacklist.screen_parties")
    if not getattr(actor, "platform_id", None):
        raise NotAllowed(_("Only a platform's officers or API keys screen rosters."))
    if content_type is None:
        head, body = _head_and_body(body)
        file_format = format_by_content(head)
    else:
        file_format = format_of(content_type)
    with tempfile.TemporaryFile() as spool:
        # Sealed from the first byte: the numbers never lie on disk in clear.
        with SealedWriter(spool) as sealed:
            encoding = _spool(body, sealed)
        try:
            spool.seek(0)
            if file_format == ScreeningJob.Format.CSV:
                _check_header(open_text(spool, encoding))
                spool.seek(0)
            text = open_text(spool, encoding)
            rows, limit = 0, max_rows()
            for _record in records(text, file_format):
                rows += 1
                if rows > limit:
                    raise DomainError(
                        _("A roster has at most %(n)s rows.") % {"n": f"{limit:,}"},
                        code="too_many_rows",
                    )
        except UnicodeDecodeError as exc:
            raise DomainError(
                _("The roster is neither UTF-8 nor GB18030 text."), code="not_text"
            ) from exc
        if not rows:
            raise DomainError(_("The roster has no rows."), code="empty")
        spool.seek(0)
        suffix = "csv" if file_format == ScreeningJob.Format.CSV else "ndjson"
        with transaction.atomic():
            job = ScreeningJob(
                **_actor_fields(actor),
                channel=channel,
                file_format=file_format,
                encoding=encoding,
                original_name=(original_name or "")[:200],
                rows_total=rows,
            )
            job.file.save(f"roster.{suffix}", File(spool), save=False)
            job.full_clean(exclude=["platform", "api_key", "created_by", "file"])
            job.save()
            from ..tasks import screening_job_run_task

            transaction.on_commit(lambda: screening_job_run_task.delay(job.pk))
    return job


RowError = tuple[str, Promise | str, dict]  # field, message (lazy: its msgid), parameters


def _reference(value: str) -> str:
    """The platform's reference for a row as kept: an identity number in it masked (a
    platform that numbers its rows by ID number does not leave them in clear here)."""
    value = value[: FIELD_LIMITS["reference"]]
    return mask_identity_numbers(value) if len(value) >= 18 else value


def row_query(record: Record, today) -> tuple[ScreeningQuery | None, str, list[RowError]]:
    """A row as a single screening's query (cleaned as ``validate_screening_identifiers``
    cleans one, its well-formed numbers checked by the fast twins first), its reference,
    and its errors by field, each a lazy message and its parameters; no query when it
    has any."""
    if record.problem:
        return None, "", [("row", record.problem, {})]
    values, errors = {}, []
    for field_name in FIELDS:
        value = record.fields.get(field_name, "")
        if value is None:
            value = ""
        elif isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        elif not isinstance(value, str):
            errors.append((field_name, gettext_lazy("Give this field as text."), {}))
            value = ""
        if len(value) > FIELD_LIMITS[field_name]:
            errors.append(
                (
                    field_name,
                    gettext_lazy("Ensure this field has no more than %(n)s characters."),
                    {"n": FIELD_LIMITS[field_name]},
                )
            )
        values[field_name] = value
    reference = _reference(values["reference"])
    if errors:
        return None, reference, errors
    name, id_number, uscc = values["name"], values["id_number"], values["uscc"]
    ric = ric_fast(normalise_ric(id_number.strip()), today) if id_number.strip() else ""
    code = uscc_fast(uscc.strip()) if uscc.strip() else ""
    if ric is None or code is None or not (name.strip() or ric or code):
        try:
            cleaned = validate_screening_identifiers(name, id_number, uscc)
        except ValidationError as exc:
            for field_name, field_errors in exc.error_dict.items():
                errors += [
                    (field_name, error.message, error.params or {}) for error in field_errors
                ]
            return None, reference, errors
        ric, code = cleaned["id_number"], cleaned["uscc"]
    query = ScreeningQuery(name=name.strip()[:200], id_number=ric, uscc=code, ref=reference)
    return query, reference, []


def error_row(job_pk: int, number: int, reference: str, error: RowError) -> tuple:
    """An error as the row kept: the message's msgid and its parameters, put in the
    reader's language when read (``ScreeningJobError.message``)."""
    field_name, message, params = error
    key = i18n.msgid_of(message) if isinstance(message, Promise) else str(message)
    return (job_pk, number, reference, field_name, key, i18n.stored_params(params))


def _actor_of(job: ScreeningJob):
    """Who the job screens as: its API key (as the API authenticates it), or the officer."""
    if job.api_key_id:
        from accounts.authentication import PlatformKeyUser

        return PlatformKeyUser(job.api_key)
    return job.created_by


def _chunks(job: ScreeningJob, size: int) -> Iterator[list[Record]]:
    with job.file.open("rb") as raw:
        text = open_text(raw, job.encoding)
        chunk: list[Record] = []
        for record in records(text, job.file_format):
            chunk.append(record)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _hit_rows(job_pk: int, numbers: list[int], queries, answers) -> Iterator[tuple]:
    """The chunk's hits as ``HIT_COLUMNS``, their matched fields and reasons as JSON
    text, encoded once for the namesakes sharing them (a common name's hundreds)."""
    encoded: dict[int, str] = {}

    def text(value: list, stored=None) -> str:
        found = encoded.get(id(value))
        if found is None:
            plain = value if stored is None else [stored(item) for item in value]
            found = encoded[id(value)] = json.dumps(plain, ensure_ascii=False)
        return found

    stored = Reason.stored
    for number, query, found in zip(numbers, queries, answers, strict=True):
        reference = query.ref
        for pk, score, fields, why in found:
            yield (job_pk, number, reference, pk, score, text(fields), text(why, stored))


def _screen_chunk(job_pk: int, start: int, chunk: list[Record], pool, today) -> bool:
    """Screen one chunk and write its hits, errors and progress in one transaction;
    ``False`` (nothing written) when another run has written it already."""
    queries, numbers, errors = [], [], []
    for record in chunk:
        query, reference, faults = row_query(record, today)
        if query is None:
            errors += [error_row(job_pk, record.number, reference, fault) for fault in faults]
        else:
            queries.append(query)
            numbers.append(record.number)
    with transaction.atomic():
        if on_postgresql():
            # A chunk lost in a crash of the database server is lost with its progress
            # (``rows_done``, in the same transaction) and screened again: its commit
            # need not wait for the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        job = ScreeningJob.objects.select_for_update().only("rows_done", "status").get(pk=job_pk)
        # Written already, or an earlier chunk not yet (another run of the job is on it).
        if job.rows_done != start or job.status != ScreeningJob.Status.RUNNING:
            return False
        answers = roster_match(pool=pool, queries=queries) if queries else []
        hits = rows_write(
            ScreeningJobHit,
            HIT_COLUMNS,
            _hit_rows(job_pk, numbers, queries, answers),
            encoded=("matched_fields", "why"),
        )
        rows_write(ScreeningJobError, ERROR_COLUMNS, errors)
        ScreeningJob.objects.filter(pk=job_pk).update(
            rows_done=start + len(chunk),
            queries=F("queries") + len(queries),
            queries_with_hits=F("queries_with_hits") + sum(1 for found in answers if found),
            hits=F("hits") + hits,
            error_count=F("error_count") + len({error[1] for error in errors}),
        )
    return True


def _roster_delete(job: ScreeningJob) -> None:
    """Forget the job's roster file (call inside the transaction that finishes the job):
    the field is blanked now and the file deleted once that is committed, so a job
    rolled back keeps its file to be screened again."""
    name = job.file.name
    if not name:
        return
    storage = job.file.storage
    job.file = ""

    def delete():
        try:
            storage.delete(name)
        except OSError:
            # The job is finished whatever happens here; the file's name is in the log
            # for an operator (it holds no identity number).
            logger.warning("screening job %s: roster file %s not deleted", job.pk, name)

    transaction.on_commit(delete)


def screening_job_fail(*, job_id: int, reason: str) -> ScreeningJob:
    """End a queued or running job as failed, with ``reason`` (a code of
    ``FAILURE_REASONS``) for the platform to read, and delete its roster. A job already
    done or failed is left as it is."""
    with transaction.atomic():
        job = ScreeningJob.objects.select_for_update().get(pk=job_id)
        if transition(job, ScreeningJob.Status.FAILED, JOB_TRANSITIONS):
            job.failure = reason if reason in FAILURE_REASONS else "error"
            job.finished_at = timezone.now()
            _roster_delete(job)
            job.save(update_fields=["status", "failure", "finished_at", "file"])
    return job


def screening_job_run(*, job_id: int) -> ScreeningJob:
    """Screen a queued job's roster, chunk by chunk, then log it once and delete its
    file. Taken up again (a lost worker, a retry) it goes on after the last chunk
    written; a job done or failed is left as it is. A database error is raised for the
    task to retry (the task fails the job when its retries run out); any other error
    fails the job with its reason."""
    from ..selectors import screening_pool
    from .log import screening_job_log

    with transaction.atomic():
        job = ScreeningJob.objects.select_for_update().get(pk=job_id)
        if job.status in (ScreeningJob.Status.DONE, ScreeningJob.Status.FAILED):
            return job
        if transition(job, ScreeningJob.Status.RUNNING, JOB_TRANSITIONS):
            job.started_at = timezone.now()
            job.save(update_fields=["status", "started_at"])
    try:
        actor = _actor_of(job)
        today = timezone.localdate()
        pool = screening_pool(actor, today)
        done = job.rows_done
        position = 0
        for chunk in _chunks(job, chunk_rows()):
            if position >= done:
                _screen_chunk(job.pk, position, chunk, pool, today)
            position += len(chunk)
        with transaction.atomic():
            job = ScreeningJob.objects.select_for_update().get(pk=job_id)
            # Only the run that wrote the last chunk logs the job: another run of it that
            # skipped a chunk (being written) ends here and leaves the job to that one.
            if job.status == ScreeningJob.Status.RUNNING and job.rows_done == job.rows_total:
                job.log = screening_job_log(job=job, actor=actor)
                transition(job, ScreeningJob.Status.DONE, JOB_TRANSITIONS)
                job.finished_at = timezone.now()
                _roster_delete(job)
                job.save(update_fields=["log", "status", "finished_at", "file"])
    except OperationalError:
        raise
    except (UnicodeDecodeError, csv.Error, FileNotFoundError, SealedFileError) as exc:
        # The kind of error only: its text may quote a row of the roster.
        logger.error("screening job %s failed: %s", job_id, type(exc).__name__)
        job = screening_job_fail(job_id=job_id, reason="unreadable")
    except Exception:
        logger.exception("screening job %s failed", job_id)
        job = screening_job_fail(job_id=job_id, reason="error")
    return job
