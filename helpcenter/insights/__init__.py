"""The service's own data: query logs, events, tickets, editors, redaction, analytics, gap groups."""
