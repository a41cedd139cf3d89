from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Router

from lotse.access import Action
from lotse.api.errors import OBJECT_ERRORS, ErrorOut
from lotse.api.objects import request_user, visible_case
from lotse.api.schemas import OBJECT_ID
from lotse.privacy.export import export_filename, worker_data_export

router = Router(tags=["Data protection"])


@router.get(
    "/cases/{case_id}/personal-data",
    response={200: None, 403: ErrorOut, **OBJECT_ERRORS},
    summary="Everything held about the case's worker as a ZIP (Art. 15, 20 DSGVO; audited)",
)
def worker_export_api(request: HttpRequest, case_id: int = OBJECT_ID) -> HttpResponse:
    case = visible_case(request, case_id, Action.EXPORT_PERSONAL_DATA)
    response = HttpResponse(
        worker_data_export(case=case, actor=request_user(request)), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition_header(True, export_filename(case)) or ""
    return response
