"""Keeping the data sound: the audit trail read back, privacy, backups, duplicates, merging."""
