"""Feed attachments, served only through ``/files/<id>/`` after the feed's permission check."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from core.uploads import private_file_response

from . import permissions, selectors


@require_GET
def attachment_download(request, attachment_id: int):
    """The file as an attachment under the name it was uploaded with, for those who may read
    its group's feed. Everyone else, guests included, gets 404 whether or not it exists."""
    attachment = selectors.attachment_get(attachment_id=attachment_id)
    if attachment is None or not permissions.can_download(request.user, attachment):
        raise Http404
    return private_file_response(
        attachment.file, content_type=attachment.content_type, download_name=attachment.name
    )
