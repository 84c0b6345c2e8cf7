"""The languages the service reads, one module each: script, analyzer, keyboard, thresholds."""
