"""Intake: a complaint or report filed by a consumer on the form or by API, its
evidence, duplicate flagging, routing to the competent department and the
decision clock that starts on receipt."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.audit import actor_user
from portal.identity import phone_hash
from portal.models import Deadline, RuleSet
from portal.rules import (
    rule_set_for,
)
from portal.services import (
    deadline_new,
)

from ..lookups import region_by_code
from ..models import (
    CaseEvent,
    Complaint,
    Evidence,
)
from ..routing import OperatorPlaces, route_case
from ._sql import earlier_case_id, insert_case_rows, live_room_place, writes_in_one_statement
from .common import DECISION_CLOCK, _event_new, _notify, _today

DUPLICATE_WINDOW_DAYS = 30


@dataclass
class Intake:
    """What a consumer sends: the fields of the public form and API."""

    kind: str
    category: object
    description: str
    consumer_region: object
    platform: object = None
    platform_other: str = ""
    live_room_account: str = ""
    live_room_name: str = ""
    live_room_url: str = ""
    marketer_name: str = ""
    occurred_on: date | None = None
    order_number: str = ""
    amount: object = None
    anonymous: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    language: str = "zh-hans"
    evidence: list = field(default_factory=list)


def normalise_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-11:] if len(digits) > 11 and digits.startswith("86") else digits


@dataclass(frozen=True)
class Submission:
    """A filed case and the clock of its decision (what the consumer is told)."""

    complaint: Complaint
    decision_clock: Deadline


@dataclass(frozen=True)
class _Draft:
    """A routed, validated case with its clock, timeline line and audit, unsaved."""

    complaint: Complaint
    clock: Deadline
    event: CaseEvent
    audit: list


def complaint_submit(*, intake: Intake, actor=None) -> Complaint:
    """File a complaint or report from the public form or API and route it."""
    return submission_create(intake=intake, actor=actor).complaint


def submission_create(*, intake: Intake, actor=None) -> Submission:
    """As :func:`complaint_submit`, also returning the decision clock it started.

    The reads (live room, possible duplicate) come first, then the writes in one
    transaction. On PostgreSQL a case that brings no evidence and is owed no
    email (the consumer gave none) has a single write, atomic by itself, so it
    goes without a transaction around it (no BEGIN and COMMIT round trips)."""
    draft = _draft(intake=intake, actor=actor)
    complaint = draft.complaint
    if writes_in_one_statement() and not intake.evidence and not complaint.contact_email:
        insert_case_rows(
            complaint=complaint, clock=draft.clock, event=draft.event, audit=draft.audit
        )
        return Submission(complaint=complaint, decision_clock=draft.clock)
    with transaction.atomic():
        insert_case_rows(
            complaint=complaint, clock=draft.clock, event=draft.event, audit=draft.audit
        )
        if intake.evidence:
            Evidence.objects.filter(pk__in=[e.pk for e in intake.evidence], complaint=None).update(
                complaint=complaint
            )
        _notify(complaint, "received", draft.event, due=draft.clock)
    return Submission(complaint=complaint, decision_clock=draft.clock)


def _draft(*, intake: Intake, actor) -> _Draft:
    """Route the case (Order 117 Art. 47), flag a possible duplicate, and prepare the
    decision clock, the timeline line and the audit events: two reads, the
    reference rows coming from the per-process cache."""
    account = intake.live_room_account.strip()
    room_id, operator = None, None
    place = None
    if intake.platform is not None and account:
        place = live_room_place(platform_id=intake.platform.pk, account_id=account)
    if place is not None:
        room_id, business_region, domicile, registered = place
        # The operator's places (Art. 47), from the per-process region cache.
        if business_region or domicile or registered is not None:
            operator = OperatorPlaces(
                business_region=region_by_code(business_region) if business_region else None,
                domicile=region_by_code(domicile) if domicile else None,
                registered_entity=bool(registered),
            )
    route = route_case(
        category=intake.category,
        platform=intake.platform,
        operator=operator,
        consumer_region=intake.consumer_region,
    )
    # The case is handled under the rules in force on the day it is received.
    rule_set = rule_set_for(RuleSet.Matter.COMPLAINT, _today())
    complaint = Complaint(
        rule_set=rule_set,
        kind=intake.kind,
        category=intake.category,
        platform=intake.platform,
        platform_other=intake.platform_other,
        live_room_id=room_id,
        live_room_account=account,
        live_room_name=intake.live_room_name,
        live_room_url=intake.live_room_url,
        marketer_name=intake.marketer_name,
        occurred_on=intake.occurred_on,
        order_number=intake.order_number,
        amount=intake.amount,
        description=intake.description,
        consumer_region=intake.consumer_region,
        anonymous=intake.anonymous and intake.kind == Complaint.Kind.REPORT,
        contact_name=intake.contact_name,
        contact_phone=(phone := normalise_phone(intake.contact_phone)),
        contact_phone_hash=phone_hash(phone),
        contact_email=intake.contact_email.strip().lower(),
        language=intake.language,
        department=route.department,
        region=route.region,
        routing_basis=route.basis,
        in_triage=route.triage,
    )
    if complaint.anonymous:
        from ..models import new_access_key

        complaint.contact_name = complaint.contact_phone = complaint.contact_email = ""
        complaint.contact_phone_hash = ""
        complaint.access_key = new_access_key()
    # The related rows were loaded by the caller and the router: validate the
    # fields, not again that each foreign key exists (the database does that).
    complaint.full_clean(
        exclude=[
            "category",
            "platform",
            "live_room",
            "consumer_region",
            "department",
            "region",
            "rule_set",
        ],
        validate_unique=False,
    )
    # Looked up before the insert, so that the case is written once with its flag.
    complaint.possible_duplicate_of_id = earlier_case_id(
        phone_hash=complaint.contact_phone_hash,
        email=complaint.contact_email,
        live_room_id=room_id,
        platform_id=complaint.platform_id,
        account=complaint.live_room_account,
        since=timezone.now() - timedelta(days=DUPLICATE_WINDOW_DAYS),
    )
    clock, started = deadline_new(
        subject=complaint,
        clock=DECISION_CLOCK[complaint.kind],
        started_on=_today(),
        actor=actor,
        department=complaint.department,
        rule_set=rule_set,
    )
    event, received = _event_new(
        complaint,
        actor=actor,
        action="received",
        public=True,
        message=gettext_lazy("Received and sent to %(department)s."),
        params={"department": complaint.department},
        data={"basis": route.basis, "triage": route.triage},
    )
    return _Draft(complaint=complaint, clock=clock, event=event, audit=[started, received])


def store_evidence(*, upload, actor=None) -> Evidence:
    """Keep one checked upload (see ``uploads.check_upload``) until a case claims it."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        original_name=upload.name[:200],
        content_type=upload.checked_content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor_user(actor),
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence
