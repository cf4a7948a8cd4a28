"""Solutions to the tutorials' exercises (tests/test_solutions.py checks each answer)."""
