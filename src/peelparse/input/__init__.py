"""Input: bytes to text, HTML laid out as text, and positions in that text."""
