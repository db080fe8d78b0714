"""Events (DESIGN.md, "Layout").

EventIndexPage, EventPage, registrations, feedback and iCal arrive with the events issue.
"""
