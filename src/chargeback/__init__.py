"""Tooling for the AI cost chargeback warehouse."""
