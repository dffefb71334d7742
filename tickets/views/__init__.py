"""Ticket pages: short views, selector -> (form -> service) -> redirect or re-render."""
