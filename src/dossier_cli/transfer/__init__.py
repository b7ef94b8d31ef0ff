"""Bringing records in and out: reading files, mapping their columns, parsing values, one writer per kind."""
