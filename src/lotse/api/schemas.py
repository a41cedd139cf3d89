from datetime import date, datetime

from ninja import Field, Path, Schema

from lotse.audit.models import AuditEvent

# Ids are positive and fit every database's bigint; anything else is a 422, not a 500.
OBJECT_ID: int = Path(  # type: ignore[type-arg]
    ..., ge=1, le=2**63 - 1, description="Numeric id of the object"
)


class OrganisationRef(Schema):
    id: int
    kind: str
    code: str
    name: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    role_label: str
    language: str
    organisation: OrganisationRef | None


class SiteOut(Schema):
    id: int
    label: str
    street: str
    postcode: str
    municipality: str
    is_main: bool
    authority: OrganisationRef | None


class OrganisationOut(Schema):
    id: int
    kind: str
    code: str
    name: str
    unit: str
    street: str
    postcode: str
    city: str
    website: str
    legal_form: str
    betriebsnummer: str
    chamber_membership: str
    collective_agreement: bool
    size_class: str = Field(
        description="micro (1–9 employees), small (10–49), medium (50–249), large (250+); "
        "empty: not given"
    )
    cooperation_since: date | None
    version: int = Field(
        description="Raised with every change of the data (PATCH /companies/{id} sends it)"
    )


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor: str
    actor_organisation: str | None
    action: str
    object_type: str
    object_id: str
    object: str
    request_id: str

    @staticmethod
    def resolve_actor(event: AuditEvent) -> str:
        return event.actor_label

    @staticmethod
    def resolve_actor_organisation(event: AuditEvent) -> str | None:
        return event.actor_organisation.name if event.actor_organisation else None

    @staticmethod
    def resolve_object(event: AuditEvent) -> str:
        return event.object_repr
