"""What the tests share: the people, the running bot, the outbox, the plans.

Test modules and conftest files import from the modules here, never from each other; conftest
files hold only fixtures.
"""
