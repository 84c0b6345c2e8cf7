"""Knowledge-base stage: articles, their validation, errors and settings."""
