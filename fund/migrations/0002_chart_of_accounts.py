from django.db import migrations

from fund.chart import chart_ensure


def seed(apps, schema_editor):
    chart_ensure(apps.get_model("fund", "Account"))


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
