"""Demo data for ``make run`` and the browser tests: idempotent, fictitious.

Every name, company and identity number here is invented; the identity
numbers and codes are generated with valid check digits so that they pass
the same validation as real ones.
"""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from stdnum.cn import ric, uscc

from accounts.models import Department, DepartmentType, Platform, Region, Role, User
from accounts.two_factor import demo_totp_devices_seed
from complaints.models import Complaint
from complaints.services.intake import Intake, complaint_submit
from demo.certificates import demo_certificates_make
from filings.models import NoticeKind, PlatformNotice
from filings.services.filings import filing_submit_batch
from filings.services.notices import notice_send
from inspections.models import Campaign, ClueTransfer
from inspections.services.clues import clue_transfer
from inspections.services.inspections import campaign_open, document_request_send
from portal.documents import DEMO_PASSWORD_ENV
from portal.models import DocumentPrefix
from registry.models import (
    Agency,
    LiveRoom,
    Marketer,
    Operator,
    PartyKind,
    Roster,
    ViolationCategory,
)
from registry.rosters.services import roster_file, roster_period_of

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo password

# code, Chinese, English, level, parent
REGIONS = [
    ("100000", "全国", "National", Region.Level.NATIONAL, None),
    ("110000", "北京市", "Beijing", Region.Level.PROVINCE, "100000"),
    ("110100", "北京市市辖区", "Beijing (districts)", Region.Level.CITY, "110000"),
    ("110105", "朝阳区", "Chaoyang District", Region.Level.COUNTY, "110100"),
    ("110108", "海淀区", "Haidian District", Region.Level.COUNTY, "110100"),
    ("330000", "浙江省", "Zhejiang", Region.Level.PROVINCE, "100000"),
    ("330100", "杭州市", "Hangzhou", Region.Level.CITY, "330000"),
    ("330106", "西湖区", "Xihu District", Region.Level.COUNTY, "330100"),
    ("330108", "滨江区", "Binjiang District", Region.Level.COUNTY, "330100"),
    ("330110", "余杭区", "Yuhang District", Region.Level.COUNTY, "330100"),
    ("330200", "宁波市", "Ningbo", Region.Level.CITY, "330000"),
    ("330203", "海曙区", "Haishu District", Region.Level.COUNTY, "330200"),
    ("440000", "广东省", "Guangdong", Region.Level.PROVINCE, "100000"),
    ("440100", "广州市", "Guangzhou", Region.Level.CITY, "440000"),
    ("440104", "越秀区", "Yuexiu District", Region.Level.COUNTY, "440100"),
    ("440106", "天河区", "Tianhe District", Region.Level.COUNTY, "440100"),
    ("440300", "深圳市", "Shenzhen", Region.Level.CITY, "440000"),
    ("440305", "南山区", "Nanshan District", Region.Level.COUNTY, "440300"),
]

PROVINCIAL_DEPARTMENTS = {
    DepartmentType.MARKET_SUPERVISION: (
        "{p}市场监督管理局",
        "{e} Administration for Market Regulation",
    ),
    DepartmentType.CYBERSPACE: ("{p}互联网信息办公室", "{e} Cyberspace Administration"),
    DepartmentType.PUBLIC_SECURITY: ("{p}公安厅", "{e} Department of Public Security"),
    DepartmentType.TAXATION: ("国家税务总局{p}税务局", "{e} Provincial Tax Service, STA"),
    DepartmentType.COMMERCE: ("{p}商务厅", "{e} Department of Commerce"),
    DepartmentType.CULTURE_TOURISM: ("{p}文化和旅游厅", "{e} Department of Culture and Tourism"),
    DepartmentType.RADIO_TV: ("{p}广播电视局", "{e} Radio and Television Administration"),
}


def demo_uscc(region_code: str, serial: int) -> str:
    body = f"91{region_code}MA{serial:07d}"[:17]
    return body + uscc.calc_check_digit(body + "0")  # stdnum ignores the last character


def demo_ric(region_code: str, birth: date, serial: int) -> str:
    body = f"{region_code}{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


# Document number prefixes (文号) of the demo departments, by region and type.
DEMO_PREFIXES = {
    ("330100", DepartmentType.MARKET_SUPERVISION): "杭市监投",
    ("330000", DepartmentType.MARKET_SUPERVISION): "浙市监",
    ("440100", DepartmentType.MARKET_SUPERVISION): "穗市监",
}


def demo_signing_seed():
    """A demo CA and a signing certificate per demo department, in
    ``DOCUMENT_DEMO_SIGNING_DIR`` (the demo only: unset in production). Kept when
    every department already has one, so documents signed before still verify."""
    import os

    directory = settings.DOCUMENT_DEMO_SIGNING_DIR
    if not directory:
        return None
    directory = Path(directory)
    signers = {d.signing_key: d.name for d in Department.objects.all()}
    if (directory / "ca.pem").exists() and all(
        (directory / f"{key}.p12").exists() for key in signers
    ):
        return directory
    password = os.environ.get(DEMO_PASSWORD_ENV, "demo-only")
    demo_certificates_make(directory, signers, password=password)
    return directory


@transaction.atomic
def load_demo() -> dict[str, int]:
    for code, name, name_en, level, parent in REGIONS:
        region = Region(
            code=code,
            name=name,
            name_en=name_en,
            level=level,
            parent=_region(parent) if parent else None,
        )
        region.full_clean(validate_unique=False)
        region.save()

    departments = {}
    for province_code, p, e in (
        ("330000", "浙江省", "Zhejiang"),
        ("440000", "广东省", "Guangdong"),
    ):
        for dtype, (zh, en) in PROVINCIAL_DEPARTMENTS.items():
            departments[(province_code, dtype)], _ = Department.objects.update_or_create(
                region=_region(province_code),
                type=dtype,
                defaults={"name": zh.format(p=p), "name_en": en.format(e=e)},
            )
    local = [
        (
            "100000",
            DepartmentType.MARKET_SUPERVISION,
            "国家市场监督管理总局",
            "State Administration for Market Regulation",
        ),
        (
            "100000",
            DepartmentType.CYBERSPACE,
            "国家互联网信息办公室",
            "Cyberspace Administration of China",
        ),
        (
            "330100",
            DepartmentType.MARKET_SUPERVISION,
            "杭州市市场监督管理局",
            "Hangzhou Administration for Market Regulation",
        ),
        (
            "330100",
            DepartmentType.CYBERSPACE,
            "杭州市互联网信息办公室",
            "Hangzhou Cyberspace Administration",
        ),
        (
            "330203",
            DepartmentType.MARKET_SUPERVISION,
            "宁波市海曙区市场监督管理局",
            "Haishu District Administration for Market Regulation",
        ),
        (
            "440100",
            DepartmentType.MARKET_SUPERVISION,
            "广州市市场监督管理局",
            "Guangzhou Administration for Market Regulation",
        ),
    ]
    for code, dtype, zh, en in local:
        departments[(code, dtype)], _ = Department.objects.update_or_create(
            region=_region(code), type=dtype, defaults={"name": zh, "name_en": en}
        )

    platforms = {}
    for key, zh, en, code, serial in (
        ("xinghe", "星河直播电商有限公司", "Xinghe Live Commerce Co., Ltd.", "330110", 1),
        (
            "yunfan",
            "云帆互动网络科技有限公司",
            "Yunfan Interactive Network Technology Co., Ltd.",
            "440106",
            2,
        ),
        ("beichen", "北辰视频科技有限公司", "Beichen Video Technology Co., Ltd.", "110108", 3),
    ):
        platforms[key], _ = Platform.objects.update_or_create(
            uscc=demo_uscc(code, serial),
            defaults={"name": zh, "name_en": en, "domicile": _region(code)},
        )

    agency, _ = Agency.objects.update_or_create(
        uscc=demo_uscc("330106", 11),
        defaults={
            "name": "杭州繁星文化传媒有限公司",
            "name_en": "Hangzhou Fanxing Media Co., Ltd.",
            "domicile": _region("330106"),
        },
    )
    agency_gz, _ = Agency.objects.update_or_create(
        uscc=demo_uscc("440104", 12),
        defaults={
            "name": "广州羊城星选传媒有限公司",
            "name_en": "Guangzhou Yangcheng Star Media Co., Ltd.",
            "domicile": _region("440104"),
        },
    )

    def operator(
        name,
        kind,
        *,
        business=None,
        domicile=None,
        uscc_serial=None,
        birth=None,
        serial=0,
        id_region=None,
    ):
        op = Operator.objects.filter(name=name).first() or Operator(name=name)
        op.kind = kind
        op.business_region = _region(business) if business else None
        op.domicile = _region(domicile) if domicile else None
        op.business_address = "" if not business else f"{op.business_region.name}某路{serial}号"
        if uscc_serial:
            op.uscc = demo_uscc(domicile or business, uscc_serial)
        if birth:
            op.set_id_number(demo_ric(id_region or domicile or business, birth, serial))
        op.full_clean()
        op.save()
        return op

    op_xihu = operator(
        "杭州西子优选电子商务有限公司",
        PartyKind.ORGANISATION,
        business="330106",
        domicile="330106",
        uscc_serial=21,
        serial=8,
    )
    op_yuhang = operator(
        "余杭鲜果坊（个体工商户）",
        PartyKind.SOLE_TRADER,
        business="330110",
        domicile="330110",
        birth=date(1988, 6, 2),
        serial=31,
        id_region="330106",
    )
    op_gz = operator(
        "广州珠江好物商贸有限公司",
        PartyKind.ORGANISATION,
        business="440106",
        domicile="440106",
        uscc_serial=22,
        serial=18,
    )
    # A person operator with no known places: falls to the platform's domicile (Art. 47).
    op_remote = Operator.objects.filter(name="陈思远").first() or Operator(name="陈思远")
    op_remote.kind = PartyKind.PERSON
    op_remote.set_id_number(demo_ric("110105", date(1995, 3, 9), 41))
    op_remote.full_clean()
    op_remote.save()

    def marketer(name, region, birth, serial, *, agency=None, consent=False, id_region=None):
        m = Marketer.objects.filter(name=name).first() or Marketer(name=name)
        m.set_id_number(demo_ric(id_region or region, birth, serial))
        m.residence = _region(region)
        m.agency = agency
        m.guardian_consent = consent
        m.full_clean()
        m.save()
        return m

    m1 = marketer("李佳怡", "330106", date(1996, 11, 20), 62, agency=agency)
    m2 = marketer("王浩然", "330110", date(1990, 1, 15), 13, agency=agency, id_region="330106")
    m3 = marketer("周小雨", "330108", date(2009, 8, 1), 24, agency=agency, consent=True)
    m4 = marketer("林志强", "440106", date(1985, 4, 30), 35, agency=agency_gz)
    m5 = marketer("张伟", "110105", date(1992, 12, 31), 57)

    def room(platform, account, name, op, marketers):
        r, _ = LiveRoom.objects.update_or_create(
            platform=platform, account_id=account, defaults={"name": name, "operator": op}
        )
        r.marketers.set(marketers)
        return r

    room(platforms["xinghe"], "xh-10086", "西子优选直播间", op_xihu, [m1, m3])
    room(platforms["xinghe"], "xh-20417", "鲜果坊产地直发", op_yuhang, [m2])
    room(platforms["yunfan"], "yf-88001", "珠江好物", op_gz, [m4])
    room(platforms["yunfan"], "yf-66020", "西子优选·云帆店", op_xihu, [m1])
    room(platforms["beichen"], "bc-00731", "思远数码测评", op_remote, [m5])

    hz_market = departments[("330100", DepartmentType.MARKET_SUPERVISION)]
    users = [
        ("demo-handler", "王", "敏", Role.HANDLER, hz_market, None),
        ("demo-supervisor", "刘", "建国", Role.SUPERVISOR, hz_market, None),
        ("demo-head", "陈", "立", Role.DEPARTMENT_HEAD, hz_market, None),
        ("demo-deptadmin", "赵", "静", Role.DEPARTMENT_ADMIN, hz_market, None),
        ("demo-platform", "孙", "悦", Role.PLATFORM_OFFICER, None, platforms["xinghe"]),
        ("demo-admin", "系统", "管理员", Role.SITE_ADMIN, None, None),
    ]
    for username, last, first, role, department, platform in users:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.last_name, user.first_name = last, first
        user.department, user.platform = department, platform
        user.is_staff = role == Role.SITE_ADMIN
        user.is_superuser = role == Role.SITE_ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])

    categories = {c.code: c for c in ViolationCategory.objects.all()}
    # Filed through the same service as the public form: routed and on the clocks.
    cases = [
        (
            Complaint.Kind.COMPLAINT,
            "consumer-dispute",
            "xinghe",
            "xh-10086",
            "西子优选直播间",
            "330106",
            "直播间承诺七天无理由退货，收货后商家拒绝退货。",
            "陈女士",
            "13800000001",
        ),
        (
            Complaint.Kind.REPORT,
            "false-information",
            "xinghe",
            "xh-20417",
            "鲜果坊产地直发",
            "330110",
            "主播宣称普通食品具有治疗糖尿病功效。",
            "",
            "13800000002",
        ),
        (
            Complaint.Kind.REPORT,
            "fake-traffic",
            "yunfan",
            "yf-66020",
            "西子优选·云帆店",
            "330108",
            "直播间观看人数和销量疑似刷量。",
            "",
            "13800000003",
        ),
        (
            Complaint.Kind.COMPLAINT,
            "bad-goods",
            "yunfan",
            "yf-88001",
            "珠江好物",
            "440106",
            "购买的品牌护肤品疑似假冒，商家拒绝提供进货凭证。",
            "黄先生",
            "13800000004",
        ),
    ]
    for kind, category, platform, account, room_name, region, text, name, phone in cases:
        if Complaint.objects.filter(description=text).exists():
            continue
        complaint_submit(
            intake=Intake(
                kind=kind,
                category=categories[category],
                description=text,
                consumer_region=_region(region),
                platform=platforms[platform],
                live_room_account=account,
                live_room_name=room_name,
                contact_name=name,
                contact_phone=phone,
            )
        )
    for key, prefix in DEMO_PREFIXES.items():
        if key in departments:
            DocumentPrefix.objects.get_or_create(
                department=departments[key], defaults={"prefix": prefix}
            )
    _demo_platform_reports(platforms["xinghe"], departments)
    _demo_inspections(platforms["xinghe"], departments)
    # Two-factor sign-in for the staff and admin accounts, with the published
    # demo secret (`manage.py demo_totp demo-handler` prints the current code).

    demo_totp_devices_seed(User.objects.filter(username__startswith="demo-"))
    return {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "platforms": Platform.objects.count(),
        "live_rooms": LiveRoom.objects.count(),
        "users": len(users),
    }


def _demo_platform_reports(platform: Platform, departments: dict) -> None:
    """For demo-platform: a filing history, a notice awaiting its answer and
    the roster of the current half-year, all made through the services."""
    from datetime import timedelta

    from django.utils import timezone

    officer = User.objects.get(username="demo-platform")
    now = timezone.now()

    def moment(days_ago: int) -> str:
        return (now - timedelta(days=days_ago)).isoformat()

    # Idempotent by itself: the same external_id is never filed twice.
    filing_submit_batch(
        platform=platform,
        channel="api",
        actor=officer,
        items=[
            {
                "external_id": "XH-DEMO-0001",
                "party_kind": "marketer",
                "party_name": "李佳怡",
                "party_id_number": demo_ric("330106", date(1996, 11, 20), 62),
                "live_room_account": "xh-10086",
                "category": "false-information",
                "measures": ["warning", "traffic_limit"],
                "conduct_at": moment(12),
                "acted_at": moment(11),
                "facts": "直播中将普通食品宣传为具有降血糖功效，已警示并限制流量7日。",
                "evidence_links": ["https://evidence.xinghe.example/2026/0001.mp4"],
            },
            {
                "external_id": "XH-DEMO-0002",
                "party_kind": "live_room",
                "party_name": "鲜果坊产地直发",
                "party_id_number": demo_ric("330106", date(1988, 6, 2), 31),
                "live_room_account": "xh-20417",
                "category": "fake-traffic",
                "measures": ["term_suspension"],
                "suspended_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
                "conduct_at": moment(6),
                "acted_at": moment(5),
                "facts": "直播间观看人数和销量造假，暂停直播30日。",
            },
            {
                "external_id": "XH-DEMO-0003",
                "party_kind": "operator",
                "party_name": "杭州某某优品电子商务有限公司",
                "party_uscc": demo_uscc("330106", 31),
                "live_room_account": "xh-30999",
                "category": "bad-goods",
                "measures": ["account_closure", "reregistration_ban"],
                "conduct_at": moment(3),
                "acted_at": moment(2),
                "facts": "销售假冒品牌护肤品，关闭账号并禁止重新注册。",
            },
        ],
    )
    hz_market = departments[("330100", DepartmentType.MARKET_SUPERVISION)]
    if not PlatformNotice.objects.filter(platform=platform, department=hz_market).exists():
        notice_send(
            actor=User.objects.get(username="demo-handler"),
            platform=platform,
            kind=NoticeKind.UNREACHABLE_OPERATOR,
            party="鲜果坊产地直发（xh-20417）",
            message="我局多次联系该直播间运营者未果，请向其发送提醒并反馈。",
        )
    year, half = roster_period_of(timezone.localdate())
    if not Roster.objects.filter(platform=platform, year=year, half=half).exists():
        roster_file(
            platform=platform,
            year=year,
            half=half,
            channel="api",
            actor=officer,
            rows=[
                {
                    "kind": "operator",
                    "name": "杭州西子优选电子商务有限公司",
                    "uscc": demo_uscc("330106", 21),
                    "live_room_account": "xh-10086",
                    "business_region": "330106",
                    "home_region": "330106",
                },
                {
                    "kind": "operator",
                    "name": "余杭鲜果坊（个体工商户）",
                    "id_number": demo_ric("330106", date(1988, 6, 2), 31),
                    "live_room_account": "xh-20417",
                    "business_region": "330110",
                    "home_region": "330110",
                },
                {
                    "kind": "marketer",
                    "name": "李佳怡",
                    "id_number": demo_ric("330106", date(1996, 11, 20), 62),
                    "live_room_account": "xh-10086",
                    "home_region": "330106",
                },
                {
                    "kind": "marketer",
                    "name": "周小雨",
                    "id_number": demo_ric("330108", date(2009, 8, 1), 24),
                    "live_room_account": "xh-10086",
                    "home_region": "330108",
                    "guardian_consent": "是",  # 16 or 17 (Trial Art. 17), as in the register
                },
                {
                    "kind": "marketer",
                    "name": "王浩然",
                    "id_number": demo_ric("330106", date(1990, 1, 15), 13),
                    "live_room_account": "xh-20417",
                    "home_region": "330110",
                },
            ],
        )


def _demo_inspections(platform: Platform, departments: dict) -> None:
    """A special inspection of the platform awaiting its documents, and a clue
    from Hangzhou cyberspace (its handler ``demo-cyber``) in Hangzhou market
    supervision's inbox; made through the services, once."""

    hz_market = departments[("330100", DepartmentType.MARKET_SUPERVISION)]
    hz_cyber = departments[("330100", DepartmentType.CYBERSPACE)]
    handler = User.objects.get(username="demo-handler")
    theme = "2026年直播电商平台合规义务专项检查"
    if not Campaign.objects.filter(lead_department=hz_market, theme=theme).exists():
        campaign = campaign_open(
            actor=handler,
            theme=theme,
            legal_basis="《网络直播营销管理办法（试行）》第二十六条；"
            "《直播电商监督管理办法》第二十一条、第四十六条",
            period_start=date(2026, 11, 1),
            period_end=date(2027, 1, 31),
            participants=[hz_cyber],
            platforms=[platform],
        )
        document_request_send(
            actor=handler,
            inspection=campaign.inspections.get(),
            requested="1. 直播间运营者、直播营销人员身份核验及每六个月复核的制度和记录；\n"
            "2. 2026年7月报送的身份信息名册；\n"
            "3. 黑名单制度文本及申诉处理记录。",
        )
    cyber = User.objects.filter(username="demo-cyber").first() or User(username="demo-cyber")
    cyber.last_name, cyber.first_name = "陈", "晓"
    cyber.department, cyber.platform = hz_cyber, None
    cyber.set_password(DEMO_PASSWORD)
    cyber.save()
    cyber.groups.set([Group.objects.get(name=Role.HANDLER.value)])
    if not ClueTransfer.objects.filter(from_department=hz_cyber, to_department=hz_market).exists():
        clue_transfer(
            actor=cyber,
            to_department=hz_market,
            facts="网络巡查发现“鲜果坊产地直发”直播间（星河直播，xh-20417）宣称普通水果"
            "具有降血糖功效，并以“限时秒杀”虚构原价。",
            reason="涉嫌虚假宣传和价格违法，属市场监督管理部门职责。",
        )
