"""The lessons the tour and the demos run; each returns its printed summary."""
