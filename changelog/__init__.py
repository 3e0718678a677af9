"""The change log: one typed stream of what changed, written by the services that make
each change."""
