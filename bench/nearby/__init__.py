"""Nearby search benchmark: the selector against brute force and PostGIS KNN."""
