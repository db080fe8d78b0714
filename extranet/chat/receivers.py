"""What the chat does when something happens elsewhere: open sockets lose access at once
when a membership ends, an account is blocked or a session logs out."""
