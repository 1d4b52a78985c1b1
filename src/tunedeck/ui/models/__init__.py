"""Qt item models over core objects: they read caches and never lint or tokenize in data()."""
