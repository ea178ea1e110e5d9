"""Seed article files (a package so that setuptools ships them as package data)."""
