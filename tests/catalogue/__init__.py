"""The adversarial catalogue: calls to every public entry point, each expected to be refused or accepted."""
