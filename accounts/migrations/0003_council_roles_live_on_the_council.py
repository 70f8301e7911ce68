"""The council's chair, secretary and members are no longer portal roles: their authority comes from
the campaign's council (councils.CouncilMember). Memberships that granted those roles are removed,
and so is the admin group the secretary role carried (the current council's secretary gets the
council set-up permissions from councils.backends.CouncilSecretaryBackend)."""

from django.db import migrations, models

COUNCIL_ROLES = ["council_secretary", "council_member", "council_chair"]
SECRETARY_GROUP = "Thư ký Hội đồng"


def remove_council_roles(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Group = apps.get_model("auth", "Group")
    Membership.objects.filter(role__in=COUNCIL_ROLES).delete()
    Group.objects.filter(name=SECRETARY_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_unit_permission_labels"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(remove_council_roles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("unit_staff", "Cán bộ đơn vị"),
                    ("unit_reviewer", "Lãnh đạo / đầu mối thi đua đơn vị"),
                    ("front_admin", "Ban Thường trực UB MTTQ"),
                    ("fund_maker", "Kế toán Quỹ (lập chứng từ)"),
                    ("fund_checker", "Kiểm soát Quỹ (duyệt chứng từ)"),
                    ("department_viewer", "Sở, ban, ngành, địa phương (xem báo cáo)"),
                ],
                max_length=30,
                verbose_name="vai trò",
            ),
        ),
    ]
