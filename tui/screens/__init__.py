"""The screens of the app: overview, run, start, variants, compare, timeline and the modals."""
