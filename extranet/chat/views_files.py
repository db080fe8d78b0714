"""/files/chat/<id>/ (placeholder until the pages land)."""

from django.http import Http404


def attachment_download(request, pk):
    raise Http404
