"""Identity rosters of operators and marketers, filed every January and July
(Order 117 Art. 9): files, checks, services, selectors and pages."""
