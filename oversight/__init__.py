"""What looks across everything: home pages, dashboards, statistics, periodic
reports, the approvals inbox and the risk view."""
