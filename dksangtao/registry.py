"""Where the apps above the ground floor plug into the shared pages (the menu and the dashboard)
without the ground floor importing them: each app registers its items in AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MenuEntry:
    order: int
    label: str
    url_name: str
    visible: Callable  # (user) -> bool


@dataclass(frozen=True)
class DashboardPanel:
    order: int
    template: str
    context: Callable  # (user) -> dict, or None when the panel does not concern this person


MENU: list[MenuEntry] = []
PANELS: list[DashboardPanel] = []
ROLE_CARDS: list[Callable] = []  # (user) -> [accounts.selectors.RoleCard] for roles held outside units


def register_menu_entry(*, order: int, label, url_name: str, visible: Callable) -> None:
    MENU.append(MenuEntry(order, label, url_name, visible))
    MENU.sort(key=lambda entry: entry.order)


def register_dashboard_panel(*, order: int, template: str, context: Callable) -> None:
    PANELS.append(DashboardPanel(order, template, context))
    PANELS.sort(key=lambda panel: panel.order)


def register_role_cards(provider: Callable) -> None:
    """Roles that are not unit memberships (a place on the appraisal council) shown as dashboard cards."""
    ROLE_CARDS.append(provider)


def dashboard_panels(user) -> list[tuple[str, dict]]:
    shown = []
    for panel in PANELS:
        context = panel.context(user)
        if context is not None:
            shown.append((panel.template, context))
    return shown


@dataclass(frozen=True)
class DemoSeeder:
    order: int
    seed: Callable  # (stdout) -> None; must be idempotent


DEMO_SEEDERS: list[DemoSeeder] = []


def register_demo_seeder(*, order: int, seed: Callable) -> None:
    """`manage.py seed_demo` runs these after the units and people, in order."""
    DEMO_SEEDERS.append(DemoSeeder(order, seed))
    DEMO_SEEDERS.sort(key=lambda seeder: seeder.order)


@dataclass(frozen=True)
class DossierPanel:
    order: int
    template: str
    context: Callable  # (dossier, user) -> dict, or None when the panel has nothing for this person


DOSSIER_PANELS: list[DossierPanel] = []


def register_dossier_panel(*, order: int, template: str, context: Callable) -> None:
    """A section of the dossier page owned by a later app (the council's result and appeal, …)."""
    DOSSIER_PANELS.append(DossierPanel(order, template, context))
    DOSSIER_PANELS.sort(key=lambda panel: panel.order)


def dossier_panels(dossier, user) -> list[tuple[str, dict]]:
    shown = []
    for panel in DOSSIER_PANELS:
        context = panel.context(dossier, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown


DOSSIER_READERS: list[Callable] = []  # (user) -> campaign ids whose nominated dossiers the person reads


def register_dossier_readers(provider: Callable) -> None:
    """Who reads the nominated dossiers of a campaign besides the units (its council's secretary and
    chair), told to submissions without submissions importing the app that knows."""
    DOSSIER_READERS.append(provider)


BACKUP_FIGURES: dict[str, Callable] = {}  # name -> () -> {key: value}, read inside the backup's snapshot


def register_backup_figures(name: str, provider: Callable) -> None:
    """Figures a backup's manifest keeps and a restore must find again (the fund's ledger balances),
    told to dksangtao.backup without the ground floor importing the app that knows them."""
    BACKUP_FIGURES[name] = provider
