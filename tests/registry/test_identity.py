"""Identity numbers: validation, masking, encryption, the age rule and audited views."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from demo.data import demo_ric, demo_uscc
from portal.identity import (
    decrypt_identity,
    encrypt_identity,
    identity_hash,
    mask_name,
    mask_ric,
    ric_fast,
    uscc_fast,
    validate_ric,
    validate_uscc,
)
from portal.models import AuditEvent, IdentityView
from registry.age import marketer_age_status
from registry.models import Marketer
from tests.factories import (
    LiveRoomFactory,
    MarketerFactory,
    OperatorFactory,
    PlatformFactory,
    UserFactory,
)

# GB 11643's worked example, whose check character is X.
RIC_WITH_X = "11010519491231002X"
VALID_RIC = demo_ric("110105", date(1992, 12, 31), 57)


def test_valid_resident_id_is_accepted_in_canonical_form():
    assert validate_ric(RIC_WITH_X.lower()) == RIC_WITH_X
    assert validate_ric(" " + VALID_RIC + " ") == VALID_RIC


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "ric_checksum"),  # X replaced by 1
        ("11010519491231002", "ric_length"),
        ("1101051949123100AX", "ric_format"),
        ("110105194902300020", "ric_birth"),  # 30 February
        ("999999199001010010", "ric_region"),  # no such division
    ],
)
def test_invalid_resident_ids_are_refused_with_their_reason(number, code):
    with pytest.raises(ValidationError) as caught:
        validate_ric(number)
    assert caught.value.code == code


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",
        "11010519491231002",
        "1101051949123100AX",
        "110105194902300020",
        "999999199001010010",
        demo_ric("110105", date(2026, 12, 20), 1),
    ],
)
def test_the_fast_check_refuses_what_the_full_check_refuses(number):
    with time_machine.travel(date(2026, 11, 28), tick=False):
        assert ric_fast(number, date(2026, 11, 28)) is None
        with pytest.raises(ValidationError):
            validate_ric(number)


def test_the_fast_checks_accept_what_the_full_checks_accept():
    rics = [demo_ric("330106", date(1996, 11, 20), n) for n in range(200)] + [RIC_WITH_X]
    assert [ric_fast(n, date(2026, 11, 28)) for n in rics] == [validate_ric(n) for n in rics]
    usccs = [demo_uscc("330106", n) for n in range(200)]
    assert [uscc_fast(c) for c in usccs] == [validate_uscc(c) for c in usccs]
    broken = usccs[0][:-1] + ("0" if usccs[0][-1] != "0" else "1")
    assert uscc_fast(broken) is None


def test_resident_id_born_in_the_future_is_refused():
    future = demo_ric("110105", date(2026, 12, 20), 1)
    with (
        time_machine.travel(date(2026, 11, 28), tick=False),
        pytest.raises(ValidationError) as caught,
    ):
        validate_ric(future)
    assert caught.value.code == "ric_future"


def test_uscc_check_character_is_verified():
    good = demo_uscc("330106", 1)
    assert validate_uscc(good.lower()) == good
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        validate_uscc(wrong)
    assert caught.value.code == "uscc_checksum"
    with pytest.raises(ValidationError):
        validate_uscc("91330106")


def test_masking_keeps_region_and_last_four():
    assert mask_ric(RIC_WITH_X) == "110105********002X"
    assert mask_name("张伟") == "张**"
    assert mask_name("欧阳娜娜") == "欧**"  # the length is not told


@pytest.mark.django_db
def test_id_number_is_stored_encrypted_and_found_by_keyed_hash():
    marketer = MarketerFactory(id_number=RIC_WITH_X)
    stored = Marketer.objects.get(pk=marketer.pk)

    assert RIC_WITH_X not in stored.id_number_encrypted
    assert stored.id_number_masked == "110105********002X"
    assert decrypt_identity(stored.id_number_encrypted) == RIC_WITH_X
    assert Marketer.objects.get(id_number_hash=identity_hash(RIC_WITH_X.lower())) == stored
    assert stored.birth_date == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("birth", "allowed", "consent_needed"),
    [
        (date(2010, 11, 29), False, False),  # 15, sixteen tomorrow
        (date(2010, 11, 28), True, True),  # 16 today
        (date(2008, 11, 29), True, True),  # 17, eighteen tomorrow
        (date(2008, 11, 28), True, False),  # 18 today
    ],
)
def test_age_rule_of_trial_art_17(birth, allowed, consent_needed):
    status = marketer_age_status(birth, date(2026, 11, 28))
    assert (status.allowed, status.needs_guardian_consent) == (allowed, consent_needed)


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 28), tick=False)
def test_marketer_under_16_is_refused():
    marketer = Marketer(name="少年")
    marketer.set_id_number(demo_ric("330106", date(2011, 1, 5), 3))
    with translation.override("en"), pytest.raises(ValidationError, match="Under 16"):
        marketer.full_clean()


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 28), tick=False)
def test_marketer_aged_17_needs_a_guardians_consent():
    marketer = Marketer(name="少年")
    marketer.set_id_number(demo_ric("330106", date(2009, 8, 1), 3))
    with pytest.raises(ValidationError) as caught:
        marketer.full_clean()
    assert "guardian_consent" in caught.value.message_dict

    marketer.guardian_consent = True
    marketer.full_clean()


@pytest.fixture
def visible_marketer(departments, regions):
    room = LiveRoomFactory(
        platform=PlatformFactory(domicile=regions["xihu"]),
        operator=OperatorFactory(business_region=regions["xihu"]),
    )
    marketer = MarketerFactory(id_number=RIC_WITH_X)
    room.marketers.add(marketer)
    return marketer


def test_handler_sees_the_number_masked_and_cannot_reveal_it(client, departments, visible_marketer):
    client.force_login(UserFactory(department=departments["xihu_market"], role=Role.HANDLER))

    page = client.get(reverse("registry:marketer", args=[visible_marketer.pk]))
    refused = client.post(
        reverse("registry:marketer", args=[visible_marketer.pk]), {"purpose": "核查"}
    )

    assert "110105********002X" in page.text
    assert RIC_WITH_X not in page.text + refused.text
    assert "no-store" not in page.get("Cache-Control", "")  # masked: an ordinary page
    assert not IdentityView.objects.exists()


def test_supervisor_reveals_the_number_and_the_view_is_recorded(
    client, departments, visible_marketer
):
    supervisor = UserFactory(department=departments["xihu_market"], role=Role.SUPERVISOR)
    client.force_login(supervisor)

    page = client.post(
        reverse("registry:marketer", args=[visible_marketer.pk]), {"purpose": "案件核查"}
    )

    assert RIC_WITH_X in page.text
    # No browser or proxy cache may keep the answer that holds the number.
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    view = IdentityView.objects.get()
    assert (view.actor, view.purpose, view.object_id) == (
        supervisor,
        "案件核查",
        str(visible_marketer.pk),
    )
    assert AuditEvent.objects.filter(action="identity.revealed", actor=supervisor).exists()


def test_reveal_without_a_purpose_shows_an_error_beside_the_field(
    client, departments, visible_marketer
):
    client.force_login(UserFactory(department=departments["xihu_market"], role=Role.SUPERVISOR))

    page = client.post(
        reverse("registry:marketer", args=[visible_marketer.pk]),
        {"purpose": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert 'class="error-summary"' in page.text
    assert "Fill in this field." in page.text
    assert RIC_WITH_X not in page.text
    assert not IdentityView.objects.exists()


def test_identity_numbers_encrypted_before_with_fernet_still_decrypt(settings):
    from cryptography.fernet import Fernet

    earlier = Fernet(settings.IDENTITY_ENCRYPTION_KEY.encode()).encrypt(RIC_WITH_X.encode())
    assert decrypt_identity(earlier.decode()) == RIC_WITH_X


def test_encryption_is_authenticated_and_never_repeats_itself():
    import base64

    from cryptography.exceptions import InvalidTag

    first, second = encrypt_identity(RIC_WITH_X), encrypt_identity(RIC_WITH_X)
    assert first != second  # a fresh nonce each time: equal numbers do not show
    assert decrypt_identity(first) == decrypt_identity(second) == RIC_WITH_X
    prefix, raw = first[:3], bytearray(base64.urlsafe_b64decode(first[3:]))
    raw[20] ^= 0x01  # one bit of the ciphertext changed
    with pytest.raises(InvalidTag):
        decrypt_identity(prefix + base64.urlsafe_b64encode(bytes(raw)).decode())


def test_keyed_hash_is_hmac_sha256_in_base32(settings):
    import base64
    import hashlib
    import hmac

    digest = hmac.new(settings.IDENTITY_HASH_KEY.encode(), RIC_WITH_X.encode(), hashlib.sha256)
    expected = base64.b32encode(digest.digest()).decode().rstrip("=").lower()
    assert identity_hash(RIC_WITH_X) == expected
    assert identity_hash(RIC_WITH_X.lower()) == expected  # the canonical form is hashed


@pytest.mark.django_db
def test_the_negative_catalogue_rests_on_trial_art_7_para_3_only():
    from registry.models import NegativeCatalogueItem, ViolationCategory

    category = ViolationCategory.objects.get(code="negative-catalogue")
    assert (category.articles, category.articles_en) == (
        "《网络直播营销管理办法（试行）》第七条第三款",
        "Trial Art. 7 ¶3",
    )
    for code in ("unfit-for-live", "prohibited-by-law"):
        assert NegativeCatalogueItem.objects.get(code=code).basis_en == "Trial Art. 7 ¶3"
    assert not NegativeCatalogueItem.objects.filter(basis__contains="第三十三条").exists()
