"""Pages of the blacklist, by part: ``entries``, ``documents`` (with the public
list) and ``screening``. Everything an entry page shows or allows comes from
``blacklist.selectors.entries_visible_to``: out of scope answers 404.
"""
