"""/incident and the acknowledgement buttons under an incident message."""
