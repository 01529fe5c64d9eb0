"""Batches: find the inputs, read and parse each in a worker, yield results in order."""

from .pool import parse_many
from .tasks import Input, InputError, Result

__all__ = ["Input", "InputError", "Result", "parse_many"]
