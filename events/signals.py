"""What events tell the rest of the platform, sent after the change commits.

``extranet/members/event_notices.py`` turns them into notices for people with accounts;
guests have no account and get e-mail from ``events.services`` directly.

- ``event_announced(sender, event)``: an event was published for the first time.
- ``registration_promoted(sender, registration)``: a waiting-list place became a seat.
- ``event_reminder(sender, event, registrations)``: the event starts within a day; the
  registrations of people with accounts (guests are mailed separately).
"""

from django.dispatch import Signal

event_announced = Signal()
registration_promoted = Signal()
event_reminder = Signal()
