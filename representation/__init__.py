"""Who represents me: constituencies, seats on the groups, and who holds them."""
