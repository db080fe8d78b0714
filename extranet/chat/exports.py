"""The chat's section of a person's data export (members_account_export)."""
