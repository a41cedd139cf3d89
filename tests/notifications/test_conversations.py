"""A message in a case's conversation tells its audience, not the author's own party."""

from __future__ import annotations

from django.utils import timezone

from lotse.cases.models import Case
from lotse.conversations.services import message_post
from lotse.notifications.models import Kind, Party
from tests.conftest import World
from tests.notifications.conftest import ADV, CA, CHR, CW, advised_case, told


def test_a_company_message_to_company_and_chamber_tells_the_chamber_only(world: World) -> None:
    case = advised_case(world)
    message_post(case=case, audience="company_chamber", body="Frage", actor=world.users[CA])
    assert told(Kind.MESSAGE, case) == {Party.CHAMBER: {world.users[ADV].email}}


def test_an_abh_message_to_all_is_a_question_for_chamber_and_company(world: World) -> None:
    case = advised_case(world)
    Case.objects.filter(pk=case.pk).update(forwarded_at=timezone.now(), state="forwarded")
    case = Case.objects.get(pk=case.pk)
    message_post(case=case, audience="all", body="Rückfrage", actor=world.users[CW])
    assert told(Kind.AUTHORITY_QUESTION, case) == {
        Party.CHAMBER: {world.users[ADV].email},
        Party.COMPANY: {world.users[CA].email, world.users[CHR].email},
    }
