"""Models of representatives' suggestions and motions (代表建议、议案)."""

__all__: list[str] = []
