"""Every action that changes the blacklist, one module per sub-domain: listing,
repair, measures, the platforms' list and screening (``common`` holds what they
share)."""
