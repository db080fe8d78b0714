"""Open /ws/chat/ sockets lose access at once when a membership ends, an account is blocked
or deleted, or a session logs out (issue 11, item 4)."""
