"""Operations: whole-site backup and restore (database rows and uploaded files). No models."""
