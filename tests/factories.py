"""One factory per meaningful state of the foundation's models."""

from datetime import date

import factory
from django.contrib.auth.models import Group

from accounts.models import Department, DepartmentType, Platform, Region, Role, User
from complaints.models import Complaint
from demo.data import demo_ric, demo_uscc
from registry.models import LiveRoom, Marketer, Operator, PartyKind, ViolationCategory


def region(code: str, name: str, level: int, parent: Region | None) -> Region:
    obj, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return obj


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"部门{n}")
    type = DepartmentType.MARKET_SUPERVISION


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    name = factory.Sequence(lambda n: f"平台{n}有限公司")
    uscc = factory.Sequence(lambda n: demo_uscc("330106", 9000 + n))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-2026")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).value))


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator

    kind = PartyKind.ORGANISATION
    name = factory.Sequence(lambda n: f"运营者{n}有限公司")
    uscc = factory.Sequence(lambda n: demo_uscc("330106", 7000 + n))
    registered_entity = True


class MarketerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Marketer

    name = factory.Sequence(lambda n: f"主播{n}")

    id_number = factory.Sequence(lambda n: demo_ric("330106", date(1990, 5, 17), n % 1000))

    @classmethod
    def _create(cls, model_class, *args, id_number, **kwargs):
        marketer = model_class(*args, **kwargs)
        marketer.set_id_number(id_number)
        marketer.save()
        return marketer


class LiveRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveRoom

    account_id = factory.Sequence(lambda n: f"room-{n}")
    name = factory.Sequence(lambda n: f"直播间{n}")


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    tracking_code = factory.Sequence(lambda n: f"T{n:08d}")
    kind = Complaint.Kind.COMPLAINT
    category = factory.LazyFunction(lambda: ViolationCategory.objects.get(code="consumer-dispute"))
    description = "测试投诉"
    consumer_region = factory.LazyAttribute(lambda case: case.department.region)
