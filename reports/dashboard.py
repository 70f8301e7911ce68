"""The reports' dashboard panel."""

from reports.permissions import may_export_all, may_see_reports


def reports_panel(user):
    if not may_see_reports(user):
        return None
    return {"province": may_export_all(user)}
