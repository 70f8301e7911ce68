"""The page benchmark (issue #16): `python -m bench.run` (or `make bench`).

It starts gunicorn as production would (gunicorn.conf.py, 2 sync workers, DEBUG off: bench.settings)
on a free port — or targets a server already running (`--host URL`) — finds the pages' ids in the
database (the bench users' dossier, sheet, council, ranking run, award lists, transaction, public
record…), signs each role's bench user in once through the real login form, and for each key page
runs locust headless for a fixed duration at each client count (10 and 50 by default), beside the
bare view (bench.urls) measured the same way in the same run. Each page is also requested once
in-process (django.test.Client, same database) to count its SQL queries and bytes. The table is
printed and written to var/bench/report.md.

Goal per page (issue #16): at 10 clients at least 1/20 of the bare view's req/s and p95 < 100 ms; no
error at 50 clients (any answer but 2xx/3xx is an error)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
REPORT = ROOT / "var" / "bench" / "report.md"
GOAL_RATIO = 1 / 20
GOAL_P95_MS = 100


@dataclass
class Page:
    name: str
    role: str | None  # the bench user's role (bench-<role>@bench.invalid), None: anonymous
    path: str


@dataclass
class Load:
    rps: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    requests: int = 0
    errors: int = 0


@dataclass
class Row:
    page: Page
    loads: dict[int, Load] = field(default_factory=dict)
    queries: int | None = None
    kb: float | None = None
    status: int | None = None
    ratio: float | None = None
    ok: bool = False


# Pages ----------------------------------------------------------------------------------------


def _django() -> None:
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def discover() -> list[Page]:
    """The key pages, with ids read from the bench data. A page whose object is missing is left out
    (and named in the report)."""
    from django.urls import reverse

    from accounts.models import User
    from awards.models import AwardList, RankingRun
    from bench.generate import DOMAIN, STAFF_UNIT
    from councils.models import Assignment
    from fund.models import Transaction
    from public.models import PublicRecord
    from submissions.models import Campaign, Dossier, Status

    def user(role):
        return User.objects.filter(email=f"bench-{role}@{DOMAIN}").first()

    def q(url, **params):
        return f"{url}?{urlencode(params)}"

    pages = [Page("bare view", None, "/__bare__/")]
    add = pages.append
    dashboard = reverse("dashboard")
    for role in (
        "staff",
        "leader",
        "reviewer",
        "department",
        "secretary",
        "chair",
        "member",
        "front-admin",
        "fund-maker",
        "fund-checker",
    ):
        add(Page(f"dashboard ({role})", role, dashboard))
    dossiers = reverse("submissions:list")
    add(Page("dossier list", "staff", dossiers))
    add(Page("dossier search", "staff", q(dossiers, q="rác thải")))
    add(Page("review queue (leader)", "leader", reverse("submissions:review_queue")))
    add(Page("review queue (reviewer)", "reviewer", reverse("submissions:review_queue")))
    add(Page("dossier list (Front admin)", "front-admin", dossiers))
    add(Page("dossier search (Front admin)", "front-admin", q(dossiers, q="rác thải")))
    dossier = (
        Dossier.objects.filter(unit__code=STAFF_UNIT).exclude(status=Status.DRAFT).order_by("-pk").first()
    )
    if dossier:
        add(Page("dossier detail", "staff", reverse("submissions:detail", args=[dossier.pk])))
        # its «similar dossiers» box, which the page loads after itself (htmx)
        add(Page("dossier similar box", "staff", reverse("submissions:detail_similar", args=[dossier.pk])))
    # …and one the council has scored: its page also shows the council's result and the appeal
    awarded = Dossier.objects.filter(unit__code=STAFF_UNIT, status=Status.AWARDED).order_by("-pk").first()
    if awarded:
        add(Page("dossier detail (awarded)", "staff", reverse("submissions:detail", args=[awarded.pk])))
    member = user("member")
    campaign = Campaign.objects.order_by("-year").first()
    assignment = (
        Assignment.objects.filter(member__user=member, council__campaign=campaign).order_by("pk").first()
        if member and campaign
        else None
    )
    add(Page("member queue", "member", reverse("councils:scoring")))
    if assignment:
        add(Page("score sheet", "member", reverse("councils:sheet", args=[assignment.pk])))
    add(Page("screening queue", "secretary", reverse("councils:screening_queue")))
    add(Page("progress", "secretary", reverse("councils:progress")))
    add(Page("assignment board", "secretary", reverse("councils:assignments")))
    add(Page("results", "chair", reverse("councils:results")))
    add(Page("calibration", "chair", reverse("councils:calibration")))
    add(Page("awards index", "front-admin", reverse("awards:index")))
    run = RankingRun.objects.filter(status="done").order_by("-pk").first()
    if run:
        add(Page("ranking run", "front-admin", reverse("awards:run", args=[run.pk])))
    for status in (AwardList.Status.APPROVED, AwardList.Status.PUBLISHED):
        award_list = AwardList.objects.filter(status=status).order_by("-pk").first()
        if award_list:
            add(Page(f"award list ({status})", "front-admin", reverse("awards:list", args=[award_list.pk])))
    add(Page("download centre", "department", reverse("reports:centre")))
    add(Page("statistics (department)", "department", reverse("reports:statistics")))
    add(Page("statistics", "front-admin", reverse("reports:statistics")))
    add(Page("audit trail", "front-admin", reverse("audit")))
    add(Page("fund overview", "fund-maker", reverse("fund:overview")))
    add(Page("fund approvals", "fund-checker", reverse("fund:approvals")))
    add(Page("fund ledger 112", "fund-maker", reverse("fund:ledger", args=["112"])))
    add(Page("fund statement", "fund-maker", reverse("fund:statement")))
    txn = Transaction.objects.filter(status="posted").order_by("-pk").first()
    if txn:
        add(Page("fund transaction", "fund-checker", reverse("fund:transaction", args=[txn.pk])))
    # Public pages and the API: anonymous visitors.
    add(Page("public home", None, reverse("home")))
    search = reverse("public:search")
    add(Page("public search", None, search))
    add(Page("public search (query)", None, q(search, q="xử lý rác thải")))
    add(Page("public statistics", None, reverse("public:statistics")))
    record = PublicRecord.objects.filter(withdrawn_at=None).order_by("-pk").first()
    if record:
        add(Page("public record", None, reverse("public:record", args=[record.reference])))
    published = AwardList.objects.filter(status=AwardList.Status.PUBLISHED).select_related("campaign")
    year = published.order_by("-campaign__year").first()
    add(Page("public awards", None, reverse("awards_public:index")))
    if year:
        add(Page("public award year", None, reverse("awards_public:year", args=[year.campaign.year])))
    add(Page("open data", None, reverse("opendata:index")))
    add(Page("feed", None, reverse("feed")))
    add(Page("sitemap", None, reverse("sitemap")))
    add(Page("API records (query)", None, q(reverse("api:record_list"), q="rác thải")))
    if record:
        add(Page("API record", None, reverse("api:record_detail", args=[record.reference])))
    if year:
        add(Page("API awards", None, reverse("api:award_year", args=[year.campaign.year])))
    add(Page("API statistics", None, reverse("api:statistics")))
    return pages


def measure_in_process(pages: list[Page]) -> dict[str, tuple[int, int, int]]:
    """{page name: (status, queries, bytes)}: each page once in-process after one warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.generate import DOMAIN

    found = {}
    clients: dict[str | None, Client] = {}
    # A refused page is reported in the table (its status); its traceback in the log says no more.
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.ERROR
    for page in pages:
        client = clients.get(page.role)
        if client is None:
            client = clients[page.role] = Client()
            if page.role:
                client.force_login(User.objects.get(email=f"bench-{page.role}@{DOMAIN}"))
        client.get(page.path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        found[page.name] = (response.status_code, len(queries), len(body))
    request_log.setLevel(level)
    return found


# The server and the load --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(host: str, seconds: float = 90) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{host}/__bare__/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server at {host} did not answer /__bare__/ within {seconds:.0f} s")


class Server:
    """gunicorn with bench.settings on a free port, restarted when a slow page leaves it busy."""

    def __init__(self, workers: int):
        self.workers = workers
        self.port = _free_port()
        self.host = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "dksangtao.wsgi:application",
                "--config",
                "gunicorn.conf.py",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_until_up(self.host)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown: drop what is queued
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def idle(host: str) -> bool:
    """The bare view answers at once: no request of the last run is still queued."""
    import requests

    for _ in range(2):
        started = time.monotonic()
        try:
            if requests.get(f"{host}/__bare__/", timeout=1).status_code != 200:
                return False
        except requests.RequestException:
            return False
        if time.monotonic() - started > 0.25:
            return False
    return True


def settle(host: str, server: Server | None) -> None:
    """Before the next run, the server must be idle: a page slower than the run leaves up to one
    request per client queued (the clients are gone, the workers still serve them). Our own gunicorn
    is restarted; a server given with --host is waited for, up to two minutes."""
    if idle(host):
        return
    if server is not None:
        server.restart()
        return
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not idle(host):
        time.sleep(1)


def sign_in(host: str, role: str, password: str) -> str:
    """The role's bench user signs in through the real login form; the session cookie to send."""
    import requests
    from django.conf import settings
    from django.urls import reverse

    from bench.generate import DOMAIN

    session = requests.Session()
    login = f"{host}{reverse('login')}"
    form = session.get(login, timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    answer = session.post(
        login,
        data={
            "username": f"bench-{role}@{DOMAIN}",
            "password": password,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        headers={"Referer": login},
        allow_redirects=False,
        timeout=60,
    )
    cookie = session.cookies.get(settings.SESSION_COOKIE_NAME)
    if answer.status_code != 302 or not cookie:
        raise RuntimeError(f"bench-{role} could not sign in (HTTP {answer.status_code})")
    return f"{settings.SESSION_COOKIE_NAME}={cookie}"


def _percentile(histogram: dict[str, int], total: int, fraction: float) -> float:
    """Locust's own way: the smallest (rounded) response time that `fraction` of requests do not exceed."""
    wanted, seen = total * fraction, 0
    for ms, count in sorted(((float(k), v) for k, v in histogram.items())):
        seen += count
        if seen >= wanted:
            return ms
    return 0.0


def run_locust(host: str, page: Page, cookie: str, users: int, seconds: int) -> Load:
    """One headless locust run; its final statistics (after the spawn: --reset-stats) as a Load."""
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "stats.json"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--host",
                host,
                "-u",
                str(users),
                "-r",
                str(users),
                "-t",
                f"{seconds}s",
                "--reset-stats",
                "--only-summary",
                "--json-file",
                str(result.with_suffix("")),
                "--skip-log",
                "--exit-code-on-error",
                "0",
                "--stop-timeout",
                "5",
            ],
            env={**os.environ, "BENCH_PATH": page.path, "BENCH_COOKIE": cookie},
            cwd=ROOT,
            capture_output=True,  # locust prints its own summary; the table says what matters
            text=True,
        )
        if done.returncode != 0 or not result.exists():
            raise RuntimeError(f"locust failed on {page.path}: {done.stderr[-2000:]}")
        stats = next((s for s in json.loads(result.read_text()) if s["name"] == "page"), None)
    if not stats or not stats["num_requests"]:
        return Load()  # not one request answered in the whole duration
    n = stats["num_requests"]
    # Over the whole run: the stats are reset once every client has spawned (at once, -r = -u), but a
    # page's own entry starts at its first answer, which for a slow page comes seconds later.
    elapsed = max(seconds, stats["last_request_timestamp"] - stats["start_time"])
    histogram = stats["response_times"]
    return Load(
        rps=n / elapsed,
        p50=_percentile(histogram, n, 0.50),
        p95=_percentile(histogram, n, 0.95),
        p99=_percentile(histogram, n, 0.99),
        requests=n,
        errors=stats["num_failures"],
    )


# The table ------------------------------------------------------------------------------------


def _n(value, digits=0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _goal(row: Row) -> str:
    if row.status is not None and row.status >= 400:
        return f"NO (HTTP {row.status})"
    if not all(load.requests for load in row.loads.values()):
        return "NO (no answer within the run)"
    return "yes" if row.ok else "NO"


def table(rows: list[Row], levels: list[int]) -> str:
    lo, hi = levels[0], levels[-1]
    head = (
        f"| page | role | req/s @{lo} | p50/p95/p99 @{lo} (ms) | req/s @{hi} | p95 @{hi} (ms) | "
        f"errors @{hi} | queries | kB | ratio to bare | goal |"
    )
    lines = [head, "|" + " --- |" * 11]
    for row in rows:
        a, b = row.loads.get(lo, Load()), row.loads.get(hi, Load())
        # no request answered: no latency to show (it exceeds the run's duration)
        a_ms = [None if not a.requests else v for v in (a.p50, a.p95, a.p99)]
        b_p95 = b.p95 if b.requests else None
        lines.append(
            f"| {row.page.name} | {row.page.role or 'anonymous'} | {_n(a.rps, 1)} | "
            f"{'/'.join(_n(v) for v in a_ms)} | {_n(b.rps, 1)} | {_n(b_p95)} | {b.errors} | "
            f"{_n(row.queries)} | {_n(row.kb, 1)} | {_n(row.ratio, 3)} | {_goal(row)} |"
        )
    return "\n".join(lines)


def main(argv=None) -> list[Row]:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--host", help="target a running server (default: start gunicorn with bench.settings)"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and level")
    parser.add_argument("--users", default="10,50", help="client counts, comma-separated (default 10,50)")
    parser.add_argument(
        "--pages", default="", help="only pages whose name contains one of these (comma-sep.)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--out", default=str(REPORT), help="the Markdown report (default var/bench/report.md)"
    )
    parser.add_argument("--list", action="store_true", help="list the pages and stop")
    options = parser.parse_args(argv)
    levels = sorted({int(n) for n in options.users.split(",") if n.strip()})
    _django()
    from bench.generate import bench_password

    pages = discover()
    wanted = [w.strip().lower() for w in options.pages.split(",") if w.strip()]
    if wanted:
        pages = [p for p in pages if p.name == "bare view" or any(w in p.name.lower() for w in wanted)]
    if options.list:
        for page in pages:
            print(f"{page.name:<32} {page.role or 'anonymous':<14} {page.path}")
        return []
    print(f"Đo {len(pages)} trang × {levels} client × {options.duration} s …", flush=True)
    from django.conf import settings
    from django.core.management import call_command

    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
        call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment does
    inside = measure_in_process(pages)
    server = None
    host = options.host
    if not host:
        server = Server(options.workers)
        server.start()
        host = server.host
    host = host.rstrip("/")
    rows = []
    try:
        cookies = {None: ""}
        for role in sorted({p.role for p in pages if p.role}):
            cookies[role] = sign_in(host, role, bench_password())
        for page in pages:
            row = Row(page)
            row.status, row.queries, size = inside[page.name]
            row.kb = size / 1024
            for users in levels:
                row.loads[users] = run_locust(host, page, cookies[page.role], users, options.duration)
                settle(host, server)
            rows.append(row)
            load = row.loads[levels[0]]
            print(
                f"  {page.name:<32} {load.rps:8.1f} req/s  p95 {load.p95:6.0f} ms  "
                f"{row.queries} queries  {row.kb:.1f} kB",
                flush=True,
            )
    finally:
        if server is not None:
            server.stop()
    bare = rows[0].loads[levels[0]].rps if rows and rows[0].page.name == "bare view" else 0
    for row in rows:
        lo = row.loads[levels[0]]
        row.ratio = lo.rps / bare if bare else None
        errors = sum(load.errors for load in row.loads.values())
        row.ok = bool(
            (row.status or 200) < 400
            and row.ratio
            and row.ratio >= GOAL_RATIO
            and lo.p95 < GOAL_P95_MS
            and not errors
            and lo.requests
        )
    text = table(rows, levels)
    report = Path(options.out)
    report.parent.mkdir(parents=True, exist_ok=True)
    from submissions.models import Dossier

    header = (
        f"Bench {time.strftime('%Y-%m-%d %H:%M %Z')}: {Dossier.objects.count():,} dossiers, "
        f"{options.workers} gunicorn workers, {options.duration} s per level, host {host}.\n"
        f"Goal: ≥ 1/20 of the bare view's req/s @{levels[0]}, p95 < {GOAL_P95_MS} ms @{levels[0]}, "
        f"0 errors (2xx/3xx only).\n\n"
    )
    report.write_text(header + text + "\n")
    print()
    print(header + text)
    return rows


if __name__ == "__main__":
    main()
