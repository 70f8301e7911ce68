"""Demo campaigns and dossiers for `make run` (registered with seed_demo). Idempotent: a dossier is
created only when no dossier with its title exists in that campaign. Every dossier is made and moved
through the services, up to nomination and screening; the council's and the awards' demo seeders
take the last campaign's nominated dossiers further (councils.demo, awards.demo)."""

import datetime as dt

from django.utils import timezone

from accounts.models import Unit, User
from submissions import services
from submissions.models import Campaign, Dossier, DossierKind, Field, Status, UnitGrade

S = Status
DOMAIN = "demo.dksangtao.vn"


def _campaign_dates(ceremony_year: int, today: dt.date | None) -> dict:
    if today is None:  # a finished campaign: the usual calendar of its year
        return {
            "submissions_open": dt.date(ceremony_year, 3, 1),
            "submissions_close": dt.date(ceremony_year, 5, 31),
            "unit_review_deadline": dt.date(ceremony_year, 6, 20),
            "screening_deadline": dt.date(ceremony_year, 6, 30),
            "scoring_start": dt.date(ceremony_year, 7, 1),
            "scoring_end": dt.date(ceremony_year, 7, 31),
            "ceremony_date": dt.date(ceremony_year, 9, 2),
        }
    close = today + dt.timedelta(days=45)
    review = close + dt.timedelta(days=15)
    screening = review + dt.timedelta(days=10)
    return {
        "submissions_open": today - dt.timedelta(days=30),
        "submissions_close": close,
        "unit_review_deadline": review,
        "screening_deadline": screening,
        "scoring_start": screening + dt.timedelta(days=1),
        "scoring_end": screening + dt.timedelta(days=21),
        "ceremony_date": dt.date(ceremony_year, 9, 2),
    }


def _appraisal_dates(today: dt.date) -> dict:
    """Today is the last day of the secretary's screening and the first of the council's scoring
    (the campaign's phases may touch, never overlap), so the council's whole journey can be tried."""
    return {
        "submissions_open": today - dt.timedelta(days=75),
        "submissions_close": today - dt.timedelta(days=30),
        "unit_review_deadline": today - dt.timedelta(days=15),
        "screening_deadline": today,
        "scoring_start": today,
        "scoring_end": today + dt.timedelta(days=14),
    }


def ranking_dates(today: dt.date) -> dict:
    """The council's window closed yesterday: the Front admins rank and draft the award list."""
    return {
        "submissions_open": today - dt.timedelta(days=90),
        "submissions_close": today - dt.timedelta(days=60),
        "unit_review_deadline": today - dt.timedelta(days=45),
        "screening_deadline": today - dt.timedelta(days=31),
        "scoring_start": today - dt.timedelta(days=30),
        "scoring_end": today - dt.timedelta(days=1),
    }


PHASES = {
    "submissions": "units submit, review and nominate",
    "appraisal": "the council screens and scores",
    "ranking": "scored by the council; the Front admins rank and publish",
}
PHASE_DATES = {"appraisal": _appraisal_dates, "ranking": ranking_dates}


def set_phase(phase: str, today: dt.date | None = None) -> Campaign:
    """Move the demo's current campaign into a phase (`manage.py demo_phase`)."""
    today = today or timezone.localdate()
    campaign, _previous = demo_campaigns(today)
    dates = _campaign_dates(campaign.year, today) if phase == "submissions" else PHASE_DATES[phase](today)
    Campaign.objects.filter(pk=campaign.pk).update(**{k: v for k, v in dates.items() if k != "ceremony_date"})
    campaign.refresh_from_db()
    return campaign


def demo_campaigns(today: dt.date) -> tuple[Campaign, Campaign]:
    """The campaign open today (its ceremony on the next 2/9 that leaves time for scoring) and the
    one before it, finished."""
    year = today.year if today + dt.timedelta(days=100) < dt.date(today.year, 9, 2) else today.year + 1
    current, _created = Campaign.objects.get_or_create(
        year=year,
        defaults={"name": f"Đợt xét chọn năm {year}", "nomination_quota": 5, **_campaign_dates(year, today)},
    )
    previous, _created = Campaign.objects.get_or_create(
        year=year - 1, defaults={"name": f"Đợt xét chọn năm {year - 1}", **_campaign_dates(year - 1, None)}
    )
    return current, previous


AUTHORS = {
    "so-khcn": [
        ("Nguyễn Thị Lan", "1986-04-12", "Chuyên viên"),
        ("Trần Quốc Việt", "1979-09-30", "Trưởng phòng"),
    ],
    "tt-ung-dung-khcn": [
        ("Lê Quang Minh", "1975-01-08", "Giám đốc"),
        ("Phan Thị Thu Hà", "1990-11-21", "Kỹ sư"),
    ],
    "so-gddt": [
        ("Lê Thị Hoa", "1988-07-02", "Chuyên viên"),
        ("Hồ Văn Tâm", "1972-03-15", "Phó Trưởng phòng"),
    ],
    "thpt-quoc-hoc": [
        ("Nguyễn Hữu Phước", "1983-05-19", "Giáo viên"),
        ("Tôn Nữ Minh Châu", "1991-12-01", "Giáo viên"),
    ],
    "thpt-hai-ba-trung": [
        ("Dương Văn Lực", "1980-02-27", "Tổ trưởng"),
        ("Lê Thị Kim Oanh", "1993-08-09", "Giáo viên"),
    ],
}

# (unit code, creator, title, kind code, field code, summary, status, campaign: "current"/"previous")
DOSSIERS = [
    (
        "so-khcn",
        "canbo.khcn",
        "Số hóa kho lưu trữ hồ sơ nhiệm vụ khoa học và công nghệ",
        "giai-phap",
        "khcn-cds",
        "Quét, gắn siêu dữ liệu và tra cứu trực tuyến 3.200 hồ sơ nhiệm vụ khoa học công nghệ từ năm 1990.",
        S.DRAFT,
        "current",
    ),
    (
        "so-khcn",
        "canbo.khcn",
        "Thiết bị cảnh báo sớm sạt lở đất dùng cảm biến giá rẻ",
        "sang-kien",
        "khcn-cds",
        "Cảm biến độ ẩm và độ nghiêng đất kết nối LoRa, gửi cảnh báo qua tin nhắn cho thôn bản vùng núi.",
        S.SUBMITTED,
        "current",
    ),
    (
        "so-khcn",
        "canbo.khcn",
        "Ứng dụng mã QR tra cứu thông tin di tích Cố đô Huế",
        "sang-kien",
        "vh-xh-dl",
        "Gắn mã QR tại 120 điểm di tích, du khách quét để nghe thuyết minh bằng năm thứ tiếng.",
        S.RETURNED,
        "current",
    ),
    (
        "tt-ung-dung-khcn",
        "canbo.khcn",
        "Quy trình nhân giống nấm linh chi trên giá thể mùn cưa keo",
        "giai-phap",
        "nong-lam-ngu",
        "Tận dụng mùn cưa keo sẵn có tại địa phương, giảm 30% chi phí giá thể.",
        S.RECOGNISED_AT_UNIT,
        "current",
    ),
    (
        "so-khcn",
        "canbo.khcn",
        "Hệ thống nhắn tin nhắc lịch tiêm chủng cho người dân",
        "sang-kien",
        "y-te",
        "Tự động gửi tin nhắn nhắc lịch tiêm cho phụ huynh, tỷ lệ tiêm đúng lịch tăng từ 82% lên 96%.",
        S.NOMINATED,
        "current",
    ),
    (
        "so-gddt",
        "canbo.gddt",
        "Phần mềm xếp thời khóa biểu tự động cho trường phổ thông",
        "sang-kien",
        "giao-duc",
        "Xếp thời khóa biểu theo ràng buộc phòng học, giáo viên; rút thời gian từ 5 ngày xuống 2 giờ.",
        S.SUBMITTED,
        "current",
    ),
    (
        "thpt-quoc-hoc",
        "canbo.gddt",
        "Dạy học STEM qua dự án robot từ vật liệu tái chế",
        "y-tuong-moi",
        "giao-duc",
        "Học sinh thiết kế robot từ vật liệu tái chế trong 8 tuần, tích hợp Vật lý, Tin học và Công nghệ.",
        S.NOMINATED,
        "current",
    ),
    (
        "thpt-hai-ba-trung",
        "canbo.gddt",
        "Sổ liên lạc điện tử kết nối phụ huynh qua Zalo",
        "giai-phap",
        "giao-duc",
        "Kết nối sổ điểm điện tử với nhóm Zalo lớp, phụ huynh nhận điểm và nhận xét hằng tuần.",
        S.WITHDRAWN,
        "current",
    ),
    (
        "so-khcn",
        "canbo.khcn",
        "Bản đồ số các làng nghề truyền thống",
        "y-tuong-moi",
        "vh-xh-dl",
        "Bản đồ trực tuyến 68 làng nghề với sản phẩm, nghệ nhân và tuyến tham quan.",
        S.NOMINATED,
        "current",
    ),
    (
        "so-gddt",
        "canbo.gddt",
        "Ngân hàng câu hỏi trực tuyến ôn thi tốt nghiệp THPT",
        "giai-phap",
        "giao-duc",
        "12.000 câu hỏi có lời giải, học sinh vùng khó khăn luyện thi miễn phí trên điện thoại.",
        S.NOMINATED,
        "current",
    ),
    (
        "so-khcn",
        "canbo.khcn",
        "Máy bóc vỏ hạt sen bán tự động",
        "sang-che",
        "nong-lam-ngu",
        "Máy bóc vỏ hạt sen năng suất 40 kg/giờ, gấp 10 lần bóc tay, giữ nguyên hạt.",
        S.NOMINATED,
        "current",
    ),
    (
        "so-khcn",
        "canbo.khcn",
        "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử cấp xã",
        "sang-kien",
        "qlnn-cchc",
        "Tiếp nhận, luân chuyển và trả kết quả hồ sơ hành chính trên môi trường mạng tại 12 xã, phường.",
        S.NOMINATED,
        "previous",
    ),
    (
        "so-gddt",
        "canbo.gddt",
        "Thư viện số dùng chung cho các trường THPT",
        "giai-phap",
        "giao-duc",
        "Kho 5.000 đầu sách điện tử dùng chung, tiết kiệm 1,2 tỷ đồng mua sách mỗi năm.",
        S.NOMINATED,
        "previous",
    ),
    (
        "thpt-quoc-hoc",
        "canbo.gddt",
        "Cải tiến bếp đun trấu giảm khói cho hộ gia đình",
        "sang-kien",
        "nong-lam-ngu",
        "Buồng đốt hai lớp và ống khói đối lưu giảm 70% khói bụi, tiết kiệm 40% trấu.",
        S.INELIGIBLE,
        "previous",
    ),
]


def _data(title, summary, kind, field, unit_code):
    return {
        "title": title,
        "summary": summary,
        "kind": kind,
        "field": field,
        "owner": "",
        "first_applied_on": dt.date(2025, 10, 1),
        "current_situation": "Công việc trước đây làm thủ công, mất nhiều thời gian và dễ sai sót.",
        "solution_content": summary + " Giải pháp được xây dựng, thử nghiệm và hoàn thiện qua ba giai đoạn.",
        "novelty": "Lần đầu áp dụng trên địa bàn; kết hợp công nghệ sẵn có theo cách mới.",
        "application_conditions": "Cần máy tính kết nối mạng và tập huấn cho người sử dụng trong một buổi.",
        "application_scope": "Có thể nhân rộng cho các đơn vị cùng lĩnh vực trong tỉnh.",
        "economic_benefit_vnd": 150_000_000,
        "benefits_by_author": "Tiết kiệm thời gian xử lý, giảm chi phí, phục vụ người dân tốt hơn.",
        "benefits_by_others": "",
        "trial_participants": "Cán bộ, viên chức của đơn vị tham gia áp dụng thử.",
        "confidential_info": "",
    }


def _authors(unit_code):
    rows = AUTHORS.get(unit_code, AUTHORS["so-khcn"])
    return [
        {
            "full_name": name,
            "date_of_birth": dt.date.fromisoformat(born),
            "workplace": Unit.objects.get(code=unit_code).name,
            "position": position,
            "qualification": "Thạc sĩ" if index == 0 else "Kỹ sư",
            "contribution_percent": 60 if index == 0 else 40,
        }
        for index, (name, born, position) in enumerate(rows)
    ]


def _reviewer_for(unit: Unit) -> User:
    code = "so-gddt" if unit.code.startswith("thpt") or unit.code == "so-gddt" else "so-khcn"
    return User.objects.get(email=f"lanhdao.{code.split('-')[1]}@{DOMAIN}")


def _walk(dossier, status, creator, reviewer, secretary, campaign):
    """Drive a new draft to `status` through the real services (dates inside the campaign's windows)."""
    submit_day = campaign.submissions_open
    review_day = campaign.submissions_close
    if status == S.DRAFT:
        return
    if status == S.WITHDRAWN:
        services.dossier_submit(dossier=dossier, actor=creator, today=submit_day)
        services.dossier_withdraw(
            dossier=dossier, actor=creator, reason="Đơn vị rút để hoàn thiện thêm số liệu."
        )
        return
    services.dossier_submit(dossier=dossier, actor=creator, today=submit_day)
    if status == S.SUBMITTED:
        return
    if status == S.RETURNED:
        services.dossier_return(
            dossier=dossier,
            actor=reviewer,
            reason="Bổ sung số liệu hiệu quả kinh tế có xác nhận của nơi áp dụng.",
            today=review_day,
        )
        return
    if status == S.RECOGNISED_AT_UNIT:
        services.dossier_recognise(dossier=dossier, actor=reviewer, grade=UnitGrade.GOOD, today=review_day)
        return
    services.dossier_nominate(dossier=dossier, actor=reviewer, today=review_day)
    if status == S.INELIGIBLE:
        services.dossier_screen(
            dossier=dossier,
            actor=secretary,
            eligible=False,
            reason="Không đủ điều kiện: giải pháp đã được công nhận năm trước.",
            today=campaign.screening_deadline,
        )


def seed(stdout) -> None:
    today = timezone.localdate()
    current, previous = demo_campaigns(today)
    campaigns = {"current": current, "previous": previous}
    kinds = {kind.code: kind for kind in DossierKind.objects.all()}
    fields = {field.code: field for field in Field.objects.all()}
    secretary = User.objects.get(email=f"thuky.hoidong@{DOMAIN}")
    created = 0
    for unit_code, creator_local, title, kind, field, summary, status, which in DOSSIERS:
        campaign = campaigns[which]
        if Dossier.objects.filter(campaign=campaign, title=title).exists():
            continue
        unit = Unit.objects.get(code=unit_code)
        creator = User.objects.get(email=f"{creator_local}@{DOMAIN}")
        dossier = services.dossier_create(
            campaign=campaign,
            unit=unit,
            actor=creator,
            data=_data(title, summary, kinds[kind], fields[field], unit_code),
            authors=_authors(unit_code),
        )
        _walk(dossier, status, creator, _reviewer_for(unit), secretary, campaign)
        created += 1
    stdout.write(f"Đợt xét chọn: {current.name} (đang mở), {previous.name}; {created} hồ sơ mẫu mới.")
