"""Roster screening jobs: the upload and its refusals, the job run set-wise in chunks,
its hits equal to single screenings', its one log, and who sees what."""

import csv
import io
import json
from datetime import date

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.services import api_key_issue
from blacklist.models import ScreeningJob, ScreeningJobHit, ScreeningLog
from blacklist.screening import _sql
from blacklist.screening.jobs import screening_job_run, screening_job_submit
from blacklist.screening.matching import ScreeningQuery, screening_match
from blacklist.screening.names import reason_text
from blacklist.selectors import department_hits, screening_pool, screenings_hitting
from demo.data import demo_ric, demo_uscc

from .factories import ListedEntryFactory, PlatformEntryFactory

pytestmark = pytest.mark.django_db

ZHANG_ID = demo_ric("330106", date(1990, 5, 17), 18)
LI_ID = demo_ric("330106", date(1985, 2, 3), 7)
USCC = demo_uscc("330106", 42)


@pytest.fixture
def listed(world):
    xihu, yuhang = world.departments["xihu_market"], world.departments["yuhang_market"]
    return {
        "zhang": ListedEntryFactory(department=xihu, name="张伟", id_number=ZHANG_ID),
        "zhang2": ListedEntryFactory(department=yuhang, name="張偉"),
        "li": ListedEntryFactory(department=yuhang, name="李娜", id_number=LI_ID),
        "org": ListedEntryFactory(
            department=xihu,
            name="杭州星光文化传媒有限公司",
            party_kind="organisation",
            uscc=USCC,
        ),
        "platform": PlatformEntryFactory(
            platform=world.other_platform, name="刘洋", department=None
        ),
    }


# Valid and invalid rows: the invalid ones carry a bad check digit, a bad USCC, nothing
# at all, a value that is not text, and a line that is not JSON.
ROWS = [
    {"reference": "r-1", "name": "Zhang Wei"},
    {"reference": "r-2", "id_number": ZHANG_ID},
    {"reference": "r-3", "name": "张伟", "id_number": "110105194912310021"},
    {"reference": "r-4", "uscc": USCC},
    {"reference": "r-5", "uscc": "91330106MA27XU1234"},
    {"reference": "r-6"},
    {"reference": "r-7", "name": "无关的人"},
    {"reference": "r-8", "name": "Liu Yang"},
    {"reference": "r-9", "name": "李娜", "id_number": LI_ID},
    {"reference": "r-10", "name": "杭州星光文化传媒公司"},
    {"reference": "r-11", "name": ["张伟"]},
]


def _ndjson(rows) -> bytes:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    lines.insert(5, "")  # a blank line is no row
    lines.append("{not json")
    return ("\n".join(lines) + "\n").encode()


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "name", "id_number", "uscc"])
    for row in rows:
        if isinstance(row.get("name"), list):
            continue
        writer.writerow([row.get(f, "") for f in ("reference", "name", "id_number", "uscc")])
    return out.getvalue().encode()


@pytest.fixture
def key(world):
    _api_key, raw = api_key_issue(platform=world.platform, name="风控系统", actor=None)
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}


@pytest.fixture
def other_key(world):
    _api_key, raw = api_key_issue(platform=world.other_platform, name="ERP", actor=None)
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}


def _upload(client, body: bytes, content_type: str, key, capture):
    with capture(execute=True):
        return client.post("/api/v1/screening/jobs/", body, content_type=content_type, **key)


def _single_hits(world, rows):
    """What single screenings of the valid rows find, row by row."""
    expected = {}
    for row in rows:
        query = ScreeningQuery(
            name=row.get("name", ""), id_number=row.get("id_number", ""), uscc=row.get("uscc", "")
        )
        (answer,) = screening_match(actor=world.officer, queries=[query])
        expected[row["reference"]] = [
            (m.entry.pk, m.score, m.matched_fields, m.why) for m in answer.matches
        ]
    return expected


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(_ndjson(ROWS), "application/x-ndjson"), (_csv(ROWS), "text/csv; charset=utf-8")],
    ids=["ndjson", "csv"],
)
def test_a_job_screens_valid_rows_and_reports_invalid_ones(
    client, world, listed, key, django_capture_on_commit_callbacks, body, content_type
):
    response = _upload(client, body, content_type, key, django_capture_on_commit_callbacks)

    assert response.status_code == 202
    job_id = response.json()["id"]
    assert response["Location"] == f"/api/v1/screening/jobs/{job_id}/"
    status = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en", **key).json()
    assert status["status"] == "done"
    ndjson = content_type.startswith("application")
    assert status["rows_total"] == status["rows_done"] == (12 if ndjson else 10)
    errors = {(e["reference"], e["field"]) for e in status["errors"]}
    assert {("r-3", "id_number"), ("r-5", "uscc"), ("r-6", "name")} <= errors
    if ndjson:
        assert ("r-11", "name") in errors and ("", "row") in errors
        assert {e["row"] for e in status["errors"] if e["reference"] == "r-6"} == {7}
    else:
        assert {e["row"] for e in status["errors"] if e["reference"] == "r-6"} == {7}
    assert status["errors_count"] == (5 if ndjson else 3), status["errors"]
    assert status["queries"] == 7
    hits = ScreeningJobHit.objects.filter(job_id=job_id)
    assert {(h.reference, h.entry_id) for h in hits} >= {
        ("r-1", listed["zhang"].pk),
        ("r-2", listed["zhang"].pk),
        ("r-4", listed["org"].pk),
        ("r-8", listed["platform"].pk),
        ("r-9", listed["li"].pk),
    }
    assert status["hits"] == hits.count()
    assert status["result_csv"].endswith(f"/api/v1/screening/jobs/{job_id}/result.csv")


def test_the_job_finds_what_single_screenings_find(
    world, listed, key, client, django_capture_on_commit_callbacks
):
    response = _upload(
        client, _ndjson(ROWS), "application/x-ndjson", key, django_capture_on_commit_callbacks
    )
    job_id = response.json()["id"]

    expected = _single_hits(
        world, [r for r in ROWS if r["reference"] not in ("r-3", "r-5", "r-6", "r-11")]
    )
    found = {}
    for hit in ScreeningJobHit.objects.filter(job_id=job_id).order_by("row", "-score", "entry_id"):
        found.setdefault(hit.reference, []).append(
            (hit.entry_id, hit.score, hit.matched_fields, [reason_text(r) for r in hit.why])
        )
    assert {ref: hits for ref, hits in expected.items() if hits} == found


@override_settings(BLACKLIST_SCREENING_JOB_CHUNK_ROWS=3)
def test_progress_only_moves_forward_chunk_by_chunk(
    world, listed, django_capture_on_commit_callbacks
):
    seen = []
    original = _sql.roster_candidates

    def watching(*args, **kwargs):
        seen.append(ScreeningJob.objects.get().rows_done)
        return original(*args, **kwargs)

    _sql_roster = "blacklist.screening.matching.roster_candidates"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_sql_roster, watching)
        job = screening_job_submit(
            actor=world.officer,
            body=[_ndjson(ROWS)],
            content_type="application/x-ndjson",
            channel="web",
        )
        screening_job_run(job_id=job.pk)

    assert seen == sorted(seen) and len(seen) >= 3
    assert seen[0] == 0 and len(set(seen)) == len(seen)
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == job.rows_total == 12
    # Run again (a retry after a lost worker): nothing moves, nothing is written twice.
    hits = ScreeningJobHit.objects.count()
    screening_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.rows_done == 12 and ScreeningJobHit.objects.count() == hits


@override_settings(BLACKLIST_SCREENING_JOB_CHUNK_ROWS=4)
def test_a_job_taken_up_again_goes_on_after_the_last_chunk(world, listed):
    job = screening_job_submit(
        actor=world.officer,
        body=[_ndjson(ROWS)],
        content_type="application/x-ndjson",
        channel="web",
    )
    whole = screening_job_submit(
        actor=world.officer,
        body=[_ndjson(ROWS)],
        content_type="application/x-ndjson",
        channel="web",
    )
    screening_job_run(job_id=whole.pk)
    # The first chunk written, then the worker lost: the job is running at row 4.
    from blacklist.screening import jobs

    chunk = next(jobs._chunks(job, 4))
    ScreeningJob.objects.filter(pk=job.pk).update(status="running")
    jobs._screen_chunk(job.pk, 0, chunk, screening_pool(world.officer), timezone.localdate())
    screening_job_run(job_id=job.pk)

    def hits(j):
        return sorted(ScreeningJobHit.objects.filter(job=j).values_list("row", "entry_id", "score"))

    job.refresh_from_db()
    whole.refresh_from_db()
    assert hits(job) == hits(whole)
    assert (job.hits, job.error_count, job.queries) == (
        whole.hits,
        whole.error_count,
        whole.queries,
    )


def test_one_log_and_each_department_sees_its_own_hits(
    client, world, listed, key, django_capture_on_commit_callbacks
):
    logs_before = ScreeningLog.objects.count()
    response = _upload(
        client, _ndjson(ROWS), "application/x-ndjson", key, django_capture_on_commit_callbacks
    )
    job = ScreeningJob.objects.get(pk=response.json()["id"])

    assert ScreeningLog.objects.count() == logs_before + 1
    log = job.log
    assert log.channel == ScreeningLog.Channel.JOB and log.queries == 7
    assert log.hits == job.hits and log.queries_with_hits == job.queries_with_hits
    assert log.platform_id == world.platform.pk
    xihu, yuhang = world.departments["xihu_market"], world.departments["yuhang_market"]
    assert set(log.hit_departments.values_list("department_id", flat=True)) == {
        xihu.pk,
        yuhang.pk,
    }
    for department, own, others in (
        (xihu, {listed["zhang"].pk, listed["org"].pk}, {listed["li"].pk, listed["zhang2"].pk}),
        (yuhang, {listed["li"].pk, listed["zhang2"].pk}, {listed["zhang"].pk, listed["org"].pk}),
    ):
        [(_log, hits, count)] = department_hits(department, list(screenings_hitting(department)))
        assert count == len(hits)
        entries = {hit["entry"].pk for hit in hits}
        assert entries == own and not entries & others
        assert {hit["party"] for hit in hits} <= set(job.hit_rows.values_list("row", flat=True))
    client.force_login(world.handler)
    page = client.get(reverse("blacklist:screenings"))
    assert listed["zhang"].reference in page.content.decode()
    assert listed["li"].reference not in page.content.decode()


def test_result_files_have_one_line_per_hit(
    client, world, listed, key, django_capture_on_commit_callbacks
):
    rows = [*ROWS, {"reference": "=HYPERLINK(1)", "name": "张伟"}]
    response = _upload(
        client, _ndjson(rows), "application/x-ndjson", key, django_capture_on_commit_callbacks
    )
    job = ScreeningJob.objects.get(pk=response.json()["id"])
    base = response["Location"]

    as_csv = client.get(base + "result.csv", **key)
    lines = list(csv.reader(io.StringIO(b"".join(as_csv.streaming_content).decode("utf-8-sig"))))
    as_json = json.loads(b"".join(client.get(base + "result.json", **key).streaming_content))

    assert lines[0] == ["row", "reference", "entry", "list", "matched_fields", "score", "reason"]
    assert len(lines) - 1 == len(as_json) == job.hits
    assert "'=HYPERLINK(1)" in {line[1] for line in lines}  # neutralised
    first = as_json[0]
    assert set(first) == {"row", "reference", "entry", "list", "matched_fields", "score", "reason"}
    assert {(h["reference"], h["entry"]) for h in as_json} >= {("r-2", listed["zhang"].reference)}


def test_another_platforms_job_answers_404(
    client, world, listed, key, other_key, django_capture_on_commit_callbacks
):
    response = _upload(
        client, _ndjson(ROWS), "application/x-ndjson", key, django_capture_on_commit_callbacks
    )
    base = response["Location"]

    for path in ("", "result.csv", "result.json"):
        assert client.get(base + path, **other_key).status_code == 404
        assert client.get(base + path, **key).status_code == 200
    client.force_login(world.other_officer)
    assert client.get(base).status_code == 404
    client.force_login(world.handler)
    assert client.get(base).status_code == 404


@override_settings(BLACKLIST_SCREENING_JOB_MAX_ROWS=5)
@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (_ndjson(ROWS), "application/json", "wrong_content_type"),
        (b"", "application/x-ndjson", "empty"),
        (b"\n\n", "application/x-ndjson", "empty"),
        (b"reference,name\n", "text/csv", "empty"),
        (b"a,b\n1,2\n", "text/csv", "no_header"),
        (_ndjson(ROWS), "application/x-ndjson", "too_many_rows"),
        (_csv(ROWS), "text/csv", "too_many_rows"),
        (b'{"name": "\x00"}\n', "application/x-ndjson", "not_text"),
    ],
)
def test_refused_uploads_answer_400(client, world, key, body, content_type, code):
    # CONTENT_TYPE given again: the test client leaves it out when the body is empty.
    response = client.post(
        "/api/v1/screening/jobs/",
        body,
        content_type=content_type,
        CONTENT_TYPE=content_type,
        HTTP_ACCEPT_LANGUAGE="en",
        **key,
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not ScreeningJob.objects.exists()


@override_settings(BLACKLIST_SCREENING_JOB_MAX_BYTES=100)
def test_a_roster_over_the_size_limit_answers_400(client, world, key):
    response = client.post(
        "/api/v1/screening/jobs/", _ndjson(ROWS), content_type="application/x-ndjson", **key
    )

    assert response.status_code == 400 and response.json()["code"] == "too_large"


def test_staff_may_not_submit_a_job(client, world):
    client.force_login(world.handler)
    response = client.post(
        "/api/v1/screening/jobs/", _ndjson(ROWS), content_type="application/x-ndjson"
    )
    assert response.status_code == 403


def test_a_gb18030_csv_is_read(world, listed, django_capture_on_commit_callbacks):
    body = "reference,name\ng-1,张伟\n".encode("gb18030")
    with django_capture_on_commit_callbacks(execute=True):
        job = screening_job_submit(
            actor=world.officer, body=[body], content_type="text/csv", channel="web"
        )
    job.refresh_from_db()
    assert job.encoding == "gb18030" and job.status == "done"
    assert job.hit_rows.filter(reference="g-1", entry=listed["zhang"]).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's")
def test_the_set_wise_lookup_finds_what_the_portable_one_finds(world, listed):
    from blacklist.screening.matching import looked_up, prepare

    queries = [
        ScreeningQuery(name="Zhang Wei"),
        ScreeningQuery(name="李娜", id_number=LI_ID),
        ScreeningQuery(uscc=USCC),
        ScreeningQuery(name="Liu Yang"),
    ]
    keys, hashes, usccs = looked_up(prepare(queries))
    lean = screening_pool(world.officer).select_related(None).order_by()
    arguments = {"keys": list(keys), "hashes": list(hashes), "usccs": list(usccs)}

    fast = _sql.roster_candidates(lean, **arguments)
    portable = _sql.roster_candidates_portable(lean, **arguments)

    assert fast.entries and fast.by_key and fast.by_hash and fast.by_uscc
    for part in ("entries", "by_key", "by_hash", "by_uscc"):
        assert getattr(fast, part) == getattr(portable, part)


def test_the_schema_shows_202_for_a_new_job(client, db):
    schema = client.get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/screening/jobs/"]["post"]
    assert "202" in post["responses"]
    assert set(post["requestBody"]["content"]) == {"application/x-ndjson", "text/csv"}


def test_an_officer_uploads_a_roster_on_the_page_and_follows_the_job(
    client, world, listed, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.officer)
    assert client.get(reverse("blacklist:screening-jobs")).status_code == 200
    upload = SimpleUploadedFile("花名册.csv", _csv(ROWS), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("blacklist:screening-jobs"), {"file": upload})

    job = ScreeningJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("blacklist:screening-job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert reverse("blacklist:screening-job-result", args=[job.pk]) in page
    assert "r-3" in page  # a row in error
    result = client.get(reverse("blacklist:screening-job-result", args=[job.pk]))
    assert b"".join(result.streaming_content).decode("utf-8-sig").count("\n") == job.hits + 1
    assert job.original_name == "花名册.csv" and job.log.channel == ScreeningLog.Channel.JOB
    assert "花名册.csv" in client.get(reverse("blacklist:screening-jobs")).content.decode()


def test_a_bad_upload_on_the_page_is_a_field_error(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.officer)
    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")

    response = client.post(reverse("blacklist:screening-jobs"), {"file": upload})

    assert response.status_code == 200 and not ScreeningJob.objects.exists()
    assert response.context["form"].errors["file"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's")
def test_hits_written_by_copy_are_what_bulk_create_writes(world, listed):
    job = screening_job_submit(
        actor=world.officer,
        body=[_ndjson(ROWS)],
        content_type="application/x-ndjson",
        channel="web",
    )

    def hits(reference):
        return [
            (
                job.pk,
                n,
                reference,
                entry.pk,
                0.9 + n / 100,
                ["id_number", "name"],
                ["name: 拼音一致 (100%)", 'quote " and \\ backslash\ttab'],
            )
            for n, entry in enumerate(listed.values(), start=2)
        ]

    columns = ("job_id", "row", "reference", "entry_id", "score", "matched_fields", "why")
    assert _sql.rows_write(ScreeningJobHit, columns, hits("copy")) == len(listed)
    ScreeningJobHit.objects.bulk_create(
        ScreeningJobHit(**dict(zip(columns, row, strict=True))) for row in hits("orm")
    )
    as_text = [
        (*row[:5], json.dumps(row[5], ensure_ascii=False), json.dumps(row[6], ensure_ascii=False))
        for row in hits("encoded")
    ]
    written_encoded = _sql.rows_write(
        ScreeningJobHit, columns, as_text, encoded=("matched_fields", "why")
    )
    assert written_encoded == len(listed)

    def written(reference):
        return list(
            ScreeningJobHit.objects.filter(reference=reference)
            .order_by("row")
            .values(*(c for c in columns if c != "reference"))
        )

    assert written("copy") == written("orm") and len(written("copy")) == len(listed)
    assert written("encoded") == written("orm")


def test_neither_a_job_nor_an_entry_it_hit_can_be_deleted(
    world, listed, key, client, django_capture_on_commit_callbacks
):
    response = _upload(
        client, _ndjson(ROWS), "application/x-ndjson", key, django_capture_on_commit_callbacks
    )
    job = ScreeningJob.objects.get(pk=response.json()["id"])

    with pytest.raises(ProtectedError):
        listed["zhang"].delete()
    with pytest.raises(ProtectedError):
        job.delete()
    assert ScreeningJobHit.objects.filter(job=job, entry=listed["zhang"]).exists()


@override_settings(BLACKLIST_SCREENING_JOB_CHUNK_ROWS=4)
def test_a_run_that_skipped_a_chunk_being_written_leaves_the_log_to_the_other(
    world, listed, monkeypatch
):
    from blacklist.screening import jobs

    job = screening_job_submit(
        actor=world.officer,
        body=[_ndjson(ROWS)],
        content_type="application/x-ndjson",
        channel="web",
    )
    screen_chunk = jobs._screen_chunk

    def busy_first_chunk(job_pk, start, *args):
        return False if start == 0 else screen_chunk(job_pk, start, *args)

    monkeypatch.setattr(jobs, "_screen_chunk", busy_first_chunk)
    screening_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.log_id) == ("running", 0, None)

    monkeypatch.setattr(jobs, "_screen_chunk", screen_chunk)
    screening_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == 12 and job.log_id
    assert ScreeningLog.objects.filter(channel=ScreeningLog.Channel.JOB).count() == 1


# The gaps closed by issue 19's review: the roster deleted once screened, no identity
# number kept in clear, messages in the reader's language, every error reachable, a job
# whose retries ran out ended as failed, a chunked upload read.


def _submitted(client, body, key, capture):
    """Upload ``body`` through the API, the task not yet run: the job and its task."""
    with capture() as callbacks:
        response = client.post(
            "/api/v1/screening/jobs/", body, content_type="application/x-ndjson", **key
        )
    assert response.status_code == 202, response.content
    return ScreeningJob.objects.get(pk=response.json()["id"]), callbacks


def test_the_roster_is_deleted_once_the_job_is_done_and_no_number_is_kept_in_clear(
    client, world, listed, key, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    rows = [*ROWS, {"reference": ZHANG_ID, "id_number": ZHANG_ID}]
    job, callbacks = _submitted(client, _ndjson(rows), key, django_capture_on_commit_callbacks)
    name = job.file.name
    assert name and default_storage.exists(name)
    with default_storage.open(name, "rb") as waiting:
        stored = waiting.read()
    assert ZHANG_ID.encode() not in stored and "张伟".encode() not in stored  # sealed

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    job.refresh_from_db()
    assert job.status == "done" and job.file.name == ""
    assert not default_storage.exists(name)
    kept = [
        *ScreeningJobHit.objects.filter(job=job).values_list(),
        *job.error_rows.values_list(),
        *ScreeningLog.objects.filter(pk=job.log_id).values_list(),
        *ScreeningJob.objects.filter(pk=job.pk).values_list(),
    ]
    assert ZHANG_ID not in repr(kept) and LI_ID not in repr(kept)
    assert job.hit_rows.filter(reference=f"{ZHANG_ID[:6]}********{ZHANG_ID[-4:]}").exists()
    result = client.get(f"/api/v1/screening/jobs/{job.pk}/result.csv", **key)
    result = b"".join(result.streaming_content)
    assert ZHANG_ID.encode() not in result


def test_row_errors_are_read_in_the_readers_language(
    client, world, listed, key, django_capture_on_commit_callbacks
):
    from django.utils import translation

    job, callbacks = _submitted(client, _ndjson(ROWS), key, django_capture_on_commit_callbacks)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    error = job.error_rows.get(reference="r-3")
    assert error.message_key == "The check digit of this resident ID number is wrong."

    def messages(language):
        status = client.get(
            f"/api/v1/screening/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE=language, **key
        )
        return {(e["reference"], e["field"]): e["message"] for e in status.json()["errors"]}

    english, chinese = messages("en"), messages("zh-hans")
    assert english[("r-3", "id_number")] == "The check digit of this resident ID number is wrong."
    assert chinese[("r-3", "id_number")] != english[("r-3", "id_number")]
    assert "校验" in chinese[("r-3", "id_number")]
    assert english[("", "row")] == "This line is not JSON."
    client.force_login(world.officer)
    page = client.get(reverse("blacklist:screening-job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "The check digit of this resident ID number is wrong." in page.content.decode()


def test_hit_reasons_are_read_in_the_readers_language(
    client, world, listed, key, django_capture_on_commit_callbacks
):
    from django.utils import translation

    job, callbacks = _submitted(client, _ndjson(ROWS), key, django_capture_on_commit_callbacks)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the worker runs in Chinese

    def reasons(language, path):
        answer = client.get(
            f"/api/v1/screening/jobs/{job.pk}/{path}", HTTP_ACCEPT_LANGUAGE=language, **key
        )
        text = b"".join(answer.streaming_content).decode("utf-8-sig")
        if path.endswith(".json"):
            return {(h["reference"], h["entry"]): h["reason"] for h in json.loads(text)}
        rows = list(csv.DictReader(io.StringIO(text)))
        return {(r["reference"], r["entry"]): r["reason"] for r in rows}

    hit = ("r-2", listed["zhang"].reference)
    for path in ("result.json", "result.csv"):
        english, chinese = reasons("en", path), reasons("zh-hans", path)
        assert english[hit] == "resident ID number matches (keyed hash): exact"
        assert "身份证" in chinese[hit] and "resident" not in chinese[hit]
        assert english.keys() == chinese.keys()
        assert all(not any("\u4e00" <= c <= "\u9fff" for c in why) for why in english.values())


def test_a_roster_taken_before_sealing_is_still_screened(
    client, world, listed, key, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    job, callbacks = _submitted(client, _ndjson(ROWS), key, django_capture_on_commit_callbacks)
    job.file.delete(save=False)
    job.file.save("roster.ndjson", ContentFile(_ndjson(ROWS)), save=True)  # in clear, as before
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    job.refresh_from_db()
    assert (job.status, job.rows_done) == ("done", job.rows_total)
    assert job.hit_rows.filter(reference="r-2", entry=listed["zhang"]).exists()


def test_every_row_in_error_is_reached_page_by_page(
    client, world, listed, key, django_capture_on_commit_callbacks
):
    rows = [{"reference": f"e-{n}"} for n in range(1005)]
    response = _upload(
        client, _ndjson(rows), "application/x-ndjson", key, django_capture_on_commit_callbacks
    )
    status = response.json()
    status = client.get(response["Location"], **key).json()
    assert status["errors_count"] == 1006 and len(status["errors"]) == 1000
    first = client.get(status["errors_url"], **key).json()
    assert first["count"] == 1006 and len(first["results"]) == 1000 and first["next"]
    second = client.get(first["next"], **key).json()
    assert len(second["results"]) == 6 and second["next"] is None
    references = {e["reference"] for e in first["results"] + second["results"]}
    assert references >= {f"e-{n}" for n in range(1005)}
    assert client.get(status["errors_url"] + "?page=3", **key).status_code == 404

    client.force_login(world.officer)
    url = reverse("blacklist:screening-job", args=[status["id"]])
    assert "e-1004" in client.get(url + "?page=11").content.decode()
    assert "e-1004" not in client.get(url).content.decode()


def test_another_platform_reads_no_errors_of_a_job(
    client, world, listed, key, other_key, django_capture_on_commit_callbacks
):
    response = _upload(
        client, _ndjson(ROWS), "application/x-ndjson", key, django_capture_on_commit_callbacks
    )
    url = response["Location"] + "errors/"
    assert client.get(url, **other_key).status_code == 404
    assert client.get(url, **key).status_code == 200


def test_a_job_whose_retries_ran_out_ends_as_failed_with_its_reason(
    client, world, key, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from django.db import OperationalError

    from blacklist.tasks import screening_job_run_task

    job, _callbacks = _submitted(client, _ndjson(ROWS), key, django_capture_on_commit_callbacks)
    ScreeningJob.objects.filter(pk=job.pk).update(status="running")
    name = job.file.name

    # What Celery calls when autoretry gives up: the last database error.
    with django_capture_on_commit_callbacks(execute=True):
        screening_job_run_task.on_failure(
            OperationalError("server closed the connection"), "task-id", (job.pk,), {}, None
        )

    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", "retries_exhausted") and job.finished_at
    assert job.file.name == "" and not default_storage.exists(name)
    status = client.get(f"/api/v1/screening/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en", **key)
    assert status.json()["failure"] == "retries_exhausted"
    assert "several attempts" in status.json()["failure_reason"]
    client.force_login(world.officer)
    page = client.get(reverse("blacklist:screening-job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "several attempts" in page.content.decode()


def test_a_job_that_cannot_read_its_roster_fails_for_real(
    client, world, key, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from blacklist.tasks import screening_job_run_task

    job, _callbacks = _submitted(client, _ndjson(ROWS), key, django_capture_on_commit_callbacks)
    default_storage.delete(job.file.name)  # the storage lost the file

    with django_capture_on_commit_callbacks(execute=True):
        screening_job_run_task.apply(args=(job.pk,))

    job.refresh_from_db()
    assert (job.status, job.failure, job.file.name) == ("failed", "unreadable", "")
    status = client.get(f"/api/v1/screening/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en", **key)
    assert status.json()["failure_reason"].startswith("The roster could not be read")


def test_a_roster_altered_while_it_waits_fails_the_job(
    client, world, key, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from blacklist.tasks import screening_job_run_task

    job, _callbacks = _submitted(client, _ndjson(ROWS), key, django_capture_on_commit_callbacks)
    with default_storage.open(job.file.name, "rb") as stored:
        sealed = bytearray(stored.read())
    sealed[-5] ^= 1
    with default_storage.open(job.file.name, "wb") as stored:
        stored.write(bytes(sealed))

    with django_capture_on_commit_callbacks(execute=True):
        screening_job_run_task.apply(args=(job.pk,))

    job.refresh_from_db()
    assert (job.status, job.failure, job.hits) == ("failed", "unreadable", 0)


def _chunked(client, body: bytes, key):
    """A chunked upload as gunicorn hands it over: no ``Content-Length``, the decoded
    body in ``wsgi.input``."""
    return client.post(
        "/api/v1/screening/jobs/",
        body,
        content_type="application/x-ndjson",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        HTTP_ACCEPT_LANGUAGE="en",
        **{"wsgi.input": io.BytesIO(body)},
        **key,
    )


def test_a_chunked_upload_without_content_length_is_read(
    client, world, listed, key, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _chunked(client, _ndjson(ROWS), key)

    assert response.status_code == 202, response.content
    job = ScreeningJob.objects.get(pk=response.json()["id"])
    assert job.status == "done" and job.rows_total == 12


@override_settings(BLACKLIST_SCREENING_JOB_MAX_BYTES=100)
def test_a_chunked_upload_over_the_size_limit_answers_400(client, world, key):
    response = _chunked(client, _ndjson(ROWS), key)

    assert response.status_code == 400 and response.json()["code"] == "too_large"
    assert not ScreeningJob.objects.exists()


def test_the_page_and_the_api_tell_the_format_the_same_way(world, listed):
    from blacklist.screening.jobs import format_by_content

    assert format_by_content(b'\xef\xbb\xbf  {"name": "x"}') == "application/x-ndjson"
    assert format_by_content(b"reference,name\n") == "text/csv"
    job = screening_job_submit(
        actor=world.officer, body=[b"", _ndjson(ROWS)], content_type=None, channel="web"
    )
    assert job.file_format == "application/x-ndjson" and job.rows_total == 12


def test_the_departments_screenings_page_pages_a_jobs_hits(
    client, world, listed, key, django_capture_on_commit_callbacks
):
    rows = [{"reference": f"z-{n}", "name": "张伟"} for n in range(1, 61)]
    body = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()
    response = _upload(
        client, body, "application/x-ndjson", key, django_capture_on_commit_callbacks
    )
    job = ScreeningJob.objects.get(pk=response.json()["id"])
    xihu = world.departments["xihu_market"]
    assert job.hit_rows.filter(entry__department=xihu).count() == 60

    client.force_login(world.handler)
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = client.get(reverse("blacklist:screenings"), **en).content.decode()
    assert "party 20:" in page and "party 21:" not in page
    detail = reverse("blacklist:screening-hits", args=[job.log_id])
    assert detail in page
    first = client.get(detail, **en).content.decode()
    assert "party 50:" in first and "party 51:" not in first
    second = client.get(detail + "?page=2", **en).content.decode()
    assert "party 60:" in second and listed["zhang"].reference in second
    assert listed["zhang2"].reference not in first + second  # another department's entry
    client.force_login(world.gd_handler)  # no hit on its entries: not its screening
    assert client.get(detail).status_code == 404
