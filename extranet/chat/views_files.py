"""Files of conversations, served only through ``/files/chat/<id>/`` after the chat's
permission check (its participants; 404 to everyone else, guests included)."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from core.uploads import private_file_response

from . import permissions, selectors


@require_GET
def attachment_download(request, pk: int):
    """The file as an attachment under the name it was uploaded with, for the
    conversation's participants; everyone else gets 404 whether or not it exists."""
    attachment = selectors.attachment_get(pk=pk)
    if attachment is None or not permissions.can_download(request.user, attachment):
        raise Http404
    return private_file_response(
        attachment.file, content_type=attachment.content_type, download_name=attachment.name
    )
