"""Infrastructure every app uses and no app owns: the page cache, the race
guards, the photo pipeline, safe spreadsheet cells, QR codes, storage and cache
backends, middleware, back-up and restore, and the machinery of synthetic data.

core imports no feature app and names none; it knows the root app's models (a community
is the page cache's scope) only through django.apps.
"""
