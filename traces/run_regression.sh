#!/usr/bin/env bash
# Runs the regression runner ($1) on one case ($2).
exec "$1" "$2"
