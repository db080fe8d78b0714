"""The login-gated part of the platform: one Django app per feature (DESIGN.md, "Layout")."""
