"""One factory per meaningful state of a blacklist entry.

They write rows directly (like a data import would), including the state row
and the name keys the services write, so that a test starts from the state it
is about; the lifecycle tests drive the services themselves.
"""

from datetime import date, timedelta

import factory
from django.utils import timezone

from blacklist.models import Entry, EntryNameKey, EntryState, ListKind, ShareScope, Status
from blacklist.screening.names import entry_keys_for
from demo.data import demo_ric
from portal.identity import identity_hash, mask_name, mask_ric
from registry.models import PartyKind, ViolationCategory


class EntryFactory(factory.django.DjangoModelFactory):
    """A departments' list entry, proposed. Pass ``department``."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    status = Status.PROPOSED
    id_number = factory.Sequence(lambda n: demo_ric("330106", date(1988, 3, 9), n % 1000))
    list = ListKind.DEPARTMENTS
    reference = factory.Sequence(lambda n: f"T{n:09d}")
    party_kind = PartyKind.PERSON
    name = "张伟"
    name_masked = factory.LazyAttribute(lambda o: mask_name(o.name))
    id_number_hash = factory.LazyAttribute(lambda o: identity_hash(o.id_number))
    id_number_masked = factory.LazyAttribute(lambda o: mask_ric(o.id_number))
    category = factory.LazyFunction(lambda: ViolationCategory.objects.get(code="false-information"))
    facts = "2026年在直播中虚构商品功效，欺骗消费者。"
    legal_basis = "《网络直播营销管理办法（试行）》第十四条第三款、第二十九条"
    decision_number = factory.Sequence(lambda n: f"杭市监罚〔2026〕{n}号")
    decision_date = date(2026, 1, 15)
    term_months = 36
    share_scope = ShareScope.ALL

    @classmethod
    def _create(cls, model_class, *args, status, id_number, **kwargs):
        entry = model_class.objects.create(*args, **kwargs)
        state = EntryState.objects.create(entry=entry, status=status, actor_label="factory")
        entry.current = state
        entry.save(update_fields=["current"])
        EntryNameKey.objects.bulk_create(
            EntryNameKey(entry=entry, key=key) for key in entry_keys_for(entry.name)
        )
        return entry


class ListedEntryFactory(EntryFactory):
    """On the departments' list since 30 days ago, for three years."""

    status = Status.LISTED
    listed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    term_ends_on = factory.LazyAttribute(lambda o: o.listed_on.replace(year=o.listed_on.year + 3))


class ExpiredTermEntryFactory(ListedEntryFactory):
    """Listed, but its term ended yesterday and the sweep has not run yet."""

    listed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3 * 365 + 1))
    term_ends_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))


class PlatformEntryFactory(ListedEntryFactory):
    """On the platforms' shared blacklist. Pass ``platform``."""

    list = ListKind.PLATFORMS
    department = None
    term_months = None
    decision_number = ""
    decision_date = None
    appeal_route = "平台申诉中心，15日内提出"
    term_ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
