"""Conversations: /cabinet/messages/ (placeholders until the pages land)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


conversation_list = conversation_with = conversation_detail = conversation_files = _todo
conversation_block = conversation_unblock = _todo
