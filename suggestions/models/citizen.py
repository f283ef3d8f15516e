"""Models of citizens' problems (群众身边事) and appointments (约见)."""

__all__: list[str] = []
