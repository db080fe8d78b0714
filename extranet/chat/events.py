"""Signals the chat's services send after commit; ``receivers.py`` turns them into notices."""

from django.dispatch import Signal

# message=Message, actor=User
message_sent = Signal()
