"""The kernel: rule sets and clocks, calendar, deadlines, audit, identity, uploads."""
