"""dossier: a command-line prospecting CRM for B2B salespeople.

Kept free of imports so that `dossier --help` and `--version` stay fast.
"""

__version__ = "0.1.0"
