"""The actions on filings and notices, one module per sub-domain."""
