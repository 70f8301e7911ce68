"""`python -m bench.createdb URL`: create the benchmark's PostgreSQL database if it is missing
(`make bench`), connecting to the server's `postgres` database as the URL's user."""

import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def ensure_database(url: str) -> bool:
    """True when the database was created now."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql") or not name:
        raise SystemExit(f"make bench needs a PostgreSQL database URL, not {url!r}")
    server = parts._replace(path="/postgres").geturl().replace("pgsql://", "postgresql://", 1)
    server = server.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


if __name__ == "__main__":
    url = sys.argv[1]
    print(f"Đã tạo cơ sở dữ liệu {url}" if ensure_database(url) else f"Cơ sở dữ liệu đã có: {url}")
