"""The tax service's register of small and medium businesses (dataset 7707329152-rsmp), offline.

loader.py reads the published XML as a stream; store.py keeps the loaded register beside
the database and reads it back; codes.py names OKVED codes, regions and categories;
lookups.py turns a register entry into a company's facts; prospects.py finds the firms
that match where and whom we look for and are not listed yet.
"""
