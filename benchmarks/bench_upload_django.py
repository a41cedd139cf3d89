"""The whole Django upload path, next to a plain file copy: what a user waits for after "Upload".

    .venv/bin/python benchmarks/bench_upload_django.py [--rounds 5]

``document_upload`` does everything a real upload does: every lotse.filecheck check, AES-256-GCM,
writing the blob through the document storage (local disk), the StoredBlob and Document rows,
superseding the previous upload, and the audit event, in one transaction (SQLite in memory, so
the database costs little). The download path decrypts and verifies the SHA-256. The mix of files
is the one of benchmarks/bench_upload.py (framework-free figures are there).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.conf.test")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lotse-bench-django-") as tmp:
        workdir = Path(tmp)
        os.environ["LOTSE_DOCUMENTS_DIR"] = str(workdir / "documents")

        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)

        from bench_upload import build_mix, median_seconds  # type: ignore[import-not-found]

        from lotse.accounts.models import Role, User
        from lotse.cases.services import case_create
        from lotse.documents.blobs import stored_blob_read
        from lotse.documents.services import document_upload
        from lotse.organisations.models import Organisation
        from lotse.organisations.services import company_create, directory_sync, site_create

        directory_sync()
        company = company_create(actor=None, name="Bench GmbH", legal_form="GmbH",
                                 chamber_membership="ihk")  # fmt: skip
        site = site_create(company=company, actor=None, label="Werk", street="Weg 1",
                           postcode="71679", municipality="Asperg")  # fmt: skip
        chamber = Organisation.objects.get(kind="chamber", code="ihk-region-stuttgart")
        advisor = User.objects.create_user("bench@example.org", "x" * 16, full_name="Bench",
                                           role=Role.CHAMBER_ADVISOR, organisation=chamber)  # fmt: skip
        case = case_create(
            actor=advisor, company=company, site=site, title="18a",
            worker={"worker_surname": "Bench", "worker_birth_date": "1990-01-01",
                    "worker_birth_place": "X", "worker_nationality": "IND",
                    "worker_passport_number": "X1", "worker_passport_expiry": "2036-01-01"},
        )  # fmt: skip
        item = case.checklist.get(document_code="passport")

        mix = build_mix()
        total = sum(len(data) for _, data in mix)
        sources = []
        for name, data in mix:
            path = workdir / name
            path.write_bytes(data)
            sources.append(path)
        uploaded = []

        def upload_all() -> None:
            uploaded.clear()
            for name, data in mix:
                uploaded.append(document_upload(case=case, item=item, data=data, filename=name,
                                                declared_type=None, actor=advisor))  # fmt: skip

        def download_all() -> None:
            for document in uploaded:
                stored_blob_read(document.blob)

        def copy() -> None:
            for path in sources:
                shutil.copyfile(path, workdir / f"{path.name}.copy")

        results = [
            ("document_upload (all checks, encrypt, store, rows, audit)",
             median_seconds(args.rounds, upload_all)),
            ("download (read, decrypt, verify SHA-256)", median_seconds(args.rounds, download_all)),
            ("plain copy (shutil.copyfile)", median_seconds(args.rounds, copy)),
        ]  # fmt: skip

    python = os.path.relpath(sys.executable) if sys.executable else "python"
    print(f"$ {' '.join([python, *sys.argv])}")
    print(
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; median of {args.rounds} rounds; "
        f"mix: {len(mix)} files, {total / 1e6:.1f} MB"
    )
    print(f"{'step':<60} {'seconds':>8} {'MB/s':>8}")
    for label, seconds in results:
        print(f"{label:<60} {seconds:8.3f} {total / 1e6 / seconds:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
