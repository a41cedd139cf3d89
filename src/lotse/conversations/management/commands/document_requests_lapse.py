from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lotse.conversations.services import document_requests_lapse


class Command(BaseCommand):
    help = (
        "Close the requests for documents whose due date passed unanswered where the law ends "
        "the suspension with the due date (§ 14a Abs. 3 BQFG); run once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = document_requests_lapse()
        self.stdout.write(f"{len(lapsed)} request(s) lapsed")
