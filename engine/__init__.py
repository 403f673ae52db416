"""The pure core of Langkah: SOP definitions, cycles as event logs, working time.

Nothing here draws, touches the disk beyond reading definition text it is given, or reads the
clock: callers pass "now". A test proves that `engine` imports neither `textual` nor `tui`.
"""
