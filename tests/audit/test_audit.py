from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from lotse.audit.models import AuditEvent, AuditEventImmutableError
from lotse.audit.selectors import audit_event_list_visible_to
from lotse.audit.services import AuditOutsideTransactionError, audit_record
from lotse.organisations.models import Organisation
from lotse.organisations.services import company_create, directory_sync, site_create
from tests.conftest import World


def test_a_service_writes_its_event_in_the_same_transaction(world: World) -> None:
    before = AuditEvent.objects.count()
    inside: list[int] = []

    def create_then_fail() -> None:
        with transaction.atomic():
            site_create(
                company=world.company,
                actor=world.users["company_admin"],
                label="Lager",
                street="Weg 1",
                postcode="71679",
                municipality="Asperg",
            )
            inside.append(AuditEvent.objects.count())
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        create_then_fail()
    assert inside == [before + 1]
    assert AuditEvent.objects.count() == before
    assert not world.company.sites.filter(label="Lager").exists()


def test_the_event_records_actor_object_and_change(world: World) -> None:
    actor = world.users["company_admin"]
    site = site_create(
        company=world.company,
        actor=actor,
        label="Lager",
        street="Weg 1",
        postcode="71726",
        municipality="Benningen am Neckar",
    )
    event = AuditEvent.objects.get(action="organisation.site_created", object_id=str(site.pk))
    assert event.actor == actor
    assert event.actor_label == actor.full_name
    assert event.actor_organisation == world.company
    assert event.object_type == "organisations.site"
    assert event.after is not None
    assert event.after["authority"] == "lra-ludwigsburg"
    assert set(event.concerns.all()) == {world.company, world.ihk}


def test_audit_outside_a_transaction_is_refused(transactional_db: None) -> None:
    directory_sync()
    chamber = Organisation.objects.chambers().first()
    assert chamber is not None
    with pytest.raises(AuditOutsideTransactionError):
        audit_record(
            actor=None, action="organisation.directory_updated", obj=chamber, concerns=[chamber]
        )


def test_events_cannot_be_changed_or_deleted_through_the_orm(world: World) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "tampered"
    with pytest.raises(AuditEventImmutableError):
        event.save()
    with pytest.raises(AuditEventImmutableError):
        event.delete()
    with pytest.raises(AuditEventImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AuditEventImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.postgres
def test_postgresql_trigger_refuses_raw_updates_and_deletes(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "LOUD SKIP: the append-only trigger exists on PostgreSQL only; run with DATABASE_URL"
        )
    event = AuditEvent.objects.first()
    assert event is not None
    for sql in (
        "UPDATE audit_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == event.action


def test_staff_read_only_events_about_their_own_objects(world: World) -> None:
    company_create(actor=None, name="Fremdfirma GmbH", legal_form="GmbH", chamber_membership="hwk")
    own = audit_event_list_visible_to(user=world.users["company_hr"])
    assert own.exists()
    assert all(world.company in event.concerns.all() for event in own)
    assert not own.filter(object_repr="Fremdfirma GmbH").exists()
    hwk_view = audit_event_list_visible_to(user=world.foreign_users["chamber_advisor"])
    assert hwk_view.filter(object_repr="Fremdfirma GmbH").exists()
    assert (
        audit_event_list_visible_to(user=world.users["platform_admin"]).count()
        == AuditEvent.objects.count()
    )


def test_request_id_and_ip_are_recorded(world: World, client_for: object) -> None:
    from django.test import Client

    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(world.users["company_admin"])
    response = client.post(
        f"/organisations/{world.company.pk}/sites/new/",
        {"label": "Halle 2", "street": "Weg 2", "postcode": "71679", "municipality": "Asperg"},
        HTTP_X_REQUEST_ID="req-12345678",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-12345678"
    event = AuditEvent.objects.get(
        action="organisation.site_created", object_repr__startswith="Halle 2"
    )
    assert event.request_id == "req-12345678"
    assert event.ip_address == "203.0.113.7"
    assert Organisation.objects.filter(pk=world.company.pk).exists()
