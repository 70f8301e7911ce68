"""The fund's chart of accounts, seeded by migration 0002 and by `chart_ensure()` (idempotent, for
the demo seeder and for tests that run after a flush)."""

# (code, name, type, order). Codes follow the administrative-unit chart (Thông tư 24/2024/TT-BTC)
# where one fits: 111 cash, 112 bank, 338 payables, 5xx receipts, 6xx payments.
CHART = [
    ("111", "Tiền mặt", "asset", 10),
    ("112", "Tiền gửi ngân hàng, kho bạc", "asset", 20),
    ("338", "Giải thưởng phải trả", "liability", 30),
    ("511", "Kinh phí ngân sách nhà nước cấp", "income", 40),
    ("512", "Tài trợ, ủng hộ của tổ chức, cá nhân", "income", 50),
    ("515", "Lãi tiền gửi", "income", 60),
    ("611", "Chi giải thưởng", "expense", 70),
    ("612", "Chi hỗ trợ tác giả", "expense", 80),
    ("613", "Chi tổ chức phong trào", "expense", 90),
]

CASH = "111"
BANK = "112"
PRIZES_PAYABLE = "338"
STATE_BUDGET = "511"
DONATIONS = "512"
INTEREST = "515"
PRIZES = "611"
AUTHOR_SUPPORT = "612"
ORGANISING = "613"


def chart_ensure(account_model=None) -> None:
    """Create the accounts of CHART that are missing (names of existing ones are left alone)."""
    if account_model is None:
        from fund.models import Account as account_model
    for code, name, type_, order in CHART:
        account_model.objects.get_or_create(code=code, defaults={"name": name, "type": type_, "order": order})
