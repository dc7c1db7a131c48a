"""What platforms send and are asked: disposal filings and their routes, notices
to platforms and their replies (Order 117 Art. 12)."""
