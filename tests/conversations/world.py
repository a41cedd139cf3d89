"""Messages and attachments for the access matrix (tests/test_access_matrix.py)."""

from __future__ import annotations

from lotse.accounts.models import Role
from lotse.conversations.models import MessageAttachment
from lotse.conversations.services import AttachmentIn, message_post
from tests.cases import world as cases
from tests.conftest import World
from tests.documents.world import good_pdf


def attachment(world: World, audience: str) -> MessageAttachment:
    """An attachment of a message to ``audience`` on the own company's forwarded case."""
    case = cases.forwarded_case(world)
    author = Role.COMPANY_HR if audience == "company_chamber" else Role.CHAMBER_ADVISOR
    message = message_post(
        case=case,
        audience=audience,
        body="Siehe Anhang.",
        actor=world.users[author],
        attachments=[AttachmentIn(good_pdf(), "anhang.pdf", "application/pdf")],
    )
    return message.attachments.get()


def foreign_attachment(world: World) -> MessageAttachment:
    """An attachment to all parties on the other company's case (not forwarded)."""
    case = cases.foreign_case(world)
    message = message_post(
        case=case,
        audience="company_chamber",
        body="Anbei.",
        actor=world.foreign_users[Role.CHAMBER_ADVISOR],
        attachments=[AttachmentIn(good_pdf(), "anbei.pdf", "application/pdf")],
    )
    return message.attachments.get()


def request_body(due_on: str = "2020-01-01") -> dict[str, object]:
    # A due date in the past: who may request gets 422 from the service, everyone else 403/404.
    return {"ground": "chamber_completeness", "items": ["cv"], "reason": "Lücke", "due_on": due_on}
