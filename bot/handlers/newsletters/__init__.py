"""The newsletter and the shared mailbox: kopij from members, decided by coordinators."""
