"""The case page's HTML for many cases and each of their parties, to compare two trees.

Writes one file per case and party into DIR; run it from the old tree and the new one against
the same database (read-only: signed-cookie sessions through a settings module that sets
``SESSION_ENGINE``), then ``--compare OLD NEW``, which ignores the CSRF tokens, the CSP nonce
and the session timer::

    DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_bench1m \\
        .venv/bin/python benchmarks/case_page_snapshots.py /tmp/new
    .venv/bin/python benchmarks/case_page_snapshots.py --compare /tmp/old /tmp/new

The cases: ids 1 to 39 and every 20,011th from 7 (at 1 M cases: every state of the procedure).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What changes from one request to the next: CSRF tokens, the CSP nonce, the session timer.
TOKEN = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"|nonce="[^"]+"'
    r'|data-session-[a-z-]+="[^"]*"'
)


def snapshot(out: Path) -> None:
    import django

    django.setup()
    import bench_http
    from django.test import Client

    from lotse.accounts.models import User
    from lotse.cases.models import Case
    from lotse.cases.volume import EMAIL_DOMAIN

    out.mkdir(parents=True, exist_ok=True)
    seeded = User.objects.filter(email__endswith=EMAIL_DOMAIN).order_by("pk")
    clients: dict[int, Client | None] = {}

    def client_for(organisation: int) -> Client | None:
        if organisation not in clients:
            user = seeded.filter(organisation_id=organisation)[:1].first()
            client = None
            if user is not None:
                client = Client()
                client.cookies.load(bench_http.session_cookie(user))
            clients[organisation] = client
        return clients[organisation]

    ids = [7 + 20011 * i for i in range(50)] + list(range(1, 40))
    pages = 0
    for case in Case.objects.filter(id__in=ids).order_by("id"):
        for party, organisation in (
            ("abh", case.authority_id),
            ("chamber", case.chamber_id),
            ("company", case.company_id),
        ):
            client = client_for(organisation) if organisation else None
            if client is None:
                continue
            response = client.get(f"/cases/{case.pk}/")
            html = response.content.decode()
            (out / f"{case.pk}-{party}-{response.status_code}.html").write_text(html)
            pages += 1
    print(f"{pages} pages written to {out}")


def compare(old: Path, new: Path) -> None:
    names = sorted(p.name for p in old.iterdir())
    assert names == sorted(p.name for p in new.iterdir()), "not the same pages"
    differ = [
        n
        for n in names
        if TOKEN.sub("TOKEN", (old / n).read_text()) != TOKEN.sub("TOKEN", (new / n).read_text())
    ]
    print(f"{len(names)} pages compared, {len(differ)} differ {differ[:10]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path)
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    if args.dir is None or "DATABASE_URL" not in os.environ:
        parser.error("give DIR and set DATABASE_URL to the seeded database")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.conf.settings")
    os.environ["LOTSE_DEBUG"] = "false"
    os.environ.setdefault("LOTSE_LOG_LEVEL", "WARNING")
    snapshot(args.dir)


if __name__ == "__main__":
    main()
