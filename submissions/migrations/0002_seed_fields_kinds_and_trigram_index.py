from django.db import migrations

FIELDS = [
    ("qlnn-cchc", "Quản lý nhà nước & cải cách hành chính"),
    ("nong-lam-ngu", "Nông – lâm – ngư nghiệp"),
    ("cn-xd-gt", "Công nghiệp – xây dựng – giao thông"),
    ("giao-duc", "Giáo dục – đào tạo"),
    ("y-te", "Y tế"),
    ("khcn-cds", "Khoa học – công nghệ & chuyển đổi số"),
    ("vh-xh-dl", "Văn hóa – xã hội – du lịch"),
    ("qp-an", "Quốc phòng – an ninh"),
]
KINDS = [
    ("sang-kien", "Sáng kiến"),
    ("sang-che", "Sáng chế"),
    ("giai-phap", "Giải pháp"),
    ("y-tuong-moi", "Ý tưởng mới"),
    ("cong-trinh-de-tai", "Công trình / đề tài"),
]


def seed(apps, schema_editor):
    Field = apps.get_model("submissions", "Field")
    DossierKind = apps.get_model("submissions", "DossierKind")
    for order, (code, name) in enumerate(FIELDS, start=1):
        Field.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name) in enumerate(KINDS, start=1):
        DossierKind.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def trigram_index(apps, schema_editor):
    # PostgreSQL only: pg_trgm and a GIN index on the folded title + summary, used by the list
    # search (search_text LIKE '%…%') and by the novelty check (similarity()). SQLite scans.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dossier_search_trgm ON submissions_dossier USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dossier_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("submissions", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
